// Every `@example` line of the form `expression; // => expected` in src/ is executed and checked, so the
// outputs printed in the TSDoc are real. Blocks without `// =>` are usage sketches and are not run.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as root from '../src/index.js';
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

/** Rewrites `expr; // => expected (comment)` into `__check(expr, expected)`. */
function instrument(code: string): string {
  return code
    .split('\n')
    .map((line) => {
      const match = /^(.*?);?\s*\/\/ => (.*)$/.exec(line);
      if (match === null) return line;
      const expected = (match[2] as string).replace(/\s+\(.*\)\s*$/, '').trim();
      const typed = /^Float64Array (\[.*\])$/.exec(expected);
      return `__check(${match[1]}, ${typed === null ? expected : typed[1]}, ${JSON.stringify(line.trim())});`;
    })
    .join('\n');
}

function normalize(value: unknown): unknown {
  return ArrayBuffer.isView(value) && !(value instanceof DataView) ? Array.from(value as unknown as ArrayLike<number>) : value;
}

function check(actual: unknown, expected: unknown, source: string): void {
  const got = normalize(actual);
  if (typeof expected === 'number' && typeof got === 'number') {
    expect(Math.abs(got - expected), source).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
  } else if (Array.isArray(expected) && Array.isArray(got) && expected.every((x) => typeof x === 'number')) {
    expect(got.length, source).toBe(expected.length);
    got.forEach((x, k) => check(x, expected[k], source));
  } else {
    expect(got, source).toEqual(expected);
  }
}

const examples = sourceFiles(join(repoRoot, 'src')).flatMap(examplesOf);

describe('TSDoc @example outputs are real', () => {
  it('finds examples to check', () => {
    expect(examples.length).toBeGreaterThan(15);
  });

  it.each(examples.map((e) => [`${relative(repoRoot, e.file)}:${e.line}`, e] as const))('%s', async (_name, example) => {
    const own = (await import(pathToFileURL(example.file).href)) as Record<string, unknown>;
    const scope: Record<string, unknown> = { ...root, ...own };
    const names = Object.keys(scope).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name));
    const js = transformSync(`(async () => {\n${instrument(example.code)}\n})()`, { loader: 'ts' }).code;
    const run = new Function('__check', ...names, `return ${js}`) as (...args: unknown[]) => Promise<void>;
    await run(check, ...names.map((name) => scope[name]));
  });
});
