// Python's `json.loads` (CPython 3.11, the C scanner), restated for what the rewards read from it:
// objects keep their keys in insertion order (a JS object puts integer-like keys first), `NaN`,
// `Infinity` and `-Infinity` are accepted, and integers keep the information `float()` needs.

/** A Python `int` that `float()` cannot convert (OverflowError): its magnitude rounds past the largest double. */
export const OVERFLOWING_INT: unique symbol = Symbol('OverflowingInt');

/** A parsed JSON object, its keys in insertion order (a repeated key keeps its first place, its last value). */
export class PyDict {
  readonly keys: string[] = [];
  readonly values = new Map<string, PyJson>();

  set(key: string, value: PyJson): void {
    if (!this.values.has(key)) this.keys.push(key);
    this.values.set(key, value);
  }
}

/** What `json.loads` returns: `null` is Python's `None`. */
export type PyJson = null | boolean | number | string | typeof OVERFLOWING_INT | PyJson[] | PyDict;

// Python raises RecursionError somewhere near its recursion limit (1000 frames, callers included); the
// exact depth depends on the call stack, so nesting deeper than this is taken as that error.
const MAX_DEPTH = 990;
// Python 3.11's int() refuses decimal strings longer than 4300 digits (sys.int_info.str_digits_check_threshold).
const MAX_INT_DIGITS = 4300;

class ParseError extends Error {}

const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;
const STRING = /"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

function skipWhitespace(text: string, at: number): number {
  let i = at;
  for (let code = text.charCodeAt(i); code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d; code = text.charCodeAt(++i));
  return i;
}

function parseValue(text: string, at: number, depth: number): [PyJson, number] {
  const code = text.charCodeAt(at);
  if (code === 0x22) {
    STRING.lastIndex = at;
    if (!STRING.test(text)) throw new ParseError();
    return [JSON.parse(text.slice(at, STRING.lastIndex)) as string, STRING.lastIndex];
  }
  if (code === 0x7b || code === 0x5b) {
    if (depth >= MAX_DEPTH) throw new ParseError();
    return code === 0x7b ? parseObject(text, at + 1, depth + 1) : parseArray(text, at + 1, depth + 1);
  }
  for (const [word, value] of [['null', null], ['true', true], ['false', false], ['NaN', Number.NaN], ['Infinity', Infinity], ['-Infinity', -Infinity]] as const) {
    if (text.startsWith(word, at)) return [value, at + word.length];
  }
  NUMBER.lastIndex = at;
  const match = NUMBER.exec(text);
  if (match === null) throw new ParseError();
  const token = match[0];
  if (match[1] === undefined && match[2] === undefined) {
    // An int: Python keeps it exact; float() of it raises OverflowError past the double range.
    if (token.replace('-', '').length > MAX_INT_DIGITS) throw new ParseError();
    const value = Number(token);
    return [Number.isFinite(value) ? value + 0 : OVERFLOWING_INT, NUMBER.lastIndex];
  }
  return [Number(token), NUMBER.lastIndex];
}

function parseArray(text: string, from: number, depth: number): [PyJson[], number] {
  const items: PyJson[] = [];
  let i = skipWhitespace(text, from);
  if (text.charCodeAt(i) === 0x5d) return [items, i + 1];
  for (;;) {
    const [value, end] = parseValue(text, i, depth);
    items.push(value);
    i = skipWhitespace(text, end);
    const code = text.charCodeAt(i);
    if (code === 0x5d) return [items, i + 1];
    if (code !== 0x2c) throw new ParseError();
    i = skipWhitespace(text, i + 1);
  }
}

function parseObject(text: string, from: number, depth: number): [PyDict, number] {
  const dict = new PyDict();
  let i = skipWhitespace(text, from);
  if (text.charCodeAt(i) === 0x7d) return [dict, i + 1];
  for (;;) {
    if (text.charCodeAt(i) !== 0x22) throw new ParseError();
    const [key, keyEnd] = parseValue(text, i, depth) as [string, number];
    i = skipWhitespace(text, keyEnd);
    if (text.charCodeAt(i) !== 0x3a) throw new ParseError();
    const [value, end] = parseValue(text, skipWhitespace(text, i + 1), depth);
    dict.set(key, value);
    i = skipWhitespace(text, end);
    const code = text.charCodeAt(i);
    if (code === 0x7d) return [dict, i + 1];
    if (code !== 0x2c) throw new ParseError();
    i = skipWhitespace(text, i + 1);
  }
}

/**
 * Python `json.loads(text)`, or `undefined` where it raises (a leading U+FEFF, trailing data, malformed
 * JSON, an integer of more than 4300 digits, nesting near the recursion limit).
 */
export function pyJsonLoads(text: string): PyJson | undefined {
  if (text.charCodeAt(0) === 0xfeff) return undefined;
  try {
    const [value, end] = parseValue(text, skipWhitespace(text, 0), 0);
    return skipWhitespace(text, end) === text.length ? value : undefined;
  } catch (error) {
    if (error instanceof ParseError) return undefined;
    throw error;
  }
}
