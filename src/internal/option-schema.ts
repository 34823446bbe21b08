import { z } from 'zod';

/**
 * One definition per option. An options object is a zod object schema whose fields carry their default
 * (`.default()`), range (`.int()`, `.min()`, `.max()`, `z.enum`) and description (`.describe()`), and, when the
 * option is also a command-line flag, `.meta({ flag, arg, invert })`. From it come: the TypeScript types
 * (`z.input` / `z.output`), the resolver ({@link checkOptions}, the same message for the library and the CLI),
 * the `parseArgs` options and `--help` lines ({@link parseArgsOptions}, {@link helpLines}), the reading of
 * parsed flags ({@link valuesFromFlags}) and the docs tables ({@link markdownOptionsTable}).
 *
 * Pure (zod only, no Node API): the CLI commands use it, and the server's options schema can too.
 */

/** The `.meta()` keys this module reads. */
export interface OptionMeta {
  /** The command-line flag without `--`, e.g. `group-size`; absent: a library-only option. */
  flag?: string;
  /** The value's placeholder in `--help`, e.g. `N`, `X`, `NAME` (default by kind). */
  arg?: string;
  /** A boolean flag that sets the option to `false` (`--keep-zero-variance` → `dropZeroVariance: false`). */
  invert?: boolean;
  /** The default as shown in help and docs, when the value itself reads badly (e.g. `standard output`). */
  shownDefault?: string;
  /** The `--help` text when the flag reads differently from the option (an `invert` switch). */
  help?: string;
}

/** What one leaf option is, read off its schema. */
export interface OptionField {
  /** The path in the options object, e.g. `['grpo', 'groupSize']`. */
  path: string[];
  /** `numbers`: an array of numbers, comma-separated on the command line. */
  kind: 'integer' | 'number' | 'boolean' | 'enum' | 'string' | 'numbers';
  min?: number;
  max?: number;
  /** `min` is exclusive (`.positive()`, `.gt()`). */
  minExclusive?: boolean;
  choices?: readonly string[];
  default?: unknown;
  description: string;
  meta: OptionMeta;
}

type AnySchema = z.ZodType;

function unwrap(schema: AnySchema): { inner: AnySchema; defaultValue?: unknown; hasDefault: boolean } {
  let inner = schema;
  let defaultValue: unknown;
  let hasDefault = false;
  for (;;) {
    const def = (inner as unknown as { def: { type: string; defaultValue?: unknown; innerType?: AnySchema } }).def;
    if (def.type === 'default' || def.type === 'prefault') {
      if (!hasDefault) defaultValue = def.defaultValue;
      hasDefault = true;
      inner = def.innerType as AnySchema;
    } else if (def.type === 'optional' || def.type === 'nullable' || def.type === 'readonly') inner = def.innerType as AnySchema;
    else return { inner, defaultValue, hasDefault };
  }
}

function metaOf(schema: AnySchema): OptionMeta & { description?: string } {
  return ((schema as unknown as { meta(): unknown }).meta() ?? {}) as OptionMeta & { description?: string };
}

