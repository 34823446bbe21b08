import { describe, expect, it } from 'vitest';
import { hasZeroVariance, summarize } from './summarize.js';

describe('summarize', () => {
  it('gives numpy-style quartiles', () => {
    expect(summarize([4, 1, 3, 2])).toEqual({ n: 4, min: 1, q1: 1.75, median: 2.5, q3: 3.25, max: 4, mean: 2.5 });
    expect(summarize([7])).toEqual({ n: 1, min: 7, q1: 7, median: 7, q3: 7, max: 7, mean: 7 });
  });

  it('skips NaN and reports an empty sample as n 0', () => {
    expect(summarize([Number.NaN, 2]).n).toBe(1);
    expect(summarize([]).n).toBe(0);
  });
});

describe('hasZeroVariance', () => {
  it('is true when every reward is equal (up to rounding), false otherwise', () => {
    expect(hasZeroVariance([2, 2, 2, 2])).toBe(true);
    expect(hasZeroVariance([0.1 + 0.2, 0.3])).toBe(true);
    expect(hasZeroVariance([2, 2, 1.999])).toBe(false);
  });
});
