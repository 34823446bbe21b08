import { asciiDecimal, findNumberPairs } from '../number-scan.js';
import { isPySpace, skipPySpace } from '../python-text.js';

/** End of `\s+to\s+` (case-insensitive) at `at`, or -1. */
function toSeparatorEnd(text: string, at: number): number {
  if (!isPySpace(text.charCodeAt(at))) return -1;
  const word = skipPySpace(text, at);
  if ((text.charCodeAt(word) | 0x20) !== 0x74 || (text.charCodeAt(word + 1) | 0x20) !== 0x6f) return -1;
  return isPySpace(text.charCodeAt(word + 2)) ? skipPySpace(text, word + 2) : -1;
}

// Python's `\s` below U+0660, as a regex class.
const LOW_SPACE = String.raw`[\t\n\v\f\r\x1c-\x1f \x85\xa0]`;
// One native scan finds the `to` of the first match's core, `\d\.?\s+to\s+\d`, or the first code unit from
// U+0660 up, whichever comes first. Below U+0660 Python's `\d` is [0-9] and its `\s` is LOW_SPACE, so up to
// that point the scan is exact; a higher code unit (maybe another script's digit or space) hands the text
// to the general scanner. Starting the pattern at `[tT][oO]` lets V8 skip ahead two characters at a time
// (faster than a scan for digits); each `to` reads back and ahead over one whitespace run, so it stays linear.
const CORE_TO_OR_HIGH = new RegExp(String.raw`[tT][oO](?<=[0-9]\.?${LOW_SPACE}+..)(?=${LOW_SPACE}+[0-9])|[\u0660-\uffff]`);

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
  const to = text.search(CORE_TO_OR_HIGH);
  if (to < 0) return null;
  return raRftSpanAt(text, to) ?? raRftSpanGeneral(text);
}

/**
 * {@link CORE_TO_OR_HIGH}'s source, for scans that look for it together with something else (the ra-rft
 * rules look for it and for `</answer>` in one pass). A hit is a 2-unit `to` or a 1-unit code unit from U+0660 up.
 */
export const RA_RFT_CORE_TO_OR_HIGH = CORE_TO_OR_HIGH.source;

/**
 * The span of the match whose core's `to` is at `to`, the first hit of {@link RA_RFT_CORE_TO_OR_HIGH} in
 * `text`; `undefined` when only {@link raRftSpanGeneral} is exact (the hit is a code unit from U+0660 up,
 * or one may continue the second number as another script's digit).
 */
export function raRftSpanAt(text: string, to: number): [number, number] | undefined {
  if (text.charCodeAt(to) >= 0x660) return undefined;
  // The last character (a digit or a dot) of the first number, before the whitespace run.
  let core = to - 1;
  while (isPySpace(text.charCodeAt(core))) core--;
  // The first number is the `\d+\.?\d*` token ending at `core`: it starts after the second-to-last dot
  // of the digit-and-dot run, past any dots (a token starts with a digit).
  let start = core;
  let dots = text.charCodeAt(core) === 0x2e ? 1 : 0;
  for (let code = start > 0 ? text.charCodeAt(start - 1) : -1; (code >= 0x30 && code <= 0x39) || code === 0x2e; code = --start > 0 ? text.charCodeAt(start - 1) : -1) {
    if (code === 0x2e && ++dots === 2) break;
  }
  while (text.charCodeAt(start) === 0x2e) start++;
  // The whitespace after `to` is known to match: skip it.
  let second = to + 2;
  while (isPySpace(text.charCodeAt(second))) second++;
  // The second number, greedy; a code unit from U+0660 up may continue it as another script's digit.
  const length = text.length;
  let end = second + 1;
  let code = end < length ? text.charCodeAt(end) : -1;
  while (code >= 0x30 && code <= 0x39) code = ++end < length ? text.charCodeAt(end) : -1;
  if (code === 0x2e) {
    code = ++end < length ? text.charCodeAt(end) : -1;
    while (code >= 0x30 && code <= 0x39) code = ++end < length ? text.charCodeAt(end) : -1;
  }
  if (code >= 0x660) return undefined;
  return [asciiDecimal(text, start, core + 1), asciiDecimal(text, second, end)];
}

/** {@link parseRaRftSpan} by the general scanner: exact on any text, slower. */
export function raRftSpanGeneral(text: string): [number, number] | null {
  return findNumberPairs(text, toSeparatorEnd, 1)[0] ?? null;
}
