// Every `@example` line of the form `expression; // => expected` in src/ is executed and checked, so the
// outputs printed in the TSDoc are real. Blocks without `// =>` are usage sketches and are not run.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as root from '../src/index.js';
import { runSnippet } from './helpers/examples.js';
import { repoRoot } from './helpers/shared.js';

interface Example {
  file: string;
  line: number;
  code: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.includes('.test') ? [path] : [];
  });
}

function examplesOf(file: string): Example[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const examples: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*\*\s*@example\b/.test(lines[i] as string)) continue;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j] as string;
      if (/^\s*\*\//.test(line) || /^\s*\*\s*@\w+/.test(line)) break;
      body.push(line.replace(/^\s*\* ?/, ''));
    }
    if (body.some((line) => line.includes('// =>'))) examples.push({ file, line: i + 1, code: body.join('\n') });
    i = j - 1;
  }
  return examples;
}

const examples = sourceFiles(join(repoRoot, 'src')).flatMap(examplesOf);

describe('TSDoc @example outputs are real', () => {
  it('finds examples to check', () => {
    expect(examples.length).toBeGreaterThan(15);
  });

  it.each(examples.map((e) => [`${relative(repoRoot, e.file)}:${e.line}`, e] as const))('%s', async (_name, example) => {
    // In scope: the root entry, the subpath entry of the example's folder (src/<folder>/index.ts), the file.
    const own = (await import(pathToFileURL(example.file).href)) as Record<string, unknown>;
    const folderIndex = join(dirname(example.file), 'index.ts');
    const folder = existsSync(folderIndex) && folderIndex !== join(repoRoot, 'src/index.ts') ? ((await import(pathToFileURL(folderIndex).href)) as Record<string, unknown>) : {};
    // Trainer examples take the TensorFlow.js module as `tf` (CPU backend here).
    const tf = /\btf\b/.test(example.code) ? await import('@tensorflow/tfjs').then(async (module) => (await module.setBackend('cpu'), module)) : undefined;
    await runSnippet(example.code, { ...root, ...folder, ...own, ...(tf === undefined ? {} : { tf }) });
  });

  it('README quick start', async () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const block = /## Quick start\n\n```ts\n([^]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    // The snippet imports from the package; run it with the package's exports (and node:fs) in scope.
    const code = (block as string).replace(/^import .*$/gm, '').replaceAll("'examples/", `'${repoRoot}/examples/`);
    const { readFileSync: readFile } = await import('node:fs');
    await runSnippet(code, { ...root, readFileSync: readFile });
  });
});
