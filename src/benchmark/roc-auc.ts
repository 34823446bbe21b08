import { averageRanks } from './ranks.js';

/**
 * Area under the ROC curve of a score that should rank `good` above `bad`: the probability that a random
 * good item scores higher than a random bad one, ties counting one half (the Mann–Whitney U statistic
 * divided by `good.length · bad.length`). 1 = perfect ranking, 0.5 = chance (or all scores equal),
 * 0 = perfectly inverted. NaN when either list is empty or holds a NaN.
 *
 * @example
 * rocAuc([0.9, 0.8], [0.1, 0.8]); // => 0.875 (3 wins and 1 tie in 4 pairs)
 * rocAuc([1, 1], [1, 1]); // => 0.5
 */
export function rocAuc(good: readonly number[], bad: readonly number[]): number {
  if (good.length === 0 || bad.length === 0) return Number.NaN;
  if (good.some(Number.isNaN) || bad.some(Number.isNaN)) return Number.NaN;
  const ranks = averageRanks([...good, ...bad]);
  let goodRankSum = 0;
  for (let i = 0; i < good.length; i++) goodRankSum += ranks[i] as number;
  const u = goodRankSum - (good.length * (good.length + 1)) / 2;
  return u / (good.length * bad.length);
}

/** One point of a ROC curve: calling every score `>= threshold` good. */
export interface RocPoint {
  /** False-positive rate: the share of bad items at or above the threshold. */
  fpr: number;
  /** True-positive rate: the share of good items at or above the threshold. */
  tpr: number;
  threshold: number;
}

/**
 * The ROC curve of a score separating `good` from `bad`: one point per distinct score, from the highest
 * threshold down, starting at (0, 0) and ending at (1, 1). Ties between good and bad items make a
 * diagonal segment, so the trapezoidal area under these points equals {@link rocAuc}.
 *
 * @example
 * rocCurve([2, 1], [0]).map((p) => [p.fpr, p.tpr]); // => [[0, 0], [0, 0.5], [0, 1], [1, 1]]
 */
export function rocCurve(good: readonly number[], bad: readonly number[]): RocPoint[] {
  const scored = [...good.map((score) => ({ score, good: true })), ...bad.map((score) => ({ score, good: false }))]
    .filter((item) => !Number.isNaN(item.score))
    .sort((a, b) => b.score - a.score);
  const goodTotal = scored.filter((item) => item.good).length;
  const badTotal = scored.length - goodTotal;
  const points: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: Number.POSITIVE_INFINITY }];
  if (goodTotal === 0 || badTotal === 0) return points;
  let truePositives = 0;
  let falsePositives = 0;
  let i = 0;
  while (i < scored.length) {
    const threshold = (scored[i] as (typeof scored)[number]).score;
    while (i < scored.length && (scored[i] as (typeof scored)[number]).score === threshold) {
      if ((scored[i] as (typeof scored)[number]).good) truePositives++;
      else falsePositives++;
      i++;
    }
    points.push({ fpr: falsePositives / badTotal, tpr: truePositives / goodTotal, threshold });
  }
  return points;
}
