// The linear-time parsers against the reference regexes themselves (run on short strings, where the
// regexes' backtracking is harmless), on random text built from the characters that matter.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pyFloatOfDigits } from '../python-text.js';
import { parseRaRftSpan } from './parse-ra-rft-span.js';
import { parseTimeLensSpans } from './parse-time-lens-spans.js';
import { parseTimeR1Span } from './parse-time-r1-span.js';

// Python's `\s` and `\d` for str patterns.
const S = String.raw`[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]`;
const D = String.raw`\p{Nd}`;
const NUMBER = `(${D}+\\.?${D}*)`;
const RA_RFT = new RegExp(`${NUMBER}${S}+to${S}+${NUMBER}`, 'iu');
const TIME_R1 = new RegExp(`${NUMBER} (to|and) ${NUMBER}`, 'giu');
const DASH = /(\d+\.?\d*)\s*-\s*(\d+\.?\d*)/g;

const pieces = ['1', '2', '0', '9', '.', ' ', '  ', '\t', '\x1c', '\ufeff', 'to', 'TO', 'To', 'and', 'AND', 't', 'o', 'a', 's', '-', ':', '٣', '𝟓', 'x'];
const text = fc.array(fc.constantFrom(...pieces), { maxLength: 24 }).map((parts) => parts.join(''));
const pair = (a: string, b: string): [number, number] => [pyFloatOfDigits(a), pyFloatOfDigits(b)];

/** parseRaRftSpan(input) is what the reference regex finds in it. */
function expectReferenceSpan(input: string): void {
  const match = RA_RFT.exec(input);
  expect(parseRaRftSpan(input)).toEqual(match === null ? null : pair(match[1] as string, match[2] as string));
}

describe('parseRaRftSpan equals re.search(r"(\\d+\\.?\\d*)\\s+to\\s+(\\d+\\.?\\d*)", re.I)', () => {
  it('on random text', () => {
    fc.assert(
      fc.property(text, expectReferenceSpan),
      { numRuns: 5000 },
    );
  });

  // The fast path handles text below U+0660 by itself; these pieces keep it there (Latin-1 spaces and
  // letters included), then end with one piece that may send it to the general scanner.
  const lowPieces = ['1', '2', '0', '9', '.', '..', ' ', '  ', '\t', '\n', '\x1c', '\x85', '\xa0', 'to', 'TO', 'tO', 'To', 't', 'o', 'x', 'é', 'ā', 's', '-'];
  const highPieces = ['٣', '𝟓', '\u3000', '\u2003', '\ufeff', 'ش', ''];
  const lowText = fc
    .tuple(fc.array(fc.constantFrom(...lowPieces), { maxLength: 30 }), fc.constantFrom(...highPieces), fc.array(fc.constantFrom(...lowPieces), { maxLength: 6 }))
    .map(([head, high, tail]) => head.join('') + high + tail.join(''));

  it('on text below U+0660 with one character from further up', () => {
    fc.assert(
      fc.property(lowText, expectReferenceSpan),
      { numRuns: 20000 },
    );
  });

  it('reads long and many-digit numbers as Python float() does', () => {
    const digits = fc.stringMatching(/^[0-9]{1,25}(\.[0-9]{0,25})?$/);
    fc.assert(
      fc.property(digits, digits, (a, b) => {
        expect(parseRaRftSpan(`${a} to ${b}`)).toEqual([Number(a), Number(b)]);
      }),
      { numRuns: 5000 },
    );
    expect(parseRaRftSpan('123456789012345.6 to 9007199254740993')).toEqual([123456789012345.6, 9007199254740993]);
    expect(parseRaRftSpan('0.1000000000000000055511151231257827 to 1.')).toEqual([0.1, 1]);
  });

  it('on known cases', () => {
    expect(parseRaRftSpan('1.2.3 to 4')).toEqual([2.3, 4]);
    expect(parseRaRftSpan('3 to 5 people')).toEqual([3, 5]);
    expect(parseRaRftSpan('12.5s to 17.8s')).toBeNull();
    expect(parseRaRftSpan('5.. to 6')).toBeNull();
    expect(parseRaRftSpan('1.2. to 3')).toEqual([2, 3]);
    expect(parseRaRftSpan('x0. TO\xa05')).toEqual([0, 5]);
    expect(parseRaRftSpan('7\u3000TO\n8.')).toEqual([7, 8]);
    expect(parseRaRftSpan('7\ufeffto 8')).toBeNull();
  });
});

describe('parseTimeR1Span equals re.findall(r"(\\d+\\.?\\d*) (to|and) (\\d+\\.?\\d*)", re.I)[-1]', () => {
  it('on random text', () => {
    fc.assert(
      fc.property(text, (input) => {
        const last = [...input.matchAll(TIME_R1)].at(-1);
        expect(parseTimeR1Span(input)).toEqual(last === undefined ? null : pair(last[1] as string, last[3] as string));
      }),
      { numRuns: 5000 },
    );
  });

  it('takes the last non-overlapping match, as findall does', () => {
    expect(parseTimeR1Span('1 to 2 to 3')).toEqual([1, 2]);
    expect(parseTimeR1Span('1 to 2.3.4 and 5')).toEqual([4, 5]);
  });
});

describe('parseTimeLensSpans', () => {
  it('finds every a - b pair like re.findall when there are no clock times', () => {
    const ascii = fc.array(fc.constantFrom('1', '2', '.', ' ', '-', 'x'), { maxLength: 20 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(ascii, (input) => {
        const dashes = [...input.matchAll(DASH)].map((m) => [Number(m[1]), Number(m[2])]);
        if (dashes.length > 0) expect(parseTimeLensSpans(input)).toEqual(dashes);
      }),
      { numRuns: 3000 },
    );
  });

  it('tries clock times, then ranges, then bare numbers', () => {
    expect(parseTimeLensSpans('at 1:02:03.5 until 1:03:00')).toEqual([[3723.5, 3780]]);
    expect(parseTimeLensSpans('at 00:05 only')).toEqual([[0, 5]]); // one clock time is dropped, then bare numbers pair up
    expect(parseTimeLensSpans('From 4 TO 9')).toEqual([[4, 9]]);
    expect(parseTimeLensSpans('4 and 9 and 11')).toEqual([[4, 9]]);
  });
});
