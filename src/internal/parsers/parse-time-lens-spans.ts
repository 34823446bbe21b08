import { findNumberPairs } from '../number-scan.js';
import { isPySpace, pyFloatOfDigits, skipPySpace } from '../python-text.js';

// Python `\d` is any Unicode decimal digit and `\b` a boundary between a word character (str.isalnum()
// or `_`) and anything else, so `3秒到7秒` holds no bare number and `١٢:٣٠` is a clock time. Each token
// starts and ends with a digit (a word character), so `\b` around it is "no word character beside it".
const WORD = String.raw`[\p{L}\p{N}_]`;
const D = String.raw`\p{Nd}`;
const CLOCK = new RegExp(String.raw`(?<!${WORD})(${D}{1,2}:${D}{2}:${D}{2}(?:\.${D}+)?|${D}{1,2}:${D}{2}(?:\.${D}+)?)(?!${WORD})`, 'gu');
const BARE_NUMBER = new RegExp(String.raw`(?<!${WORD})(${D}+\.${D}+|${D}+)(?!${WORD})`, 'gu');

function clockSeconds(token: string): number {
  const parts = token.split(':').map(pyFloatOfDigits);
  return parts.length === 3 ? (parts[0] as number) * 3600 + (parts[1] as number) * 60 + (parts[2] as number) : (parts[0] as number) * 60 + (parts[1] as number);
}

/** `values` two by two, an odd last one dropped (`matches[: len(matches) // 2 * 2]`). */
function pairUp(values: number[]): [number, number][] {
  const pairs: [number, number][] = [];
  for (let i = 0; i + 1 < values.length; i += 2) pairs.push([values[i] as number, values[i + 1] as number]);
  return pairs;
}

/** End of `\s*-\s*` at `at`, or -1. */
function dashSeparatorEnd(text: string, at: number): number {
  const dash = skipPySpace(text, at);
  return text.charCodeAt(dash) === 0x2d ? skipPySpace(text, dash + 1) : -1;
}

/** End of `\s+to\s+` (already lower-cased text) at `at`, or -1. */
function toSeparatorEnd(text: string, at: number): number {
  if (!isPySpace(text.charCodeAt(at))) return -1;
  const word = skipPySpace(text, at);
  return text.startsWith('to', word) && isPySpace(text.charCodeAt(word + 2)) ? skipPySpace(text, word + 2) : -1;
}

/** TimeLens' `extract_time` on already lower-cased (and, for training, `to`-replaced) text. */
export function extractTimeLensSpans(lower: string): [number, number][] {
  const clocks = [...lower.matchAll(CLOCK)].map((match) => clockSeconds(match[1] as string));
  if (clocks.length >= 2) return pairUp(clocks);
  for (const separatorEnd of [dashSeparatorEnd, toSeparatorEnd]) {
    const pairs = findNumberPairs(lower, separatorEnd);
    if (pairs.length > 0) return pairs;
  }
  return pairUp([...lower.matchAll(BARE_NUMBER)].map((match) => pyFloatOfDigits(match[1] as string)));
}

/**
 * TimeLens' evaluation span extraction (`extract_time`), tried in order on the lower-cased text:
 * 1. clock times `HH:MM:SS(.f)` / `MM:SS(.f)`, paired in order;
 * 2. all `a - b` pairs, else all `a to b` pairs;
 * 3. bare numbers, paired in order.
 * Python `\d` (any script's decimal digits) and Unicode `\b`, as in Python's `re`.
 *
 * Source: TimeLens (TencentARC/TimeLens, timelens/utils.py `extract_time`, commit 5d90c06). The GRPO
 * reward's copy differs: see {@link parseTimeLensTrainingSpans}.
 *
 * @example
 * parseTimeLensSpans('From 00:12 to 01:05.5.'); // => [[12, 65.5]]
 * parseTimeLensSpans('18.5 - 23.0'); // => [[18.5, 23]]
 * parseTimeLensSpans('starts at 3 and ends at 7'); // => [[3, 7]]
 * parseTimeLensSpans('3秒到7秒'); // => []
 */
export function parseTimeLensSpans(text: string): [number, number][] {
  return typeof text === 'string' ? extractTimeLensSpans(text.toLowerCase()) : [];
}

/**
 * The span extraction of TimeLens' GRPO `tiou` reward (training/utils/parser.py `extract_time`): as
 * {@link parseTimeLensSpans}, but every `to` of the lower-cased text is first replaced by `-`, so `3 to 5`
 * reads as `3 - 5` (and `tomato` as `-mato`).
 *
 * Source: TimeLens (TencentARC/TimeLens, training/utils/parser.py `extract_time`, commit 5d90c06).
 *
 * @example
 * parseTimeLensTrainingSpans('from 3 to 5, then 7 - 9'); // => [[3, 5], [7, 9]]
 * parseTimeLensSpans('from 3 to 5, then 7 - 9'); // => [[7, 9]]
 */
export function parseTimeLensTrainingSpans(text: string): [number, number][] {
  return typeof text === 'string' ? extractTimeLensSpans(text.toLowerCase().replaceAll('to', '-')) : [];
}