/** Every leaf option of `schema`, nested objects flattened, in declaration order. */
export function optionFields(schema: z.ZodObject, prefix: string[] = []): OptionField[] {
  const fields: OptionField[] = [];
  for (const [key, value] of Object.entries(schema.shape as Record<string, AnySchema>)) {
    const { inner, defaultValue, hasDefault } = unwrap(value);
    const path = [...prefix, key];
    if (inner instanceof z.ZodObject) {
      fields.push(...optionFields(inner, path));
      continue;
    }
    const meta = { ...metaOf(inner), ...metaOf(value) };
    const field: OptionField = { path, kind: 'string', description: value.description ?? inner.description ?? meta.description ?? '', meta };
    if (hasDefault) field.default = defaultValue;
    if (inner instanceof z.ZodNumber) {
      field.kind = inner.isInt ? 'integer' : 'number';
      if (inner.minValue !== null && inner.minValue > Number.MIN_SAFE_INTEGER) field.min = inner.minValue;
      if (inner.maxValue !== null && inner.maxValue < Number.MAX_SAFE_INTEGER) field.max = inner.maxValue;
      const exclusive = inner.def.checks?.some((check) => (check as unknown as { _zod: { def: { check: string; inclusive?: boolean } } })._zod.def.check === 'greater_than' && (check as unknown as { _zod: { def: { inclusive?: boolean } } })._zod.def.inclusive === false);
      if (exclusive === true) field.minExclusive = true;
    } else if (inner instanceof z.ZodArray && inner.element instanceof z.ZodNumber) {
      field.kind = 'numbers';
      const element = inner.element;
      if (element.minValue !== null && element.minValue > Number.MIN_SAFE_INTEGER) field.min = element.minValue;
      if (element.maxValue !== null && element.maxValue < Number.MAX_SAFE_INTEGER) field.max = element.maxValue;
    } else if (inner instanceof z.ZodBoolean) field.kind = 'boolean';
    else if (inner instanceof z.ZodEnum) {
      field.kind = 'enum';
      field.choices = inner.options as string[];
    }
    fields.push(field);
  }
  return fields;
}

/** What a field accepts, in words: `an integer >= 2`, `a number in [0, 1]`, `one of token, sequence`. */
export function expectation(field: OptionField): string {
  if (field.kind === 'boolean') return 'a boolean';
  if (field.kind === 'enum') return `one of ${(field.choices ?? []).join(', ')}`;
  if (field.kind === 'string') return 'a string';
  const what = field.kind === 'integer' ? 'an integer' : field.kind === 'numbers' ? 'comma-separated numbers' : 'a number';
  const low = field.min === undefined ? undefined : `${field.minExclusive === true ? '>' : '>='} ${field.min}`;
  if (field.min !== undefined && field.max !== undefined && field.minExclusive !== true) return `${what} in [${field.min}, ${field.max}]`;
  if (low !== undefined && field.max !== undefined) return `${what} ${low} and <= ${field.max}`;
  if (low !== undefined) return `${what} ${low}`;
  if (field.max !== undefined) return `${what} <= ${field.max}`;
  return what;
}

function shown(value: unknown): string {
  if (Array.isArray(value) && value.every((item) => typeof item === 'number')) return value.join(',');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The result of {@link checkOptions}: the filled-in options, or the first bad field and why. */
export type CheckedOptions<T> = { ok: true; value: T } | { ok: false; path: string[]; field: OptionField | undefined; problem: string };

/**
 * Validates and fills in `value` with `schema`. A failure names the first bad field's path and says what it
 * must be, from the schema itself (`must be an integer >= 2, got 1`), so the library's OptionsError and the
 * CLI's usage error read the same.
 */
export function checkOptions<S extends z.ZodObject>(schema: S, value: unknown, fields: readonly OptionField[] = optionFields(schema)): CheckedOptions<z.output<S>> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0] as z.core.$ZodIssue;
  const issuePath = issue.path.map(String);
  // An issue inside a list (`skills.0`) is the list's: its field is the longest path the issue starts with.
  const field = fields.filter((f) => f.path.every((key, i) => issuePath[i] === key)).sort((a, b) => b.path.length - a.path.length)[0];
  const path = field?.path ?? issuePath;
  let got: unknown = value;
  for (const key of path) got = got !== null && typeof got === 'object' ? (got as Record<string, unknown>)[key] : undefined;
  const gotText = typeof got === 'string' ? `'${got}'` : Array.isArray(got) ? got.join(',') : String(got);
  // A refinement says in its own words what the field must be (`must be one of …`); the rest come from the field.
  const problem = field === undefined ? issue.message : issue.code === 'custom' ? `${issue.message}, got ${gotText}` : `must be ${expectation(field)}, got ${gotText}`;
  return { ok: false, path, field, problem };
}

/** The fields that are command-line flags. */
export function flagFields(fields: readonly OptionField[]): (OptionField & { meta: { flag: string } })[] {
  return fields.filter((field): field is OptionField & { meta: { flag: string } } => typeof field.meta.flag === 'string');
}

