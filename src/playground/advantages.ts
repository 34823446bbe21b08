// The group-relative advantage conventions the playground compares, as groupRelativeAdvantage options.
import { type GroupRelativeAdvantageOptions, groupRelativeAdvantage } from '../index.js';

/** One convention: an id for the page's hooks, a label, and the options it passes. */
export interface AdvantageConvention {
  id: 'trl' | 'verl' | 'dr-grpo' | 'rloo';
  label: string;
  options: Omit<GroupRelativeAdvantageOptions, 'groupSize'>;
}

/** TRL (std + 1e-4), verl (std + 1e-6), Dr. GRPO (no std scaling), RLOO (leave-one-out mean, no scaling). */
export const ADVANTAGE_CONVENTIONS: readonly AdvantageConvention[] = [
  { id: 'trl', label: 'TRL (σ + 1e-4)', options: {} },
  { id: 'verl', label: 'verl (σ + ε, ε = 1e-6)', options: { epsilon: 1e-6 } },
  { id: 'dr-grpo', label: 'Dr. GRPO (no σ)', options: { scale: 'none' } },
  { id: 'rloo', label: 'RLOO (leave-one-out)', options: { baseline: 'leave-one-out', scale: 'none' } },
];

/**
 * The advantages of one group of rewards under every convention, and whether the group has zero variance
 * (every advantage then 0: the prompt teaches nothing).
 *
 * @example
 * const { advantages, zeroVariance } = groupAdvantages([1, 1, 1]);
 * [advantages.trl[0], zeroVariance]; // => [0, true]
 */
export function groupAdvantages(rewards: readonly number[]): { advantages: Record<AdvantageConvention['id'], Float64Array>; zeroVariance: boolean } {
  const groupSize = Math.max(1, rewards.length);
  const advantages = Object.fromEntries(
    ADVANTAGE_CONVENTIONS.map((convention) => [convention.id, rewards.length === 0 ? new Float64Array(0) : groupRelativeAdvantage(rewards, { groupSize, ...convention.options })]),
  ) as Record<AdvantageConvention['id'], Float64Array>;
  const first = rewards[0];
  return { advantages, zeroVariance: rewards.length > 0 && rewards.every((reward) => reward === first) };
}
