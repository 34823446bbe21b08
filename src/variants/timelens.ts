import { timeLensIoU, timeLensTrainingAnswer } from '../grounding/time-lens-iou.js';
import { parseTimeLensTrainingSpans } from '../internal/parsers/parse-time-lens-spans.js';
import { defineVariant } from './define-variant.js';
import { PLAIN_STYLE } from './styles.js';

/**
 * TimeLens: its GRPO reward `tiou`, the plain IoU of the first span its lenient parser finds, no format
 * reward, 0 to 1. Restates {@link timeLensIoU}; the span it scores is the first of the answer at the start
 * of the text (else of the whole text), with `to` read as `-`.
 *
 * Source: TimeLens (TencentARC/TimeLens, training/train/reward_funcs.py `tiou_reward`, commit 5d90c06).
 *
 * @example
 * timeLensVariant.readSpans('<think>a</think><answer>1 to 2</answer><answer>4 to 12</answer>'); // => [[1, 2]]
 */
export const timeLensVariant = defineVariant({
  id: 'timelens',
  name: 'TimeLens tIoU',
  source: 'TimeLens (TencentARC/TimeLens, training/train/reward_funcs.py `tiou_reward`, commit 5d90c06)',
  upstream: [{ repo: 'TencentARC/TimeLens', path: 'training/train/reward_funcs.py', commit: '5d90c06', symbol: 'tiou_reward' }],
  formula: 'IoU (no format part); a first span with start >= end scores 0',
  parser: '<think>…</think><answer>…</answer> at the start, else the whole text; `to` → `-`; HH:MM:SS pairs, else a - b, else bare numbers; first pair',
  output: PLAIN_STYLE,
  scores: ['span'],
  evidence: [
    { text: 'no format part: answer tags spelled with look-alike letters still pay the span', entry: 'unicode-lookalike-tags', claim: 'ties' },
    { text: 'the first of two spans is scored', entry: 'two-spans-one-answer', claim: 'ties' },
    { text: 'a span past the video end is scored as written', entry: 'past-video-end', claim: 'pays' },
  ],
  readSpans: (completion) => (typeof completion === 'string' ? parseTimeLensTrainingSpans(timeLensTrainingAnswer(completion)).slice(0, 1) : []),
  parts: (completion, target) => {
    const iou = timeLensIoU(completion, target);
    return { format: null, iou, total: iou };
  },
});
