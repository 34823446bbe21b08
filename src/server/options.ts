// The reward server's options, each defined once: its zod schema (type and range), default, description and
// `serve` flag. The library's resolver, `serve`'s flag parsing and --help lines, and docs/integration.md's
// table are all derived from SERVER_OPTIONS, so the library and the CLI refuse the same values the same way.
import { z } from 'zod';
import { UNIT_SCORE_SOURCES, type UnitScoreSource } from '../engine/unit-score.js';
import { OptionsError } from '../errors.js';

/** How a `serve` flag's text becomes the option's value. */
type FlagKind = 'number' | 'string' | 'list' | 'negated-boolean' | 'choice';

interface OptionSpec<T> {
  /** Type and range; the resolver and the flag parser both check values with it. */
  schema: z.ZodType<T>;
  /** The value when unset; `undefined` when the default depends on the machine or on other options. */
  default: T | undefined;
  /** The default as the docs and --help state it, when it is not simply `default`. */
  defaultText?: string;
  /** What the option does, for the docs table and --help. */
  description: string;
  /** The `serve` flag, its argument's name and how its text is read; `scale` multiplies a number (MiB → bytes). */
  flag?: { name: string; arg?: string; kind: FlagKind; scale?: number; unit?: string };
}

const spec = <T>(value: OptionSpec<T>): OptionSpec<T> => value;

/** An integer or number in [min, max]; the message is the same for the library and the CLI. */
function range(min: number, max: number, integer: boolean): z.ZodType<number> {
  const what = `${integer ? 'an integer' : 'a number'} from ${min} to ${max}`;
  return z.number({ error: `must be ${what}` }).refine((n) => Number.isFinite(n) && n >= min && n <= max && (!integer || Number.isInteger(n)), { error: `must be ${what}` });
}

/** A bearer token of some strength: 16 or more visible characters, no whitespace (a guessable token is no gate). */
export const MIN_TOKEN_LENGTH = 16;
const tokenSchema = z
  .string({ error: 'must be a string' })
  .refine((token) => !/[\s\p{Cc}]/u.test(token), { error: 'must not contain whitespace or control characters' })
  .refine((token) => [...token].length >= MIN_TOKEN_LENGTH, { error: `must be at least ${MIN_TOKEN_LENGTH} characters (e.g. \`openssl rand -hex 24\`)` })
  .refine((token) => new Set(token).size >= 4, { error: 'must not be one or two characters repeated' });

const listSchema = z.array(z.string().min(1, { error: 'must not hold empty entries' }), { error: 'must be a list of strings' });

/**
 * Every server option: schema, default, description and `serve` flag. `startRewardServer` / `createRewardApp`
 * resolve their options with {@link resolveServerOptions}; `serve` builds its flags and help from the same table.
 */
