import { normalizedTemporalIoU } from '../internal/iou.js';
import { parseTvgR1Span } from '../internal/parsers/parse-tvg-r1-span.js';
import { assertFiniteNumber, assertTarget } from '../internal/validate.js';
import { isTvgR1Format } from '../internal/format-checks.js';
import type { RaRftTarget, Span } from '../types.js';

export { parseTvgR1Span } from '../internal/parsers/parse-tvg-r1-span.js';

/** Options of {@link tvgR1Reward}. */
export interface TvgR1RewardOptions {
  /** Weight of the format part; TVG-R1 uses 0.1. */
  formatWeight?: number | undefined;
  /** Weight of the IoU part; TVG-R1 uses 0.9. */
  iouWeight?: number | undefined;
}

/**
 * TVG-R1's accuracy reward: plain IoU of the `<time>[s, e]</time>` pair with `target.span`, both divided by
 * the duration first (as TVG-R1 does). Parse failure, an empty union, or an irrelevant target → 0.
 *
 * Source: TVG-R1 (zjuruizhechen/TVG-R1, EasyR1/verl/utils/reward_score/tvgonly.py, commit 793b3dc, `tvg_accuracy_reward`).
 *
 * @example
 * tvgR1IoU('<think>…</think> <time>[4.88, 12.68]</time>', { relevant: true, span: [3.1, 10.9], duration: 30.04 }); // => 0.6283924843423801
 */
export function tvgR1IoU(completion: string, target: RaRftTarget): number {
  assertTarget('tvgR1IoU', target);
  if (!target.relevant) return 0;
  const span = parseTvgR1Span(completion);
  if (span === null) return 0;
  return normalizedTemporalIoU(span, target.span as Span, target.duration as number);
}

/**
 * TVG-R1's reward: `0.1 · format + 0.9 · IoU`, format being the full match of
 * `<think>.*</think>.*<time>.*</time>.*` (see {@link formatReward} profile `tvg-r1`).
 *
 * Source: TVG-R1 (zjuruizhechen/TVG-R1, EasyR1/verl/utils/reward_score/tvgonly.py, commit 793b3dc, `tvgonly_compute_score`).
 *
 * @example
 * tvgR1Reward('<think>…</think> <time>[3.1, 10.9]</time>', { relevant: true, span: [3.1, 10.9], duration: 30.04 }); // => 1
 */
export function tvgR1Reward(completion: string, target: RaRftTarget, options?: TvgR1RewardOptions): number {
  const formatWeight = options?.formatWeight ?? 0.1;
  const iouWeight = options?.iouWeight ?? 0.9;
  assertFiniteNumber('tvgR1Reward', 'options.formatWeight', formatWeight);
  assertFiniteNumber('tvgR1Reward', 'options.iouWeight', iouWeight);
  assertTarget('tvgR1Reward', target);
  const format = typeof completion === 'string' && isTvgR1Format(completion) ? 1 : 0;
  return formatWeight * format + iouWeight * tvgR1IoU(completion, target);
}
