import { OptionsError } from '../errors.js';
import { assertOneOf } from '../internal/validate.js';

/** Options of {@link multiRewardAdvantage}. Defaults are TRL's `GRPOTrainer`. */
export interface MultiRewardAdvantageOptions {
  /** Completions per prompt (G); the rows hold consecutive groups of this size. */
  groupSize: number;
  /** Weight of each reward function (TRL `reward_weights`); default 1 each. */
  weights?: readonly number[] | undefined;
  /**
   * TRL `multi_objective_aggregation`: `sum_then_normalize` (default: the weighted sum of the rewards is
   * normalized) or `normalize_then_sum` (GDPO: each reward is normalized within its group first, then the
   * weighted sum is normalized again).
   */
  aggregation?: 'sum_then_normalize' | 'normalize_then_sum' | undefined;
  /**
   * The std the final advantage is divided by: `group` (per prompt), `batch` (all rows) or `none` (the
   * mean is subtracted only). Default `group` for `sum_then_normalize`; `batch` for `normalize_then_sum`,
   * where TRL always centres and scales the sum over the batch.
   */
  scale?: 'group' | 'batch' | 'none' | undefined;
  /** Added to every std before dividing; TRL 1e-4. */
  epsilon?: number | undefined;
}

/** nanmean and Bessel-corrected nanstd (TRL `nanstd`) of `values[i]` for i in `indices`; std NaN below two values. */
function stats(values: Float64Array, indices: Iterable<number>): { mean: number; std: number } {
  let count = 0;
  let sum = 0;
  const kept: number[] = [];
  for (const i of indices) {
    const value = values[i] as number;
    if (Number.isNaN(value)) continue;
    count++;
    sum += value;
    kept.push(value);
  }
  const mean = count === 0 ? Number.NaN : sum / count;
  let squares = 0;
  for (const value of kept) squares += (value - mean) ** 2;
  return { mean, std: count < 2 ? Number.NaN : Math.sqrt(squares / (count - 1)) };
}

function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, k) => start + k);
}

/**
 * GRPO advantages from several rewards per completion (`rewards[i][k]`: completion i, reward function k),
 * as TRL computes them. `null` or NaN is "not applicable" (TRL's `None`): left out of sums and statistics;
 * a completion with no applicable reward gets advantage 0.
 * - `sum_then_normalize`: `r_i = Σ_k w_k r_ik`, then `A_i = (r_i − mean_group) / (std + ε)`, std over the
 *   group or the batch per `scale` (`none`: not divided).
 * - `normalize_then_sum` (GDPO): `n_ik = (r_ik − mean_group,k) / (std_group,k + ε)`, `s_i = Σ_k w_k n_ik`,
 *   then `A_i = (s_i − mean) / (std + ε)` over the batch (TRL; `group`: over the group; `none`: `s_i` as is).
 * Stds are Bessel-corrected; a std over one value (or groups of one) counts as 0.
 *
 * Source: TRL (huggingface/trl, trl/trainer/grpo_trainer.py `_generate_and_score_completions`,
 * `multi_objective_aggregation`, commit f2cd577); GDPO for `normalize_then_sum`.
 *
 * @example
 * multiRewardAdvantage([[1, 0], [1, 1], [0, 0], [0, 1]], { groupSize: 2 }); // => Float64Array [-0.7070067953266834, 0.7070067953266834, -0.7070067953266834, 0.7070067953266834]
 * multiRewardAdvantage([[1, 0], [0, 10]], { groupSize: 2, scale: 'none' }); // => Float64Array [-4.5, 4.5]
 * multiRewardAdvantage([[1, 0], [0, 10]], { groupSize: 2, aggregation: 'normalize_then_sum' }); // => Float64Array [-0.39596158399861253, 0.39596158399861253]
 */
