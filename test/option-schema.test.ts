// The one-definition options helper (src/internal/option-schema.ts) and the bench-variants options built on it:
// the library and the CLI reject the same values with the same words.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { benchVariants } from '../src/benchmark/bench-variants.js';
import { main } from '../src/cli/index.js';
import { isOptionsError } from '../src/errors.js';
import { checkOptions, defaultsOf, helpLines, markdownOptionsTable, optionFields, parseArgsOptions, valuesFromFlags } from '../src/internal/option-schema.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withOptionTables } from '../src/cli/option-tables.js';
import { captureIO } from './helpers/cli-io.js';
import { repoRoot } from './helpers/shared.js';

const schema = z.object({
  size: z.number().int().min(2).default(8).describe('group size').meta({ flag: 'size', arg: 'G' }),
  rate: z.number().min(0).max(1).default(0.5).describe('a share'),
  mode: z.enum(['a', 'b']).default('a').describe('the mode').meta({ flag: 'mode' }),
  keep: z.boolean().default(true).describe('drop nothing').meta({ flag: 'drop', invert: true }),
  levels: z.array(z.number().min(0).max(1)).readonly().default([0.5, 0.25]).describe('levels').meta({ flag: 'levels' }),
  nested: z.object({ depth: z.number().int().min(0).default(3).describe('depth').meta({ flag: 'depth' }) }).prefault({}),
});

describe('option-schema', () => {
  const fields = optionFields(schema);

  it('reads each field: kind, range, default, description, flag', () => {
    expect(fields.map((f) => [f.path.join('.'), f.kind, f.min, f.max, f.default])).toEqual([
      ['size', 'integer', 2, undefined, 8],
      ['rate', 'number', 0, 1, 0.5],
      ['mode', 'enum', undefined, undefined, 'a'],
      ['keep', 'boolean', undefined, undefined, true],
      ['levels', 'numbers', 0, 1, [0.5, 0.25]],
      ['nested.depth', 'integer', 0, undefined, 3],
    ]);
    expect(defaultsOf(fields)).toEqual(schema.parse({}));
    expect(parseArgsOptions(fields)).toEqual({ size: { type: 'string' }, mode: { type: 'string' }, drop: { type: 'boolean' }, levels: { type: 'string' }, depth: { type: 'string' } });
  });

  it('turns flags into the options object, and names the bad field with what it must be', () => {
    expect(valuesFromFlags(fields, { size: '4', drop: true, levels: '0.1,0.2', depth: '0' })).toEqual({ size: 4, keep: false, levels: [0.1, 0.2], nested: { depth: 0 } });
    const cases: [unknown, string, string][] = [
      [{ size: 1 }, 'size', 'must be an integer >= 2, got 1'],
      [{ size: 'x' }, 'size', "must be an integer >= 2, got 'x'"],
      [{ rate: 2 }, 'rate', 'must be a number in [0, 1], got 2'],
      [{ mode: 'c' }, 'mode', "must be one of a, b, got 'c'"],
      [{ levels: [0.5, 3] }, 'levels', 'must be comma-separated numbers in [0, 1], got 0.5,3'],
      [{ nested: { depth: -1 } }, 'nested.depth', 'must be an integer >= 0, got -1'],
    ];
    for (const [value, path, problem] of cases) {
      const checked = checkOptions(schema, value, fields);
      expect(checked.ok, path).toBe(false);
      if (!checked.ok) expect([checked.path.join('.'), checked.problem]).toEqual([path, problem]);
    }
  });

  it('writes help lines and a markdown table from the same fields', () => {
    expect(helpLines(fields)).toContain('  --size G                group size (default 8)');
    expect(helpLines(fields)).not.toContain('rate'); // a library-only option has no flag
    expect(markdownOptionsTable(fields)).toContain('| `nested.depth` | `--depth` | `3` | an integer >= 0 | depth |');
  });
});

describe('bench-variants options: the library and the CLI say the same', () => {
  it.each([
    [['--skills', '2'], { skills: [2] }, 'skills', 'must be comma-separated numbers in [0, 1], got 2'],
    [['--group-size', '1'], { groupSize: 1 }, 'groupSize', 'must be an integer >= 2, got 1'],
    [['--min-time=-1'], { minTimeSeconds: -1 }, 'minTimeSeconds', 'must be a number >= 0, got -1'],
  ] as const)('%s', async (argv, options, field, problem) => {
    const error = await benchVariants({ targets: [], ...options } as never).catch((e: unknown) => e);
    expect(isOptionsError(error)).toBe(true);
    expect((error as Error).message).toBe(`benchVariants: options.${field} ${problem}`);
    const run = captureIO();
    expect(await main(['bench-variants', ...argv], run.io)).toBe(2);
    expect(run.err()).toContain(`${argv[0]!.replace(/=.*/, '')} ${problem}`);
  });
});

describe('the docs options tables', () => {
  it.each(readdirSync(join(repoRoot, 'docs')).filter((file) => file.endsWith('.md')))('docs/%s prints the current tables (npm run regen writes them)', (file) => {
    const text = readFileSync(join(repoRoot, 'docs', file), 'utf8');
    expect(withOptionTables(text, file)).toBe(text);
  });
});
