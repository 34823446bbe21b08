import { averageRanks } from './ranks.js';

/**
 * Spearman's rank correlation of two paired samples: the Pearson correlation of their average ranks
 * (ties share a rank). In [−1, 1]; NaN with fewer than two pairs, when either sample is constant, or
 * when the lengths differ.
 *
 * @example
 * spearman([1, 2, 3, 4], [10, 20, 30, 40]); // => 1
 * spearman([1, 2, 3], [3, 1, 2]); // => -0.5
 */
export function spearman(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length || x.length < 2) return Number.NaN;
  const rx = averageRanks(x);
  const ry = averageRanks(y);
  const n = rx.length;
  const meanX = rx.reduce((a, b) => a + b, 0) / n;
  const meanY = ry.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (rx[i] as number) - meanX;
    const dy = (ry[i] as number) - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? Number.NaN : sxy / Math.sqrt(sxx * syy);
}