export function multiRewardAdvantage(rewards: readonly (readonly (number | null)[])[], options: MultiRewardAdvantageOptions): Float64Array {
  const fn = 'multiRewardAdvantage';
  const groupSize = options?.groupSize;
  if (!Number.isInteger(groupSize) || groupSize < 1) throw new OptionsError(fn, 'options.groupSize', `must be a positive integer, got ${String(groupSize)}`);
  if (!Array.isArray(rewards)) throw new OptionsError(fn, 'rewards', 'must be an array of rows, one per completion');
  const n = rewards.length;
  if (n % groupSize !== 0) throw new OptionsError(fn, 'rewards', `length ${n} is not a multiple of options.groupSize ${groupSize}`);
  const k = n === 0 ? (options.weights?.length ?? 0) : (rewards[0] as readonly unknown[]).length;
  const weights = options.weights ?? Array.from({ length: k }, () => 1);
  if (!Array.isArray(weights) || weights.length !== k || weights.some((w) => typeof w !== 'number' || !Number.isFinite(w))) {
    throw new OptionsError(fn, 'options.weights', `must be ${k} finite numbers, one per reward`);
  }
  const aggregation = options.aggregation === undefined ? 'sum_then_normalize' : assertOneOf(fn, 'options.aggregation', options.aggregation, ['sum_then_normalize', 'normalize_then_sum'] as const);
  const scale = options.scale === undefined ? (aggregation === 'sum_then_normalize' ? 'group' : 'batch') : assertOneOf(fn, 'options.scale', options.scale, ['group', 'batch', 'none'] as const);
  const epsilon = options.epsilon ?? 1e-4;
  if (typeof epsilon !== 'number' || !(epsilon >= 0) || !Number.isFinite(epsilon)) throw new OptionsError(fn, 'options.epsilon', `must be a finite number >= 0, got ${String(epsilon)}`);

  const columns = Array.from({ length: k }, () => new Float64Array(n));
  const unscorable = new Uint8Array(n).fill(1);
  rewards.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== k) throw new OptionsError(fn, `rewards[${i}]`, `must hold ${k} rewards`);
    row.forEach((value, j) => {
      if (value !== null && typeof value !== 'number') throw new OptionsError(fn, `rewards[${i}][${j}]`, `must be a number or null, got ${typeof value}`);
      const v = value === null ? Number.NaN : value;
      if (!Number.isNaN(v) && !Number.isFinite(v)) throw new OptionsError(fn, `rewards[${i}][${j}]`, `must be finite or null, got ${v}`);
      (columns[j] as Float64Array)[i] = v;
      if (!Number.isNaN(v)) unscorable[i] = 0;
    });
  });

  const groups = range(0, n / groupSize).map((g) => range(g * groupSize, (g + 1) * groupSize));
  const summed = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < k; j++) {
      let value = (columns[j] as Float64Array)[i] as number;
      if (aggregation === 'normalize_then_sum' && !Number.isNaN(value)) {
        const group = groups[Math.floor(i / groupSize)] as number[];
        const { mean, std } = stats(columns[j] as Float64Array, group);
        value = (value - mean) / ((groupSize > 1 ? std : 0) + epsilon);
      }
      if (!Number.isNaN(value)) sum += (weights[j] as number) * value;
    }
    summed[i] = unscorable[i] === 1 ? Number.NaN : sum;
  }

  const advantages = new Float64Array(n);
  const batch = stats(summed, range(0, n));
  for (const group of groups) {
    const own = stats(summed, group);
    const center = aggregation === 'normalize_then_sum' && scale !== 'group' ? batch.mean : own.mean;
    const std = scale === 'batch' ? (n > 1 ? batch.std : 0) : groupSize > 1 ? own.std : 0;
    for (const i of group) {
      const value = summed[i] as number;
      let advantage: number;
      if (aggregation === 'normalize_then_sum' && scale === 'none') advantage = value;
      else advantage = scale === 'none' ? value - center : (value - center) / (std + epsilon);
      advantages[i] = Number.isNaN(advantage) ? 0 : advantage;
    }
  }
  return advantages;
}
