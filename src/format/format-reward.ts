import { isR1Format, isTvgR1Format } from '../internal/format-checks.js';
import { FORMAT_PROFILES } from '../internal/profile.js';
import { assertOneOf } from '../internal/validate.js';
import { raRftRules } from '../rules/ra-rft.js';
import { strictRules } from '../rules/strict.js';
import type { FormatProfile } from '../types.js';

// The reward profiles' format rules come from their ProfileRules; r1 and tvg-r1 are other methods' checks.
const FORMAT_CHECKS: Readonly<Record<FormatProfile, (completion: string) => boolean>> = {
  'ra-rft': raRftRules.isFormat,
  strict: strictRules.isFormat,
  r1: isR1Format,
  'tvg-r1': isTvgR1Format,
};

/** Options of {@link formatReward}. */
export interface FormatRewardOptions {
  /**
   * - `ra-rft` (default): RA-RFT's `<think>.*?</think>\s*<answer>.*?</answer>\s*<correction>.*?</correction>`
   *   full match of the stripped completion (JINSUBY/RA-RFT, main_rarft.py, commit 8843cbb).
   * - `strict`: exactly one of each tag, in order, whitespace only between blocks (no tags inside `<think>`),
   *   and no hollow block: each of think, answer and correction holds a letter or a digit.
   * - `r1`: `<think>.*?</think>\s*<answer>.*?</answer>` (DeepSeek-R1, Time-R1, TimeZero, VideoChat-R1).
   * - `tvg-r1`: `<think>.*</think>.*<time>.*</time>.*` on the unstripped completion (TVG-R1, EasyR1 `tvgonly`).
   */
  profile?: FormatProfile | undefined;
  /**
   * The chat template already opened `<think>` in the prompt, so the completion starts inside it:
   * `<think>` is prepended before checking. Default `false` (the reference then scores such completions 0).
   */
  thinkPrefilled?: boolean | undefined;
}

/**
 * Format reward: 1 when the completion has the profile's tag layout, else 0. Never throws on model output.
 *
 * Source: RA-RFT (Learning to Refuse, JINSUBY/RA-RFT); `r1` from Time-R1; `tvg-r1` from TVG-R1.
 * Linear time; no regex backtracking on adversarial text.
 *
 * @example
 * formatReward('<think>ok</think> <answer>1 to 2</answer> <correction>NIL</correction>'); // => 1
 * formatReward('I think 1 to 2'); // => 0
 * formatReward('ok</think><answer>1 to 2</answer><correction>NIL</correction>', { thinkPrefilled: true }); // => 1
 */
export function formatReward(completion: string, options?: FormatRewardOptions): number {
  const check = options?.profile === undefined ? raRftRules.isFormat : FORMAT_CHECKS[assertOneOf('formatReward', 'options.profile', options.profile, FORMAT_PROFILES)];
  if (typeof completion !== 'string') return 0;
  return check(options?.thinkPrefilled === true ? `<think>${completion}` : completion) ? 1 : 0;
}
