import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readTimestamps } from './read-timestamps.js';

describe('readTimestamps', () => {
  it.each([
    ['3.1 to 10.9', [[3.1, 10.9]]],
    ['3.1 and 10.9', [[3.1, 10.9]]],
    ['12.5s - 17.8s', [[12.5, 17.8]]],
    ['[12.5, 17.8]', [[12.5, 17.8]]],
    ['01:02:03.5 to 01:02:10', [[3723.5, 3730]]],
    ['02:03 – 02:10', [[123, 130]]],
    ['{"start_time": 1, "end_time": "2.5"}', [[1, 2.5]]],
    ['<t>8.2</t>s to <t>13.6</t>s', [[8.2, 13.6]]],
    ['1 to 2, 5 to 9 and [10, 12]', [[1, 2], [5, 9], [10, 12]]],
    ['12.5 seconds until 17.8 seconds', [[12.5, 17.8]]],
    ['no span here', []],
  ] as const)('%s', (text, spans) => {
    expect(readTimestamps(text)).toEqual(spans);
  });

  it('never throws', () => {
    fc.assert(fc.property(fc.string(), (text) => Array.isArray(readTimestamps(text))));
    expect(readTimestamps(42 as never)).toEqual([]);
  });
});
