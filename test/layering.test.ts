// The architecture rule: src/ is layered by capability, lowest first, and nothing imports from a layer above.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/shared.js';

// Lowest first. A folder may import from its own layer and the layers before it (and from src/*.ts, the
// shared types and errors).
const LAYERS = ['internal', 'rules', 'format', 'grounding', 'explain', 'correction', 'advantage', 'data', 'profiles', 'variants'];
const CHECKED = ['internal', 'rules', 'grounding', 'format', 'correction', 'explain', 'variants'];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path);
    return /\.ts$/.test(entry.name) && !/\.test(-d)?\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** The top folder under src/ of an import of `file`, or null for src/*.ts and packages. */
function importedFolders(file: string): { specifier: string; folder: string | null }[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map((m) => (m[1] ?? m[2]) as string);
  return specifiers
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => {
      const target = relative(join(repoRoot, 'src'), resolve(dirname(file), specifier));
      const parts = target.split(/[\\/]/);
      return { specifier, folder: parts.length > 1 ? (parts[0] as string) : null };
    });
}

describe('layering', () => {
  const src = join(repoRoot, 'src');
  it.each(CHECKED)('src/%s imports nothing from a folder above it', (folder) => {
    const rank = LAYERS.indexOf(folder);
    const violations: string[] = [];
    for (const file of files(join(src, folder))) {
      for (const { specifier, folder: imported } of importedFolders(file)) {
        if (imported === null || imported === folder) continue;
        const importedRank = LAYERS.indexOf(imported);
        if (importedRank < 0 || importedRank > rank) violations.push(`${relative(repoRoot, file)} imports ${specifier}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('sees imports (the check can fail)', () => {
    const found = importedFolders(join(src, 'grounding/refuse-iou.ts')).map((i) => i.folder);
    expect(found).toContain('rules');
  });
});
