import { formatReward } from '../format/format-reward.js';
import { plainIoU, timeR1Span } from '../grounding/plain-iou.js';
import { neverRefuses } from './never-refuses.js';
import { defineVariant } from './define-variant.js';
import { R1_STYLE } from './styles.js';
import { oneSpan } from './one-span.js';

/**
 * TimeZero / VideoChat-R1: DeepSeek-R1 format + plain IoU with the Time-R1 parser, 0 to 2. Restates
 * {@link formatReward} (profile `r1`) and {@link plainIoU}.
 *
 * Source: TimeZero (www-Ye/Time-R1, src/open_r1/grpo_video.py `iou_timestamp_reward`, commit d1a0d54).
 *
 * @example
 * plainIoUVariant.score('<think>t</think><answer>0 to 16.75</answer>', { relevant: true, span: [8.2, 13.6], duration: 16.75 }); // => 1.3223880597014926
 */
export const plainIoUVariant = defineVariant({
  id: 'plain-iou',
  name: 'Plain IoU (TimeZero / VideoChat-R1)',
  source: 'TimeZero (www-Ye/Time-R1, src/open_r1/grpo_video.py, commit d1a0d54), VideoChat-R1 (OpenGVLab/VideoChat-R1)',
  upstream: [
    { repo: 'www-Ye/Time-R1', path: 'src/open_r1/grpo_video.py', commit: 'd1a0d54', symbol: 'iou_timestamp_reward, format_reward' },
    { repo: 'OpenGVLab/VideoChat-R1', path: 'src/open_r1/grpo_tg.py', commit: '73b2ea9', symbol: 'iou_timestamp_reward' },
  ],
  formula: 'r1 format + IoU',
  parser: 'last <answer>; last (\\d+\\.?\\d*) (to|and) (\\d+\\.?\\d*)',
  output: R1_STYLE,
  scores: ['format', 'span'],
  evidence: [
    neverRefuses('empty-answer@r1'),
    { text: 'the whole video earns the gold share of the video', entry: 'whole-video@r1', claim: 'pays' },
    { text: 'repeated answer blocks pass the format check; the last one is scored', entry: 'multiple-answers@r1', claim: 'ties' },
    { text: 'an empty <think> passes the format check', entry: 'empty-think@r1', claim: 'ties' },
  ],
  readSpans: oneSpan(timeR1Span),
  parts: (completion, target) => {
    const format = formatReward(completion, { profile: 'r1' });
    const iou = plainIoU(completion, target);
    return { format, iou, total: format + iou };
  },
});