export const SERVER_OPTIONS = {
  host: spec<string>({ schema: z.string().min(1, { error: 'must not be empty' }), default: '127.0.0.1', description: 'Interface to bind. Anything but loopback requires a token.', flag: { name: 'host', arg: 'HOST', kind: 'string' } }),
  port: spec<number>({ schema: range(0, 65535, true), default: 8000, description: 'Port (0 picks a free one).', flag: { name: 'port', arg: 'N', kind: 'number' } }),
  workers: spec<number>({
    schema: range(1, 256, true),
    default: undefined,
    defaultText: 'the available cores',
    description: '`serve` only: scoring processes behind one HTTP front; a dead one is replaced, its requests get 503.',
    flag: { name: 'workers', arg: 'N', kind: 'number' },
  }),
  maxRestarts: spec<number>({
    schema: range(0, 1000, true),
    default: 5,
    description: '`serve` only: worker replacements allowed per minute; past it a dead worker is not replaced, and with none left the server exits 1.',
    flag: { name: 'max-restarts', arg: 'N', kind: 'number' },
  }),
  token: spec<string>({ schema: tokenSchema, default: undefined, defaultText: '$RA_RFT_TOKEN, else none', description: `Require \`Authorization: Bearer TOKEN\` (scheme in any case; ${MIN_TOKEN_LENGTH}+ characters, no whitespace), compared in constant time.`, flag: { name: 'token', arg: 'TOKEN', kind: 'string' } }),
  allowedHosts: spec<string[]>({ schema: listSchema, default: undefined, defaultText: 'on loopback: its own names', description: 'Host headers answered (DNS rebinding); comma-separated.', flag: { name: 'allowed-hosts', arg: 'LIST', kind: 'list' } }),
  allowedOrigins: spec<string[]>({ schema: listSchema, default: [], defaultText: 'none', description: 'Browser origins allowed to call (CORS, preflight included); others get 403. Comma-separated.', flag: { name: 'allowed-origins', arg: 'LIST', kind: 'list' } }),
  microBatch: spec<boolean>({ schema: z.boolean({ error: 'must be true or false' }), default: true, description: 'Gather concurrent requests into one scoring call.', flag: { name: 'no-micro-batch', kind: 'negated-boolean' } }),
  batchWindowMs: spec<number>({ schema: range(0, 1000, false), default: 2, description: 'How long the first request of a micro-batch waits for others, in ms.', flag: { name: 'batch-window-ms', arg: 'N', kind: 'number' } }),
  maxBatchSize: spec<number>({ schema: range(1, 65536, true), default: 256, description: 'Completions that make a micro-batch start at once.', flag: { name: 'max-batch', arg: 'N', kind: 'number' } }),
  maxPendingCompletions: spec<number>({
    schema: range(1, 10_000_000, true),
    default: 8192,
    description: 'Completions queued or being scored; a request past it gets 503 with Retry-After at once (a larger one still runs alone).',
    flag: { name: 'max-pending', arg: 'N', kind: 'number' },
  }),
  maxQueueMs: spec<number>({ schema: range(1, 3_600_000, true), default: 2000, description: 'Most time a request waits for a scorer; then 503 with Retry-After.', flag: { name: 'max-queue-ms', arg: 'N', kind: 'number' } }),
  auditStepSeconds: spec<number>({
    schema: range(0, 86_400, false),
    default: 60,
    description: 'The online audit (the detectors of `ra-rft-rewards audit` over what the server scored, on /metrics): seconds per step; 0 turns it off.',
    flag: { name: 'audit-step-s', arg: 'N', kind: 'number' },
  }),
  retryAfterSeconds: spec<number>({ schema: range(0, 3600, false), default: 1, description: 'Seconds a shed client is told to wait (`Retry-After`).', flag: { name: 'retry-after-s', arg: 'N', kind: 'number' } }),
  bodyLimitBytes: spec<number>({
    schema: range(1024, 1024 ** 3, true),
    default: 8 * 1024 * 1024,
    defaultText: '8 MiB',
    description: 'Largest request body; larger gets 413 (from Content-Length, before reading).',
    flag: { name: 'body-limit-mb', arg: 'N', kind: 'number', scale: 1024 * 1024, unit: 'MiB' },
  }),
  requestTimeoutMs: spec<number>({ schema: range(1, 3_600_000, true), default: 30_000, description: 'A slower request gets 503 with Retry-After and its work is cancelled.', flag: { name: 'timeout-ms', arg: 'N', kind: 'number' } }),
  drainGraceMs: spec<number>({ schema: range(0, 60_000, true), default: 1000, description: 'On SIGTERM, how long the server still accepts (answers carry `Connection: close`) before it stops listening, in ms.', flag: { name: 'drain-grace-ms', arg: 'N', kind: 'number' } }),
  drainTimeoutMs: spec<number>({ schema: range(0, 3_600_000, true), default: 35_000, description: 'On SIGTERM, the most time accepted requests get before connections are cut, in ms.', flag: { name: 'drain-timeout-ms', arg: 'N', kind: 'number' } }),
  maxIssues: spec<number>({ schema: range(1, 10_000, true), default: 20, description: 'Most validation issues listed in one 400 (`moreIssues` counts the rest).', flag: { name: 'max-issues', arg: 'N', kind: 'number' } }),
  scores: spec<UnitScoreSource>({
    schema: z.enum(UNIT_SCORE_SOURCES as [UnitScoreSource, ...UnitScoreSource[]], { error: `must be one of ${UNIT_SCORE_SOURCES.join(', ')}` }),
    default: 'normalized',
    description: "What /get_reward's `scores` holds on [0, 1] (OpenRLHF's dynamic filtering): `normalized` maps the total from its range onto [0, 1]; or one part.",
    flag: { name: 'scores', arg: 'SOURCE', kind: 'choice' },
  }),
} as const;

type Specs = typeof SERVER_OPTIONS;
/** The name of a server option. */
export type ServerOptionName = keyof Specs;
type ValueOf<K extends ServerOptionName> = Specs[K] extends OptionSpec<infer T> ? T : never;
/** The server options as given: each may be left out (its default applies). */
export type ServerOptionsInput = { [K in ServerOptionName]?: ValueOf<K> | undefined };
/** The server options after {@link resolveServerOptions}: defaults applied, every value checked. */
export type ResolvedServerOptions = Omit<{ [K in ServerOptionName]: ValueOf<K> }, 'workers' | 'token' | 'allowedHosts'> & {
  workers: number | undefined;
  token: string | undefined;
  allowedHosts: string[] | undefined;
};

/** The problem with `value` for option `name`, or null when it is valid. */
export function serverOptionProblem(name: ServerOptionName, value: unknown): string | null {
  const parsed = (SERVER_OPTIONS[name].schema as z.ZodType).safeParse(value);
  if (parsed.success) return null;
  const got = typeof value === 'string' ? JSON.stringify(value) : Array.isArray(value) ? 'a list' : String(value);
  // A token is a secret: never echo it into an error message or a log.
  return `${parsed.error.issues[0]?.message ?? 'is invalid'}, got ${name === 'token' ? 'another value' : got}`;
}

