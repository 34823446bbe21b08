import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseOpenO3VideoSpan } from './parse-open-o3-video-span.js';
import { parseTaroSpan } from './parse-taro-span.js';
import { parseTimeSearchSpan } from './parse-time-search-span.js';

describe('the new variants\' upstream parsers', () => {
  it('parseTaroSpan: last answer, last `Ns to|and Ms`, case-insensitive, Unicode digits', () => {
    expect(parseTaroSpan('<answer>1s to 2s, 3S AND 4S</answer>')).toEqual([3, 4]);
    expect(parseTaroSpan('<answer>٣s to ٥s</answer>')).toEqual([3, 5]);
    expect(parseTaroSpan('<answer>3 to 5</answer>')).toBeNull();
  });

  it('parseOpenO3VideoSpan: first answer block, first <t> pair', () => {
    expect(parseOpenO3VideoSpan('<answer><t>1</t>s to <t>2</t>s</answer><answer><t>3</t>s to <t>4</t>s</answer>')).toEqual([1, 2]);
  });

  it('parseTimeSearchSpan: numbers (and bools) only, ordered, non-negative', () => {
    expect(parseTimeSearchSpan('{"start_time": true, "end_time": 2}')).toEqual([1, 2]);
    expect(parseTimeSearchSpan('{"start_time": -1, "end_time": 2}')).toBeNull();
    expect(parseTimeSearchSpan('{"start_time": 1, "end_time": 2, "start_time": 3}')).toBeNull();
  });

  it('never throw', () => {
    fc.assert(fc.property(fc.string(), (text) => {
      parseTaroSpan(text);
      parseOpenO3VideoSpan(text);
      parseTimeSearchSpan(text);
      return true;
    }));
  });
});
