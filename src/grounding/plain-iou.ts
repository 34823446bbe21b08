import { lastTagContent } from '../internal/tags.js';
import { assertFiniteNumber, assertTarget } from '../internal/validate.js';
import type { RaRftTarget, Span } from '../types.js';
import { parseTimeR1Span } from '../internal/parsers/parse-time-r1-span.js';
import { temporalIoU } from './temporal-iou.js';

/** Options of {@link plainIoU}. */
export interface PlainIoUOptions {
  /**
   * Score when the union of the two spans is not positive: a zero-length prediction on the same
   * zero-length target. 0 (default, the public vectors' `plainIoU`); VideoChat-R1's `grpo_tg.py` gives 1;
   * TimeZero raises an exception there. A reversed prediction scores 0 whatever this option says: VideoChat-R1's
   * parser returns None (reward 0) for start > end.
   */
  emptyUnionScore?: number | undefined;
}

/**
 * Plain temporal IoU reward with the Time-R1 parser (TimeZero / VideoChat-R1 `iou_timestamp_reward`):
 * the last `(\d+\.?\d*) (to|and) (\d+\.?\d*)` in the last `<answer>` block, IoU with `target.span`.
 * No answer, no span, or an irrelevant target (these methods never refuse) → 0. In [0, 1].
 *
 * Source: TimeZero (www-Ye/Time-R1, src/open_r1/grpo_video.py, commit d1a0d54), VideoChat-R1 (OpenGVLab/VideoChat-R1, src/open_r1/grpo_tg.py
 * `iou_timestamp_reward` with `emptyUnionScore: 1`, commit 73b2ea9).
 *
 * @example
 * plainIoU('<answer>4.88 to 12.68</answer>', { relevant: true, span: [3.1, 10.9], duration: 30.04 }); // => 0.62839248434238
 * plainIoU('<answer>3 to 3</answer>', { relevant: true, span: [3, 3], duration: 9 }, { emptyUnionScore: 1 }); // => 1
 * plainIoU('<answer>4 to 3</answer>', { relevant: true, span: [3, 3], duration: 9 }, { emptyUnionScore: 1 }); // => 0
 */
export function plainIoU(completion: string, target: RaRftTarget, options?: PlainIoUOptions): number {
  assertTarget('plainIoU', target);
  const emptyUnionScore = assertFiniteNumber('plainIoU', 'options.emptyUnionScore', options?.emptyUnionScore ?? 0);
  const span = timeR1Span(completion);
  if (!target.relevant || span === null) return 0;
  const gold = target.span as Span;
  if (!(Math.max(span[1], gold[1]) - Math.min(span[0], gold[0]) > 0)) return span[0] > span[1] ? 0 : emptyUnionScore;
  return temporalIoU(span, gold);
}

/** Time-R1's `parse_timestamp_output`: the last span of the last `<answer>` block. */
export function timeR1Span(completion: string): [number, number] | null {
  if (typeof completion !== 'string') return null;
  // Time-R1 does not strip the answer; stripping cannot change a match that starts and ends with a digit.
  const answer = lastTagContent(completion, '<answer>', '</answer>');
  return answer === null ? null : parseTimeR1Span(answer);
}

