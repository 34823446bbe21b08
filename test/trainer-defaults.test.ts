// The trainer's options have one definition (src/trainer/options-schema.ts). These tests check what the
// schemas do not guarantee by themselves: that every option reaches the resolved config (the task and model
// are resolved by hand), that every flag sets the option it names, that the CLI and the library reject the
// same values with the same words, and that the docs print the current defaults and table.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/cli/command.js';
import { TRAIN_FLAG_FIELDS, parseTrainArgs } from '../src/cli/commands/train.js';
import { isOptionsError } from '../src/errors.js';
import { type OptionField, markdownOptionsTable, optionFields } from '../src/internal/option-schema.js';
import { TRAIN_DEFAULTS } from '../src/trainer/defaults.js';
import { trainSettingsSchema } from '../src/trainer/options-schema.js';
import { resolveTrainOptions } from '../src/trainer/options.js';
import { repoRoot } from './helpers/shared.js';

const FIELDS = optionFields(trainSettingsSchema);

/** A valid value other than the field's default. */
function otherValue(field: OptionField): unknown {
  if (field.kind === 'boolean') return !(field.default as boolean);
  if (field.kind === 'enum') return (field.choices ?? []).find((choice) => choice !== field.default);
  const base = field.default as number;
  const up = field.kind === 'integer' ? base + 1 : base / 2 + (field.max === undefined ? 1 : 0);
  return field.max !== undefined && up > field.max ? field.max / 2 : up;
}

/** A value the field's range rejects, or undefined when the range has no bound to break. */
function badValue(field: OptionField): number | string | undefined {
  if (field.kind === 'enum') return 'bogus';
  if (field.kind === 'integer') return field.min !== undefined ? field.min - 1 : 1.5;
  if (field.kind === 'number') return field.max !== undefined ? field.max + 1 : field.min !== undefined ? field.min - 1 : undefined;
  return undefined;
}

function nested(path: readonly string[], value: unknown): Record<string, unknown> {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}

const at = (object: unknown, path: readonly string[]) => path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], object);

describe('train options', () => {
  it('fills every default from TRAIN_DEFAULTS, including the hand-resolved task and model', () => {
    const config = resolveTrainOptions({}, 'trigram', 20);
    const { ffnPerDModel, ...model } = TRAIN_DEFAULTS.model;
    expect(config.model).toEqual({ ...model, ffn: ffnPerDModel * model.dModel });
    expect(config.task).toEqual(TRAIN_DEFAULTS.task);
  });

  it.each(FIELDS.map((field) => [field.path.join('.'), field] as const))('options.%s reaches the resolved config', (_name, field) => {
    const value = otherValue(field);
    expect(value).not.toEqual(field.default);
    expect(at(resolveTrainOptions(nested(field.path, value), 'trigram', 20), field.path)).toEqual(value);
  });

  it('every task and model option reaches the resolved config', () => {
    for (const [key, value] of Object.entries(TRAIN_DEFAULTS.task)) {
      expect(resolveTrainOptions({ task: { [key]: value + 1 } }, 'trigram', 20).task[key as keyof typeof TRAIN_DEFAULTS.task], key).toBe(value + 1);
    }
    const model = resolveTrainOptions({ model: { dModel: 32, layers: 3, heads: 2, ffn: 50, tokenShift: 0, attentionSinks: false, mimeticInit: false } }, 'trigram', 20).model;
    expect(model).toEqual({ dModel: 32, layers: 3, heads: 2, ffn: 50, tokenShift: 0, attentionSinks: false, mimeticInit: false });
  });

  it.each(FIELDS.filter((field) => field.meta.flag !== undefined).map((field) => [field.meta.flag, field] as const))('--%s sets its option', (flag, field) => {
    const value = otherValue(field);
    const argv = field.kind === 'boolean' ? (value === (field.meta.invert !== true) ? [`--${flag}`] : []) : [`--${flag}`, String(value)];
    expect(argv.length, `${flag} can express ${String(value)}`).toBeGreaterThan(0);
    expect(at(parseTrainArgs(argv).options, field.path)).toEqual(value);
  });

  it.each(FIELDS.filter((field) => field.meta.flag !== undefined && badValue(field) !== undefined).map((field) => [field.meta.flag, field] as const))(
    '--%s and the library reject the same bad value with the same words',
    (flag, field) => {
      const bad = badValue(field) as number | string;
      let library = '';
      try {
        resolveTrainOptions(nested(field.path, bad), 'trigram', 20);
      } catch (error) {
        expect(isOptionsError(error)).toBe(true);
        library = (error as Error).message;
      }
      expect(library).toMatch(new RegExp(`^train: options\\.${field.path.join('\\.')} must be `));
      let cli = '';
      try {
        parseTrainArgs([`--${flag}=${String(bad)}`]);
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        cli = (error as Error).message;
      }
      expect(cli.replace(`--${flag} `, '')).toBe(library.replace(`train: options.${field.path.join('.')} `, ''));
    },
  );

  it('every train flag is an option of train() or of the command', () => {
    const flags = TRAIN_FLAG_FIELDS.map((field) => field.meta.flag).filter(Boolean);
    expect(new Set(flags).size).toBe(flags.length);
    expect(flags).toEqual(expect.arrayContaining(['group-size', 'clip-epsilon', 'keep-zero-variance', 'out', 'no-plot', 'quiet']));
  });

  it('docs/trainer.md prints the current defaults and options table (npm run regen rewrites them)', () => {
    const docs = readFileSync(join(repoRoot, 'docs/trainer.md'), 'utf8');
    const block = /<!-- TRAIN_DEFAULTS[^>]*-->\s*```json\n([\s\S]*?)\n```/.exec(docs);
    expect(block, 'docs/trainer.md has the TRAIN_DEFAULTS block').not.toBeNull();
    expect(JSON.parse(block![1]!)).toEqual(TRAIN_DEFAULTS);
    const table = /<!-- options-table:train:start -->\n([\s\S]*?)\n<!-- options-table:train:end -->/.exec(docs);
    expect(table?.[1]).toBe(markdownOptionsTable(FIELDS));
  });
});
