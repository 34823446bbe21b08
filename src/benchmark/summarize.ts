/** Five-number summary plus mean and count of a sample. */
export interface Distribution {
  n: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
  mean: number;
}

/** Quantile by linear interpolation between closest ranks (numpy's default), of a sorted array. */
function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  const lowValue = sorted[low] as number;
  return lowValue + ((sorted[high] as number) - lowValue) * (at - low);
}

/**
 * The {@link Distribution} of `values` (NaN values skipped); every field NaN and `n` 0 when empty.
 *
 * @example
 * summarize([4, 1, 3, 2]); // => { n: 4, min: 1, q1: 1.75, median: 2.5, q3: 3.25, max: 4, mean: 2.5 }
 */
export function summarize(values: readonly number[]): Distribution {
  const sorted = values.filter((value) => !Number.isNaN(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return { n: 0, min: NaN, q1: NaN, median: NaN, q3: NaN, max: NaN, mean: NaN };
  return {
    n: sorted.length,
    min: sorted[0] as number,
    q1: quantile(sorted, 0.25),
    median: quantile(sorted, 0.5),
    q3: quantile(sorted, 0.75),
    max: sorted[sorted.length - 1] as number,
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
  };
}

/**
 * Whether a group's rewards are all equal (within `1e-9` relative): such a group has zero reward
 * variance, so GRPO's group-relative advantages are all 0 and it teaches nothing.
 *
 * @example
 * hasZeroVariance([2, 2, 2]); // => true
 * hasZeroVariance([2, 1.5]); // => false
 */
export function hasZeroVariance(rewards: readonly number[]): boolean {
  if (rewards.length === 0) return true;
  let min = Infinity;
  let max = -Infinity;
  for (const reward of rewards) {
    if (reward < min) min = reward;
    if (reward > max) max = reward;
  }
  return max - min <= 1e-9 * Math.max(1, Math.abs(max), Math.abs(min));
}
