import { OptionsError } from '../errors.js';
import { assertOneOf } from '../internal/validate.js';

/** Options of {@link groupRelativeAdvantage}. Defaults are TRL's `GRPOTrainer` (and the RA-RFT reference). */
export interface GroupRelativeAdvantageOptions {
  /** Completions per prompt (G); `rewards` holds consecutive groups of this size. */
  groupSize: number;
  /**
   * What to divide by: `group` std (TRL default, GRPO), `batch` std over all rewards (TRL
   * `scale_rewards="batch"`), or `none` (Dr. GRPO: the mean is subtracted only).
   */
  scale?: 'group' | 'batch' | 'none' | undefined;
  /** Added to the std before dividing. TRL/RA-RFT 1e-4 (default), verl 1e-6, OpenRLHF 1e-9. */
  epsilon?: number | undefined;
  /** `unbiased` (Bessel, n − 1: `torch.std`, default) or `population` (n). */
  std?: 'unbiased' | 'population' | undefined;
  /** `mean` of the group (default) or `leave-one-out`: the mean of the OTHER completions (RLOO). */
  baseline?: 'mean' | 'leave-one-out' | undefined;
}

/**
 * Group-relative advantages for GRPO: `A_i = (r_i − baseline_i) / (std + ε)` within each group of
 * `groupSize` consecutive rewards.
 *
 * Null (or NaN) rewards mean "not applicable": they are left out of the statistics and get advantage 0,
 * as TRL does with NaN rewards. A std over fewer than two rewards (unbiased) is taken as 0, so a group
 * with one scored completion gets advantage 0 instead of NaN. Source: DeepSeekMath (GRPO), TRL
 * `GRPOTrainer`; Dr. GRPO (`scale: 'none'`); RLOO (`baseline: 'leave-one-out'`).
 *
 * @example
 * groupRelativeAdvantage([1, 0, 1, 0], { groupSize: 2 }); // => Float64Array [0.7070067953266834, -0.7070067953266834, 0.7070067953266834, -0.7070067953266834]
 * groupRelativeAdvantage([3, 1, null, 2], { groupSize: 4, scale: 'none' }); // => Float64Array [1, -1, 0, 0]
 */
export function groupRelativeAdvantage(rewards: ArrayLike<number | null>, options: GroupRelativeAdvantageOptions): Float64Array {
  const fn = 'groupRelativeAdvantage';
  const groupSize = options?.groupSize;
  if (!Number.isInteger(groupSize) || groupSize < 1) {
    throw new OptionsError(fn, 'options.groupSize', `must be a positive integer, got ${String(groupSize)}`);
  }
  if (rewards === null || typeof rewards !== 'object' || typeof rewards.length !== 'number') {
    throw new OptionsError(fn, 'rewards', 'must be an array of numbers or nulls');
  }
  const length = rewards.length;
  if (length % groupSize !== 0) {
    throw new OptionsError(fn, 'rewards', `length ${length} is not a multiple of options.groupSize ${groupSize}`);
  }
  const scale = options.scale === undefined ? 'group' : assertOneOf(fn, 'options.scale', options.scale, ['group', 'batch', 'none'] as const);
  const stdKind = options.std === undefined ? 'unbiased' : assertOneOf(fn, 'options.std', options.std, ['unbiased', 'population'] as const);
  const baseline = options.baseline === undefined ? 'mean' : assertOneOf(fn, 'options.baseline', options.baseline, ['mean', 'leave-one-out'] as const);
  const epsilon = options.epsilon ?? 1e-4;
  if (typeof epsilon !== 'number' || !(epsilon >= 0) || !Number.isFinite(epsilon)) {
    throw new OptionsError(fn, 'options.epsilon', `must be a finite number >= 0, got ${String(epsilon)}`);
  }

  const values = new Float64Array(length);
  const scored = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const reward = rewards[i];
    if (reward === null || reward === undefined || Number.isNaN(reward)) continue;
    if (typeof reward !== 'number' || !Number.isFinite(reward)) {
      throw new OptionsError(fn, `rewards[${i}]`, `must be a finite number or null, got ${String(reward)}`);
    }
    values[i] = reward;
    scored[i] = 1;
  }

  const advantages = new Float64Array(length);
  const batchStd = scale === 'batch' ? standardDeviation(values, scored, 0, length, stdKind, sumScored(values, scored, 0, length)) : 0;
  for (let start = 0; start < length; start += groupSize) {
    const end = start + groupSize;
    const group = sumScored(values, scored, start, end);
    const { count, sum } = group;
    if (count === 0) continue;
    const mean = sum / count;
    const divisor = scale === 'none' ? 1 : (scale === 'batch' ? batchStd : standardDeviation(values, scored, start, end, stdKind, group)) + epsilon;
    for (let i = start; i < end; i++) {
      if (scored[i] !== 1) continue;
      const value = values[i] as number;
      const reference = baseline === 'mean' ? mean : count > 1 ? (sum - value) / (count - 1) : value;
      advantages[i] = divisor === 0 ? 0 : (value - reference) / divisor;
    }
  }
  return advantages;
}

/** Count and sum of the scored rewards in [start, end). */
function sumScored(values: Float64Array, scored: Uint8Array, start: number, end: number): { count: number; sum: number } {
  let count = 0;
  let sum = 0;
  for (let i = start; i < end; i++) {
    if (scored[i] === 1) {
      count++;
      sum += values[i] as number;
    }
  }
  return { count, sum };
}

function standardDeviation(
  values: Float64Array,
  scored: Uint8Array,
  start: number,
  end: number,
  kind: 'unbiased' | 'population',
  { count, sum }: { count: number; sum: number },
): number {
  const dof = kind === 'unbiased' ? count - 1 : count;
  if (dof <= 0) return 0;
  const mean = sum / count;
  let squares = 0;
  for (let i = start; i < end; i++) {
    if (scored[i] === 1) squares += ((values[i] as number) - mean) ** 2;
  }
  return Math.sqrt(squares / dof);
}
