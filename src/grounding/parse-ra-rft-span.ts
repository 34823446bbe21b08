import { findNumberPairs } from '../internal/number-scan.js';
import { isPySpace, skipPySpace } from '../internal/python-text.js';

/** End of `\s+to\s+` (case-insensitive) at `at`, or -1. */
function toSeparatorEnd(text: string, at: number): number {
  if (!isPySpace(text.charCodeAt(at))) return -1;
  const word = skipPySpace(text, at);
  if ((text.charCodeAt(word) | 0x20) !== 0x74 || (text.charCodeAt(word + 1) | 0x20) !== 0x6f) return -1;
  return isPySpace(text.charCodeAt(word + 2)) ? skipPySpace(text, word + 2) : -1;
}

/**
 * The RA-RFT reference span parser: the FIRST match of `(\d+\.?\d*)\s+to\s+(\d+\.?\d*)`
 * (case-insensitive, Python `\d` and `\s`), as `[start, end]` seconds; `null` when nothing matches.
 *
 * Source: RA-RFT (JINSUBY/RA-RFT, main_rarft.py). Quirks kept: `"3 to 5 people"` is a span,
 * `"12.5s to 17.8s"`, `"12.5 - 17.8"` and `"00:12 to 00:17"` are not, and a reversed span is returned
 * as written. Runs in linear time (the regex itself backtracks cubically on long digit runs).
 *
 * @example
 * parseRaRftSpan('from 3.1 TO 10.9 s'); // => [3.1, 10.9]
 * parseRaRftSpan('12.5s to 17.8s'); // => null
 */
export function parseRaRftSpan(text: string): [number, number] | null {
  return findNumberPairs(text, toSeparatorEnd, 1)[0] ?? null;
}
