// Python's float() of an arbitrary value (str, int, float, bool), as the TVG-R1 and Temporal-R1 rewards
// apply it to whatever json.loads returned. `null` stands for the exception Python would raise.
import { OVERFLOWING_INT } from './python-json.js';
import { isPySpace } from './python-text.js';

// CPython's float(str) grammar after its ASCII transform: sign, digits with single underscores between
// digits, optional fraction and exponent; or inf/infinity/nan (any case).
const PY_FLOAT_TEXT = /^[+-]?(?:[0-9](?:_?[0-9])*(?:\.(?:[0-9](?:_?[0-9])*)?)?|\.[0-9](?:_?[0-9])*)(?:[eE][+-]?[0-9](?:_?[0-9])*)?$/;
const SPECIAL = /^[+-]?(?:inf|infinity|nan)$/i;
const UNICODE_DIGIT = /^\p{Nd}$/u;
const ASCII_SPACE = (code: number): boolean => code === 0x20 || (code >= 0x09 && code <= 0x0d);

/** Value of a Unicode decimal digit (Unicode encodes each script's digits as a run 0–9), or -1. */
function decimalValue(point: number): number {
  if (!UNICODE_DIGIT.test(String.fromCodePoint(point))) return -1;
  let back = 0;
  while (UNICODE_DIGIT.test(String.fromCodePoint(point - back - 1))) back++;
  return back % 10;
}

/**
 * CPython's `_PyUnicode_TransformDecimalAndSpaceToASCII`: characters below U+007F stay, other whitespace
 * becomes a space, other decimal digits their ASCII digit; anything else makes the text invalid (`null`).
 */
function toAscii(text: string): string | null {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return text;
  let ascii = '';
  for (const char of text) {
    const point = char.codePointAt(0) as number;
    if (point < 0x7f) ascii += char;
    else if (point <= 0xffff && isPySpace(point)) ascii += ' ';
    else {
      const digit = decimalValue(point);
      if (digit < 0) return null;
      ascii += String(digit);
    }
  }
  return ascii;
}

/**
 * Python `float(value)` for the values `json.loads` gives: a bool is 0 or 1, a number itself, an int too
 * large for a double and anything but a string raise (`null`). A string follows CPython's rules: other
 * scripts' decimal digits count (`'١٢.٥'` → 12.5), Unicode whitespace around the number is allowed but
 * U+001C–U+001F and U+FEFF are not, underscores may sit between digits (`'1_000'`), `inf`/`nan` in any case.
 *
 * @example
 * pyFloat(' ١٢.٥\u3000'); // => 12.5
 * pyFloat('1_000'); // => 1000
 * pyFloat('\x1c5'); // => null
 * pyFloat('-Infinity') === -Infinity; // => true
 */
export function pyFloat(value: unknown): number | null {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (value === OVERFLOWING_INT || typeof value !== 'string') return null;
  const ascii = toAscii(value);
  if (ascii === null) return null;
  let start = 0;
  let end = ascii.length;
  while (start < end && ASCII_SPACE(ascii.charCodeAt(start))) start++;
  while (end > start && ASCII_SPACE(ascii.charCodeAt(end - 1))) end--;
  const text = ascii.slice(start, end);
  if (SPECIAL.test(text)) {
    const negative = text.startsWith('-');
    return /nan$/i.test(text) ? Number.NaN : negative ? -Infinity : Infinity;
  }
  if (!PY_FLOAT_TEXT.test(text)) return null;
  return Number(text.replaceAll('_', ''));
}
