import { findNumberPairs } from '../number-scan.js';

/** `word` (lower-case ASCII) in any case at `at`, followed by one space. */
function isWordAt(text: string, at: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) {
    if ((text.charCodeAt(at + k) | 0x20) !== word.charCodeAt(k)) return false;
  }
  return text.charCodeAt(at + word.length) === 0x20;
}

/** End of ` (to|and) ` (single spaces, case-insensitive) at `at`, or -1. */
function toOrAndSeparatorEnd(text: string, at: number): number {
  if (text.charCodeAt(at) !== 0x20) return -1;
  if (isWordAt(text, at + 1, 'to')) return at + 4;
  return isWordAt(text, at + 1, 'and') ? at + 5 : -1;
}

/**
 * The Time-R1 span parser: the LAST of the non-overlapping matches of `(\d+\.?\d*) (to|and) (\d+\.?\d*)`
 * (Python `re.findall` with `re.IGNORECASE`, single literal spaces), as `[start, end]`; `null` when none.
 *
 * Source: Time-R1 (xiaomi-research/time-r1, main.py, commit 7f2b594 `parse_timestamp_output`), also TimeZero and
 * VideoChat-R1. Linear time.
 *
 * @example
 * parseTimeR1Span('1.5 to 2 and then 3 AND 4'); // => [3, 4]
 * parseTimeR1Span('1.5  to 2'); // => null
 */
export function parseTimeR1Span(text: string): [number, number] | null {
  return findNumberPairs(text, toOrAndSeparatorEnd).at(-1) ?? null;
}
