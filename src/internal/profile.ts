import type { FormatProfile, RewardProfile } from '../types.js';
import { assertOneOf } from './validate.js';

export const REWARD_PROFILES: readonly RewardProfile[] = ['ra-rft', 'strict'];
export const FORMAT_PROFILES: readonly FormatProfile[] = ['ra-rft', 'strict', 'r1', 'tvg-r1'];

/** The reward profile of `options` (default `ra-rft`), validated. */
export function rewardProfile(fn: string, profile: unknown): RewardProfile {
  return profile === undefined ? 'ra-rft' : assertOneOf(fn, 'options.profile', profile, REWARD_PROFILES);
}
