import { describe, expect, it } from 'vitest';
import { isStrictNil, parseStrictSpans, strictTagContent } from './strict.js';

describe('strict rules', () => {
  it('parses spans in every notation, in any script of digits', () => {
    expect(parseStrictSpans('12.5s to 17.8s')).toEqual([[12.5, 17.8]]);
    expect(parseStrictSpans('12.5 – 17.8 seconds')).toEqual([[12.5, 17.8]]);
    expect(parseStrictSpans('(12.5, 17.8)')).toEqual([[12.5, 17.8]]);
    expect(parseStrictSpans('1:02:03.5 through 1:03:00')).toEqual([[3723.5, 3780]]);
    expect(parseStrictSpans('at ８.８７ to １３.５ seconds')).toEqual([[8.87, 13.5]]);
    expect(parseStrictSpans('rooms 2, 3 and more')).toEqual([]);
    expect(parseStrictSpans('version 1.2.3 to 4')).toEqual([]);
    expect(parseStrictSpans('1 to 2, 3 to 4, 5 to 6', 2)).toHaveLength(2);
  });

  it('takes the single answer block after </think> only', () => {
    expect(strictTagContent('<think>a</think><answer> x </answer>', '<answer>', '</answer>')).toBe('x');
    expect(strictTagContent('<think><answer>x</answer></think>', '<answer>', '</answer>')).toBeNull();
    expect(strictTagContent('<answer>x</answer><answer>y</answer>', '<answer>', '</answer>')).toBeNull();
    expect(strictTagContent('</answer><answer>x', '<answer>', '</answer>')).toBeNull();
  });

  it('accepts NIL only as the whole correction', () => {
    expect(['NIL', 'nil', 'Nil.'].map(isStrictNil)).toEqual([true, true, true]);
    expect(['vanilla', 'NIL NIL', 'Manila', ''].map(isStrictNil)).toEqual([false, false, false, false]);
  });
});
