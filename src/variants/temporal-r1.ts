import { isTemporalR1Format, parseTemporalR1Span, temporalR1IoU, temporalR1Reward } from '../grounding/temporal-r1-reward.js';
import { defineVariant } from './define-variant.js';
import { TEMPORAL_R1_STYLE } from './styles.js';
import { oneSpan } from './one-span.js';

/**
 * Temporal-R1 / RLT: `0.9·IoU + 0.1·format` of a JSON answer, the IoU on duration-normalized spans, 0 to 1.
 * Restates {@link temporalR1Reward}.
 *
 * Source: Temporal-R1 (appletea233/Temporal-R1, verl/utils/reward_score/tvg.py `tvg_compute_score`, commit 95045b3).
 *
 * @example
 * temporalR1Variant.readSpans('<answer>{"start_time": "3", "end_time": "9.5"}</answer>'); // => [[3, 9.5]]
 */
export const temporalR1Variant = defineVariant({
  id: 'temporal-r1',
  name: 'Temporal-R1',
  source: 'Temporal-R1 (appletea233/Temporal-R1, verl/utils/reward_score/tvg.py `tvg_compute_score`, commit 95045b3)',
  upstream: [{ repo: 'appletea233/Temporal-R1', path: 'verl/utils/reward_score/tvg.py', commit: '95045b3', symbol: 'tvg_compute_score' }],
  formula: '0.9·IoU(s/D, e/D) + 0.1·format',
  parser: 'first <answer>, json.loads, start_time / end_time through float()',
  output: TEMPORAL_R1_STYLE,
  scores: ['format', 'span'],
  evidence: [
    { text: 'the whole video earns the gold share of the video', entry: 'whole-video@temporal-r1', claim: 'pays' },
    { text: 'an empty <think> passes the format check', entry: 'empty-think@temporal-r1', claim: 'ties' },
  ],
  readSpans: oneSpan(parseTemporalR1Span),
  parts: (completion, target) => ({ format: isTemporalR1Format(completion) ? 1 : 0, iou: temporalR1IoU(completion, target), total: temporalR1Reward(completion, target) }),
});
