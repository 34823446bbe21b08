import type { FormatProfile, RewardProfile } from '../types.js';

/** The reward profiles, in documentation order (each has its rules in src/rules/). */
export const REWARD_PROFILES: readonly RewardProfile[] = ['ra-rft', 'strict'];
/** The format profiles: the reward profiles and the format rules of other methods. */
export const FORMAT_PROFILES: readonly FormatProfile[] = ['ra-rft', 'strict', 'r1', 'tvg-r1'];
