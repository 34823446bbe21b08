import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './command.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The parsed values: booleans for flags, strings for the rest (no option here is repeatable). */
export type OptionValues<T extends Options> = { [K in keyof T]?: T[K] extends { type: 'boolean' } ? boolean : string };

/** `node:util` parseArgs in strict mode, with its errors turned into {@link UsageError}s. */
export function parseCommandArgs<T extends Options>(argv: readonly string[], options: T, allowPositionals = true): { values: OptionValues<T>; positionals: string[] } {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals, strict: true }) as { values: OptionValues<T>; positionals: string[] };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Parses a numeric option, throwing a {@link UsageError} naming it when it is not a number in range. */
export function numberOption(name: string, value: string | undefined, fallback: number, { min = -Infinity, integer = false } = {}): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min || (integer && !Number.isInteger(parsed))) {
    throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got '${value}'`);
  }
  return parsed;
}

/** Parses a choice option, throwing a {@link UsageError} listing the choices. */
export function choiceOption<C extends string>(name: string, value: string | undefined, choices: readonly C[], fallback: C): C {
  if (value === undefined) return fallback;
  if ((choices as readonly string[]).includes(value)) return value as C;
  throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got '${value}'`);
}

/** The option specs of {@link endTokensOption}, for `parseCommandArgs`. */
export const END_TOKEN_OPTIONS = { 'keep-end-tokens': { type: 'boolean' }, 'end-tokens': { type: 'string' } } as const;

/** The `--help` lines of {@link END_TOKEN_OPTIONS}. */
export const END_TOKEN_HELP = `  --end-tokens LIST       comma-separated trailing end/pad tokens removed before scoring (default: the
                          common chat templates' <|im_end|>, <|endoftext|>, <|eot_id|>, <end_of_turn>, </s>, …)
  --keep-end-tokens       score completions exactly as given (the reference scores <|im_end|> as format 0)`;

/** `--keep-end-tokens` → `false`; `--end-tokens a,b` → that list; neither → `undefined` (the defaults). */
export function endTokensOption(values: { 'keep-end-tokens'?: boolean | undefined; 'end-tokens'?: string | undefined }): readonly string[] | false | undefined {
  if (values['keep-end-tokens'] === true) {
    if (values['end-tokens'] !== undefined) throw new UsageError('--keep-end-tokens and --end-tokens cannot be used together');
    return false;
  }
  if (values['end-tokens'] === undefined) return undefined;
  const tokens = values['end-tokens'].split(',').filter((token) => token !== '');
  if (tokens.length === 0) throw new UsageError("--end-tokens needs at least one token, e.g. '<|im_end|>,<|endoftext|>'");
  return tokens;
}
