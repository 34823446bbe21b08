import { OptionsError } from '../errors.js';
import { THINK_ANSWER_JOINT, endOfJoint } from '../internal/format-checks.js';
import { assertTarget } from '../internal/validate.js';
import type { RaRftTarget } from '../types.js';
import { plainIoU } from './plain-iou.js';

/** Options of {@link videoR1TGrpoRewards}. */
export interface VideoR1TGrpoOptions {
  /**
   * The group's completions generated from the same prompt with the video frames shuffled (Video-R1 samples
   * half as many). Without them (or with none) there is no temporal bonus, as when T-GRPO is off.
   */
  shuffledCompletions?: readonly string[] | undefined;
  /** The accuracy reward of one completion, in [0, 1]. Default: TimeZero's plain IoU ({@link plainIoU}); Video-R1 has no grounding accuracy of its own. */
  accuracy?: ((completion: string, target: RaRftTarget) => number) | undefined;
}

/** Video-R1's `format_reward`: `re.fullmatch(r"<think>.*?</think>\s*<answer>.*?</answer>", text, re.DOTALL)`, no strip. */
function videoR1Format(completion: string): number {
  if (typeof completion !== 'string' || !completion.startsWith('<think>') || !completion.endsWith('</answer>')) return 0;
  const answerOpenEnd = endOfJoint(completion, '<think>'.length, THINK_ANSWER_JOINT);
  return answerOpenEnd >= 0 && answerOpenEnd <= completion.length - '</answer>'.length ? 1 : 0;
}

/**
 * Video-R1's T-GRPO rewards of one group: each completion earns `accuracy + format`, and when the group's
 * mean accuracy on the ordered frames reaches 0.8 times the mean accuracy of the completions generated from
 * shuffled frames, every completion with accuracy above 0.1 earns 0.3 more. The bonus pays temporal
 * reasoning: a policy that does as well on shuffled frames gets none. Format: the whole text is
 * `<think>…</think>\s*<answer>…</answer>` (not stripped). Computed in float64 (the trainer's tensors are
 * float32); Video-R1's length bonus (+0.2 for 320 to 512 tokens) needs token counts and is left out.
 *
 * Source: Video-R1 (tulerfeng/Video-R1, src/r1-v/src/open_r1/trainer/grpo_trainer.py `compute_loss`, the
 * `self.temporal` branch, commit 3184788; src/r1-v/src/open_r1/grpo.py `format_reward`, commit d739961).
 *
 * @example
 * const target = { relevant: true, span: [8.2, 13.6], duration: 16.75 } as const;
 * const good = '<think>…</think><answer>8.2 to 13.6</answer>';
 * const bad = '<think>…</think><answer>0 to 1</answer>';
 * videoR1TGrpoRewards([good, bad], target, { shuffledCompletions: [bad] }); // => [2.3, 1]
 * videoR1TGrpoRewards([good, bad], target, { shuffledCompletions: [good] }); // => [2, 1]
 * videoR1TGrpoRewards([good, bad], target); // => [2, 1]
 */
export function videoR1TGrpoRewards(completions: readonly string[], target: RaRftTarget, options?: VideoR1TGrpoOptions): number[] {
  const fn = 'videoR1TGrpoRewards';
  assertTarget(fn, target);
  if (!Array.isArray(completions)) throw new OptionsError(fn, 'completions', 'must be an array of completions (one group)');
  const shuffled = options?.shuffledCompletions;
  if (shuffled !== undefined && !Array.isArray(shuffled)) throw new OptionsError(fn, 'options.shuffledCompletions', 'must be an array of completions');
  const accuracyOf = options?.accuracy ?? ((completion: string, t: RaRftTarget) => plainIoU(completion, t));
  if (typeof accuracyOf !== 'function') throw new OptionsError(fn, 'options.accuracy', 'must be a function (completion, target) => number');
  const accuracies = completions.map((completion) => accuracyOf(completion, target));
  const rewards = completions.map((completion, i) => (accuracies[i] as number) + videoR1Format(completion));
  if (shuffled === undefined || shuffled.length === 0 || completions.length === 0) return rewards;
  const mean = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
  const shuffledMean = mean(shuffled.map((completion) => accuracyOf(completion, target)));
  if (!(mean(accuracies) >= 0.8 * shuffledMean)) return rewards;
  return rewards.map((reward, i) => ((accuracies[i] as number) > 0.1 ? (accuracies[i] as number) + 0.3 + videoR1Format(completions[i] as string) : reward));
}