/** `node:util` `parseArgs` options for the flag fields: booleans are switches, the rest take a string. */
export function parseArgsOptions(fields: readonly OptionField[]): Record<string, { type: 'boolean' | 'string' }> {
  return Object.fromEntries(flagFields(fields).map((field) => [field.meta.flag, { type: field.kind === 'boolean' ? 'boolean' : 'string' }]));
}

function placeholder(field: OptionField): string {
  if (field.kind === 'boolean') return '';
  if (field.meta.arg !== undefined) return field.meta.arg;
  return field.kind === 'integer' ? 'N' : field.kind === 'number' ? 'X' : field.kind === 'numbers' ? 'LIST' : field.kind === 'enum' ? 'NAME' : 'VALUE';
}

function defaultText(field: OptionField): string | undefined {
  if (field.meta.shownDefault !== undefined) return field.meta.shownDefault;
  if (field.default === undefined || field.kind === 'boolean') return undefined;
  return shown(field.default);
}

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}

/** The `--help` lines of the flag fields: `  --group-size G          completions per prompt (default 8)`. */
export function helpLines(fields: readonly OptionField[], width = 24): string {
  return flagFields(fields)
    .map((field) => {
      const head = `--${field.meta.flag}${field.kind === 'boolean' ? '' : ` ${placeholder(field)}`}`;
      const fallback = defaultText(field);
      const choices = field.kind === 'enum' && !field.description.includes((field.choices ?? [])[0] ?? '\0') ? ` (${(field.choices ?? []).join(' | ')})` : '';
      const text = `${field.meta.help ?? field.description}${choices}${fallback === undefined ? '' : ` (default ${fallback})`}`;
      const [first = '', ...rest] = wrap(text, 104 - 2 - width);
      const indent = `  ${' '.repeat(width)}`;
      const lead = head.length < width ? `  ${head.padEnd(width)}${first}` : `  ${head}\n${indent}${first}`;
      return [lead, ...rest.map((line) => `${indent}${line}`)].join('\n');
    })
    .join('\n');
}

/** A markdown table of the fields: option (and flag), default, allowed values, description. */
export function markdownOptionsTable(fields: readonly OptionField[]): string {
  const escape = (text: string) => text.replaceAll('|', '\\|');
  const rows = fields.map((field) => {
    const flag = field.meta.flag === undefined ? '' : `\`--${field.meta.flag}\``;
    const fallback = field.meta.shownDefault ?? (field.default === undefined ? '' : `\`${shown(field.default)}\``);
    return `| \`${field.path.join('.')}\` | ${flag} | ${fallback} | ${escape(expectation(field))} | ${escape(field.description)} |`;
  });
  return ['| Option | Flag | Default | Allowed | Description |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/**
 * The options object the parsed flags describe: a number flag's text becomes a number when it reads as one
 * (else it stays text, and {@link checkOptions} names the flag), an `invert` switch sets `false`. Flags not
 * given are left out, so the schema's defaults apply.
 */
export function valuesFromFlags(fields: readonly OptionField[], values: Record<string, string | boolean | undefined>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const field of flagFields(fields)) {
    const raw = values[field.meta.flag];
    if (raw === undefined) continue;
    let value: unknown = raw;
    if (field.kind === 'boolean') {
      if (raw !== true) continue;
      value = field.meta.invert !== true;
    } else if ((field.kind === 'integer' || field.kind === 'number') && typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw))) value = Number(raw);
    else if (field.kind === 'numbers' && typeof raw === 'string') {
      const parts = raw.split(',').map((part) => part.trim());
      // Any part that is not a number keeps the text, so the error shows what was given.
      if (parts.every((part) => part !== '' && Number.isFinite(Number(part)))) value = parts.map(Number);
    }
    let node = result;
    for (const key of field.path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[field.path.at(-1) as string] = value;
  }
  return result;
}

/** The defaults of every field with one, as a nested object. */
export function defaultsOf(fields: readonly OptionField[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const field of fields) {
    if (!('default' in field)) continue;
    let node = result;
    for (const key of field.path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[field.path.at(-1) as string] = field.default;
  }
  return result;
}
