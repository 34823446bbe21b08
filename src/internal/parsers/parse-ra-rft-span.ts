import { findNumberPairs, readNumberEnd } from '../number-scan.js';
import { isPySpace, skipPySpace } from '../python-text.js';

/** End of `\s+to\s+` (case-insensitive) at `at`, or -1. */
function toSeparatorEnd(text: string, at: number): number {
  if (!isPySpace(text.charCodeAt(at))) return -1;
  const word = skipPySpace(text, at);
  if ((text.charCodeAt(word) | 0x20) !== 0x74 || (text.charCodeAt(word + 1) | 0x20) !== 0x6f) return -1;
  return isPySpace(text.charCodeAt(word + 2)) ? skipPySpace(text, word + 2) : -1;
}

// Fast path for ASCII text: a native regex scan jumps from ASCII digit to ASCII digit. Text with any
// non-ASCII character (maybe another script's digit) goes to the general scanner, exact but slower.
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;
const DIGIT = /[0-9]/g;

/**
 * The RA-RFT reference span parser: the FIRST match of `(\d+\.?\d*)\s+to\s+(\d+\.?\d*)`
 * (case-insensitive, Python `\d` and `\s`), as `[start, end]` seconds; `null` when nothing matches.
 *
 * Source: RA-RFT (JINSUBY/RA-RFT, main_rarft.py, commit 8843cbb). Quirks kept: `"3 to 5 people"` is a span,
 * `"12.5s to 17.8s"`, `"12.5 - 17.8"` and `"00:12 to 00:17"` are not, and a reversed span is returned
 * as written. Runs in linear time (the regex itself backtracks cubically on long digit runs).
 *
 * @example
 * parseRaRftSpan('from 3.1 TO 10.9 s'); // => [3.1, 10.9]
 * parseRaRftSpan('12.5s to 17.8s'); // => null
 */
export function parseRaRftSpan(text: string): [number, number] | null {
  if (NON_ASCII.test(text)) return findNumberPairs(text, toSeparatorEnd, 1)[0] ?? null;
  DIGIT.lastIndex = 0;
  while (DIGIT.test(text)) {
    const digit = DIGIT.lastIndex - 1;
    // The maximal run of digits and dots around this first digit; the token `\d+\.?\d*` must end where
    // the run ends and starts after the run's second-to-last dot.
    let runStart = digit;
    while (runStart > 0 && text.charCodeAt(runStart - 1) === 0x2e) runStart--;
    let lastDot = -1;
    let secondLastDot = -1;
    for (let k = runStart; k < digit; k++) {
      secondLastDot = lastDot;
      lastDot = k;
    }
    let runEnd = digit;
    for (let code = text.charCodeAt(runEnd); (code >= 0x30 && code <= 0x39) || code === 0x2e; code = text.charCodeAt(++runEnd)) {
      if (code === 0x2e) {
        secondLastDot = lastDot;
        lastDot = runEnd;
      }
    }
    let start = secondLastDot >= 0 ? secondLastDot + 1 : runStart;
    while (start < runEnd && text.charCodeAt(start) === 0x2e) start++;
    const second = start < runEnd ? toSeparatorEnd(text, runEnd) : -1;
    const end = second < 0 ? -1 : readNumberEnd(text, second);
    if (end >= 0) return [Number(text.slice(start, runEnd)), Number(text.slice(second, end))];
    DIGIT.lastIndex = runEnd;
  }
  return null;
}
