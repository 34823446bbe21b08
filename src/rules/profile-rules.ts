import type { RewardProfile } from '../types.js';
import { REWARD_PROFILES } from '../internal/profile.js';
import { assertOneOf } from '../internal/validate.js';
import { raRftRules } from './ra-rft.js';
import { strictRules } from './strict.js';
import type { ProfileRules } from './types.js';

const RULES: Readonly<Record<RewardProfile, ProfileRules>> = { 'ra-rft': raRftRules, strict: strictRules };

/** The rules of `profile` (default `ra-rft`); throws an OptionsError naming `fn` for an unknown profile. */
export function profileRules(fn: string, profile: unknown): ProfileRules {
  if (profile === undefined) return raRftRules;
  return RULES[assertOneOf(fn, 'options.profile', profile, REWARD_PROFILES)];
}