/**
 * Applies the defaults of {@link SERVER_OPTIONS} and checks every value; throws an {@link OptionsError} naming
 * `fn` and the field, e.g. `startRewardServer: maxPendingCompletions must be an integer from 1 to 10000000, got NaN`.
 */
export function resolveServerOptions(fn: string, input: ServerOptionsInput): ResolvedServerOptions {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(SERVER_OPTIONS) as ServerOptionName[]) {
    const value: unknown = input[name];
    if (value === undefined) {
      out[name] = SERVER_OPTIONS[name].default;
      continue;
    }
    const problem = serverOptionProblem(name, value);
    if (problem !== null) throw new OptionsError(fn, name, problem);
    out[name] = value;
  }
  return out as ResolvedServerOptions;
}

/** A `serve` flag's spec for node:util parseArgs: every flag but the negated booleans takes a value. */
export function serverFlagSpecs(): Record<string, { type: 'string' | 'boolean' }> {
  const specs: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const option of Object.values(SERVER_OPTIONS) as OptionSpec<unknown>[]) {
    if (option.flag !== undefined) specs[option.flag.name] = { type: option.flag.kind === 'negated-boolean' ? 'boolean' : 'string' };
  }
  return specs;
}

/**
 * Reads `serve`'s flags into server options, checking each with its schema: a bad value throws `fail` with
 * `--flag` and the same message the library gives (ranges of scaled flags in the flag's unit).
 */
export function serverOptionsFromFlags(values: Record<string, string | boolean | undefined>, fail: (message: string) => Error): ServerOptionsInput {
  const out: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(SERVER_OPTIONS) as [ServerOptionName, OptionSpec<unknown>][]) {
    const flag = option.flag;
    const text = flag === undefined ? undefined : values[flag.name];
    if (flag === undefined || text === undefined) continue;
    let value: unknown;
    if (flag.kind === 'negated-boolean') value = text !== true;
    else if (flag.kind === 'number') value = (text as string).trim() === '' ? Number.NaN : Number(text) * (flag.scale ?? 1);
    else if (flag.kind === 'list') value = (text as string).split(',').map((item) => item.trim()).filter(Boolean);
    else value = text;
    if (flag.scale !== undefined && Number.isFinite(value)) value = Math.round(value as number);
    const problem = serverOptionProblem(name, value);
    if (problem !== null) {
      const scale = flag.scale;
      let shown = problem.replace(/, got [^]*$/, '');
      if (scale !== undefined) shown = shown.replace(/from (\d+) to (\d+)/, (_, a: string, b: string) => `from ${Number(a) / scale} to ${Number(b) / scale} (${flag.unit ?? ''})`);
      throw fail(`--${flag.name} ${shown}, got ${name === 'token' ? 'another value' : `'${String(text)}'`}`);
    }
    out[name] = value;
  }
  return out as ServerOptionsInput;
}

const shownDefault = (option: OptionSpec<unknown>): string => {
  if (option.defaultText !== undefined) return option.defaultText;
  const value = option.default;
  if (option.flag?.scale !== undefined && typeof value === 'number') return `${value / option.flag.scale} ${option.flag.unit}`;
  return Array.isArray(value) ? (value.length === 0 ? 'none' : value.join(',')) : String(value);
};

/** `serve --help`'s lines for the server options, derived from {@link SERVER_OPTIONS}. */
export function serverHelpLines(): string[] {
  const lines: string[] = [];
  for (const option of Object.values(SERVER_OPTIONS) as OptionSpec<unknown>[]) {
    if (option.flag === undefined) continue;
    const head = `  --${option.flag.name}${option.flag.arg === undefined ? '' : ` ${option.flag.arg}`}`;
    const text = (option.flag.kind === 'negated-boolean' ? option.description.replace(/^Gather/, 'Do not gather') : option.description).replace(/^`serve` only: /, '');
    const tail = option.flag.kind === 'negated-boolean' ? '' : ` (default ${shownDefault(option)})`;
    // Wrapped at 112 columns, continuation lines under the description.
    let line = head.padEnd(26);
    for (const word of `${text}${tail}`.split(' ')) {
      if (line.length + word.length + 1 > 112 && line.trim() !== '') {
        lines.push(line.trimEnd());
        line = ' '.repeat(26);
      }
      line += line.endsWith(' ') ? word : ` ${word}`;
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

/** The Markdown table of the server options (option, `serve` flag, default, description) for the docs. */
export function serverOptionsTable(): string {
  const rows = ['| Option | `serve` flag | Default | Description |', '| --- | --- | --- | --- |'];
  for (const [name, option] of Object.entries(SERVER_OPTIONS) as [string, OptionSpec<unknown>][]) {
    const flag = option.flag === undefined ? '' : `\`--${option.flag.name}${option.flag.arg === undefined ? '' : ` ${option.flag.arg}`}\``;
    rows.push(`| \`${name}\` | ${flag} | ${shownDefault(option)} | ${option.description.replace(/\|/g, '\\|')} |`);
  }
  return rows.join('\n');
}
