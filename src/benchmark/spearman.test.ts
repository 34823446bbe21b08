import { describe, expect, it } from 'vitest';
import { averageRanks } from './ranks.js';
import { spearman } from './spearman.js';

describe('spearman', () => {
  it('matches 1 − 6Σd²/(n(n²−1)) without ties', () => {
    // Rank differences (−1, 1, −1, 1, 0): Σd² = 4, so rho = 1 − 24/120 = 0.8.
    expect(spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])).toBeCloseTo(0.8, 12);
  });

  it('uses average ranks for ties (Pearson of ranks)', () => {
    // x ranks (1, 2.5, 2.5, 4) vs (1, 2, 3, 4): sxy = 4.5, sxx = 4.5, syy = 5 → 4.5 / √22.5.
    expect(spearman([1, 2, 2, 3], [10, 20, 30, 40])).toBeCloseTo(4.5 / Math.sqrt(22.5), 12);
  });

  it('is ±1 for monotone relations, NaN when undefined', () => {
    expect(spearman([1, 2, 3], [1, 8, 27])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(spearman([1], [1])).toBeNaN();
    expect(spearman([1, 2], [1])).toBeNaN();
  });

  it('ranks ties by their average', () => {
    expect(averageRanks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
    expect(averageRanks([5, 5, 5])).toEqual([2, 2, 2]);
  });
});
