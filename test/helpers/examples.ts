// Runs documentation snippets: every line `expression; // => expected (comment)` becomes a check.
import { transformSync } from 'esbuild';
import { expect } from 'vitest';

/** Rewrites `expr; // => expected (comment)` into `__check(expr, expected, source)`. */
export function instrument(code: string): string {
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

/** Equality with a relative tolerance of 1e-12 for numbers (and arrays of numbers). */
export function check(actual: unknown, expected: unknown, source: string): void {
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

/** Runs an instrumented snippet (TypeScript allowed) with `scope`'s names in view. */
export async function runSnippet(code: string, scope: Record<string, unknown>): Promise<void> {
  const names = Object.keys(scope).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name));
  const js = transformSync(`(async () => {\n${instrument(code)}\n})()`, { loader: 'ts' }).code;
  const run = new Function('__check', ...names, `return ${js}`) as (...args: unknown[]) => Promise<void>;
  await run(check, ...names.map((name) => scope[name]));
}
