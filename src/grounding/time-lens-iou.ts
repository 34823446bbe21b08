import { THINK_ANSWER_JOINT, endOfJoint } from '../internal/format-checks.js';
import { pythonTemporalIoU } from '../internal/iou.js';
import { parseTimeLensSpans, parseTimeLensTrainingSpans } from '../internal/parsers/parse-time-lens-spans.js';
import { assertTarget } from '../internal/validate.js';
import type { RaRftTarget, Span } from '../types.js';

/**
 * TimeLens' `extract_answer` (training/utils/parser.py): `re.match(r"<think>.*?</think>\s*<answer>(.*?)</answer>", text, re.DOTALL)`,
 * the group unstripped; without that layout at the start of the text, the whole text.
 */
export function timeLensTrainingAnswer(completion: string): string {
  if (!completion.startsWith('<think>')) return completion;
  const answerStart = endOfJoint(completion, '<think>'.length, THINK_ANSWER_JOINT);
  if (answerStart < 0) return completion;
  const answerEnd = completion.indexOf('</answer>', answerStart);
  return answerEnd < 0 ? completion : completion.slice(answerStart, answerEnd);
}

/**
 * TimeLens' GRPO reward `tiou`: the answer of `<think>…</think> <answer>…</answer>` at the start of the
 * completion (else the whole completion), its spans read by {@link parseTimeLensTrainingSpans} (`to` → `-`
 * first); no span, or a first span with start ≥ end → 0; else the plain IoU of the FIRST span with
 * `target.span`, `max(min1 − max0, 0) / (max1 − min0)` (0 when that denominator is not positive).
 * TimeLens never refuses: an irrelevant target → 0. In [0, 1].
 *
 * Source: TimeLens (TencentARC/TimeLens, training/train/reward_funcs.py `tiou_reward`, commit 5d90c06).
 *
 * @example
 * timeLensIoU('The event happens in 4 - 12 seconds.', { relevant: true, span: [4, 12], duration: 30 }); // => 1
 * timeLensIoU('<think>seen</think><answer>4 to 12</answer>', { relevant: true, span: [4, 12], duration: 30 }); // => 1
 */
export function timeLensIoU(completion: string, target: RaRftTarget): number {
  assertTarget('timeLensIoU', target);
  if (!target.relevant || typeof completion !== 'string') return 0;
  const [span] = parseTimeLensTrainingSpans(timeLensTrainingAnswer(completion));
  if (span === undefined || span[0] >= span[1]) return 0;
  return pythonTemporalIoU(target.span as Span, span, false) ?? 0;
}

/**
 * TimeLens' evaluation IoU (evaluation/compute_metrics.py with timelens/utils.py): {@link parseTimeLensSpans}
 * on the whole completion (no tag is read), the FIRST span, or `(-100, -100)` when there is none; then
 * `max(min1 − max0, 0) / (max1 − min0)` with `target.span`. Where the evaluation divides by zero (a
 * zero-length span equal to a zero-length gold span) it raises; this returns 0. An irrelevant target → 0.
 *
 * Source: TimeLens (TencentARC/TimeLens, evaluation/compute_metrics.py and timelens/utils.py `iou`, commit 5d90c06).
 *
 * @example
 * timeLensEvalIoU('The event happens at 00:04 - 00:12.', { relevant: true, span: [4, 12], duration: 30 }); // => 1
 * timeLensEvalIoU('<think>maybe 2 - 6</think><answer>4 - 12</answer>', { relevant: true, span: [4, 12], duration: 30 }); // => 0.2 (the evaluation reads the whole text)
 */
export function timeLensEvalIoU(completion: string, target: RaRftTarget): number {
  assertTarget('timeLensEvalIoU', target);
  if (!target.relevant || typeof completion !== 'string') return 0;
  const [span] = parseTimeLensSpans(completion);
  return pythonTemporalIoU(target.span as Span, span ?? [-100, -100], false) ?? 0;
}
