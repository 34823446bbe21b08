// Linear-time scanners equivalent to the reference's backtracking regexes over `\d+\.?\d*` numbers.
// A regex such as /(\d+\.?\d*)\s+to/ backtracks cubically on long digit runs; these helpers do not.
import { pyDigitLength, pyFloatOfDigits } from './python-text.js';

const DOT = 0x2e;

/** End of the greedy match of `\d+\.?\d*` at `at` (Python `\d`), or -1 when `at` holds no digit. */
export function readNumberEnd(text: string, at: number): number {
  let i = at;
  let width = pyDigitLength(text, i);
  if (width === 0) return -1;
  while (width !== 0) {
    i += width;
    width = pyDigitLength(text, i);
  }
  if (text.charCodeAt(i) !== DOT) return i;
  i++;
  while ((width = pyDigitLength(text, i)) !== 0) i += width;
  return i;
}

/** A number token `text.slice(start, end)` matching `\d+\.?\d*` whose end is the end of a digit/dot run. */
export interface NumberRun {
  start: number;
  end: number;
}

/**
 * The next maximal run of digits and dots at or after `from` that ends in a `\d+\.?\d*` token, with the
 * leftmost start such a token can have (a regex match must end where the run ends when the next
 * pattern element is whitespace). Returns `null` past the end of `text`.
 */
export function nextNumberRun(text: string, from: number): NumberRun | null {
  const length = text.length;
  let i = from;
  while (i < length) {
    if (pyDigitLength(text, i) === 0 && text.charCodeAt(i) !== DOT) {
      i++;
      continue;
    }
    const runStart = i;
    let lastDot = -1;
    let secondLastDot = -1;
    while (i < length) {
      const width = pyDigitLength(text, i);
      if (width !== 0) {
        i += width;
      } else if (text.charCodeAt(i) === DOT) {
        secondLastDot = lastDot;
        lastDot = i;
        i++;
      } else {
        break;
      }
    }
    // The token may hold at most one dot and must start with a digit.
    let start = secondLastDot >= 0 ? secondLastDot + 1 : runStart;
    while (start < i && pyDigitLength(text, start) === 0) start++;
    if (start < i) return { start, end: i };
  }
  return null;
}

// 10^0 … 10^22: every one is an exact double, which makes the fast path of asciiDecimal exact.
const EXACT_POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * `Number(text.slice(start, end))` for an ASCII `\d+\.?\d*` token, without the slice. With at most 15
 * digits the digits form an integer m < 2^53 and the fraction length f ≤ 15, so m and 10^f are exact
 * doubles and the one IEEE division m / 10^f is the correctly rounded value, as Python's `float()` gives
 * (Clinger's fast path). Longer tokens take `Number`.
 */
export function asciiDecimal(text: string, start: number, end: number): number {
  const length = end - start;
  if (length > 16) return Number(text.slice(start, end));
  let mantissa = 0;
  let dot = -1;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === DOT) dot = i;
    else mantissa = mantissa * 10 + (code - 0x30);
  }
  // With a dot, length ≤ 16 leaves at most 15 digits.
  if (dot >= 0) return mantissa / (EXACT_POWERS_OF_TEN[end - dot - 1] as number);
  return length > 15 ? Number(text.slice(start, end)) : mantissa;
}

/** Python `float()` of `text.slice(start, end)`, a `\d+\.?\d*` token. */
export function numberAt(text: string, start: number, end: number): number {
  // ASCII tokens (the common case) are plain JS numbers; only other scripts' digits need converting.
  for (let i = start; i < end; i++) if (text.charCodeAt(i) > 0x7f) return pyFloatOfDigits(text.slice(start, end));
  return asciiDecimal(text, start, end);
}

/**
 * Python `re.findall` of `(\d+\.?\d*)SEP(\d+\.?\d*)` where SEP cannot start with a digit or a dot and
 * `separatorEnd(text, at)` returns where SEP ends when it matches at `at` (else -1). Stops after
 * `limit` matches. Linear time.
 */
export function findNumberPairs(text: string, separatorEnd: (text: string, at: number) => number, limit = Infinity): [number, number][] {
  const pairs: [number, number][] = [];
  let from = 0;
  while (pairs.length < limit) {
    const run = nextNumberRun(text, from);
    if (run === null) break;
    from = run.end;
    const second = separatorEnd(text, run.end);
    if (second < 0) continue;
    const end = readNumberEnd(text, second);
    if (end < 0) continue;
    pairs.push([numberAt(text, run.start, run.end), numberAt(text, second, end)]);
    from = end;
  }
  return pairs;
}
