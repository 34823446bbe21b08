// The root entry stays pure and light: its static import graph reaches zod and fastest-levenshtein only.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/shared.js';

function staticImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  // `import … from 'x'` and `export … from 'x'`, not `import('x')` (lazy) nor `import type`.
  return [...source.matchAll(/^(?:import|export)\s+(?!type\b)[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1] as string);
}

describe('root entry', () => {
  it('imports no heavy or Node-only module', () => {
    const seen = new Set<string>();
    const external = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const specifier of staticImports(file)) {
        if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
        else external.add(specifier);
      }
    };
    visit(resolve(repoRoot, 'src/index.ts'));
    expect(seen.size).toBeGreaterThan(20);
    expect([...external].sort()).toEqual(['fastest-levenshtein', 'zod']);
  });
});
