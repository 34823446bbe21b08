import { formatReward } from '../format/format-reward.js';
import { timeR1Span } from '../grounding/plain-iou.js';
import { timeR1IoU } from '../grounding/time-r1-iou.js';
import { neverRefuses } from './never-refuses.js';
import { defineVariant } from './define-variant.js';
import { R1_STYLE } from './styles.js';
import { oneSpan } from './one-span.js';

/**
 * Time-R1's rewards: DeepSeek-R1 format + `iou_v2` (distance-weighted IoU), 0 to 2. Restates
 * {@link formatReward} (profile `r1`) and {@link timeR1IoU}.
 *
 * Source: Time-R1 (xiaomi-research/time-r1, main.py `iou_timestamp_reward_v2`, `format_reward`, commit 7f2b594).
 *
 * @example
 * timeR1Variant.score('<think>t</think><answer>8.2 to 13.6</answer>', { relevant: true, span: [8.2, 13.6], duration: 16.75 }); // => 2
 */
export const timeR1Variant = defineVariant({
  id: 'time-r1',
  name: 'Time-R1 iou_v2',
  source: 'Time-R1, "Towards Comprehensive Temporal Reasoning" for TVG (xiaomi-research/time-r1, main.py, commit 7f2b594)',
  upstream: [{ repo: 'xiaomi-research/time-r1', path: 'main.py', commit: '7f2b594', symbol: 'iou_timestamp_reward_v2, format_reward' }],
  formula: 'r1 format + IoU·(1−|Δs|/D)·(1−|Δe|/D)',
  parser: 'last <answer>; last (\\d+\\.?\\d*) (to|and) (\\d+\\.?\\d*), single spaces',
  output: R1_STYLE,
  scores: ['format', 'span'],
  evidence: [
    neverRefuses('empty-answer@r1'),
    { text: 'repeated answer blocks pass the format check; the last one is scored', entry: 'multiple-answers@r1', claim: 'ties' },
    { text: 'an empty <think> passes the format check', entry: 'empty-think@r1', claim: 'ties' },
  ],
  readSpans: oneSpan(timeR1Span),
  parts: (completion, target) => {
    const format = formatReward(completion, { profile: 'r1' });
    const iou = timeR1IoU(completion, target);
    return { format, iou, total: format + iou };
  },
});
