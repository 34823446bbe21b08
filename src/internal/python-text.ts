// Python `str` semantics the reference relies on, restated for UTF-16 strings.
// Python's `\s` (str patterns) and `str.strip()` both use Py_UNICODE_ISSPACE; JS `\s`/`trim()` differ
// (JS adds U+FEFF, Python adds U+001C–U+001F and U+0085), so we keep our own table.

/** Python's `\s` (str patterns) as a JS regex character class; the same set as {@link isPySpace}. */
export const PY_SPACE_CLASS = String.raw`[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]`;

/** Python `str.isspace()` for one UTF-16 code unit (every Python whitespace character is in the BMP). */
export function isPySpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x1f);
  if (code < 0x85) return false;
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** Python `text.strip()`. */
export function pyStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isPySpace(text.charCodeAt(start))) start++;
  while (end > start && isPySpace(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** Index of the first non-whitespace code unit at or after `from` (Python `\s*`). */
export function skipPySpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && isPySpace(text.charCodeAt(i))) i++;
  return i;
}

const UNICODE_DIGIT = /^\p{Nd}$/u;

/**
 * Length in UTF-16 code units of the Python `\d` (Unicode decimal digit) at `index`, or 0 when there is none.
 * ASCII is the fast path; other scripts' digits (Arabic-Indic, fullwidth, mathematical…) match as in Python.
 */
export function pyDigitLength(text: string, index: number): 0 | 1 | 2 {
  const code = text.charCodeAt(index);
  if (code >= 0x30 && code <= 0x39) return 1;
  if (code < 0x80 || Number.isNaN(code)) return 0;
  const point = text.codePointAt(index) ?? 0;
  const width = point > 0xffff ? 2 : 1;
  return UNICODE_DIGIT.test(String.fromCodePoint(point)) ? width : 0;
}

/** Decimal value of a Unicode `Nd` code point: Unicode encodes each script's digits as a contiguous run 0–9. */
function unicodeDigitValue(point: number): number {
  // Several digit sets can be adjacent (U+1D7CE–U+1D7FF holds five): count back to the run's start mod 10.
  let back = 0;
  while (UNICODE_DIGIT.test(String.fromCodePoint(point - back - 1))) back++;
  return back % 10;
}

/**
 * Python `float()` of a string matching `\d+\.?\d*` (Unicode digits allowed). Overflowing inputs give
 * `Infinity`, as Python's `float` does.
 */
export function pyFloatOfDigits(token: string): number {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(token)) return Number(token);
  let ascii = '';
  for (const char of token) {
    const point = char.codePointAt(0) ?? 0;
    ascii += point === 0x2e ? '.' : point >= 0x30 && point <= 0x39 ? char : String(unicodeDigitValue(point));
  }
  return Number(ascii);
}

/** Python `text.split()` (no argument): the runs of non-whitespace, Python's whitespace. */
export function pySplit(text: string): string[] {
  const words: string[] = [];
  let i = 0;
  const length = text.length;
  while (i < length) {
    while (i < length && isPySpace(text.charCodeAt(i))) i++;
    if (i >= length) break;
    const start = i;
    while (i < length && !isPySpace(text.charCodeAt(i))) i++;
    words.push(text.slice(start, i));
  }
  return words;
}

/**
 * Python `repr(x)` / `str(x)` of a float: the shortest round-trip digits, fixed notation for decimal
 * exponents −4 ≤ e < 16 (always with a fraction: `12.0`), else `1e-05` / `1.5e+16`.
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mantissa, exponentText] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    return `${sign}${digits[0]}${fraction}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction === '' ? '0' : fraction}`;
}
