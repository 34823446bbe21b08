import { parseTempSampSpan, tempSampReward } from '../grounding/tempsamp-reward.js';
import { pythonTemporalIoU } from '../internal/iou.js';
import type { Span } from '../types.js';
import { defineVariant } from './define-variant.js';
import { R1_STYLE } from './styles.js';
import { oneSpan } from './one-span.js';

/**
 * TempSamp-R1: shaped IoU (plateau above 0.8, exponential penalty below) + 0.1·format, about 0.087 to 0.90.
 * Restates {@link tempSampReward}; the parts shown are the plain IoU before shaping and no format part.
 *
 * Source: TempSamp-R1 (ZhangZikun6666/TempSamp-R1, scripts/timelens/timelens_reward.py `compute_score` with `transform_rewards`, commit 55a9228).
 *
 * @example
 * tempSampVariant.readSpans('<answer>1 to 2, no: 3 to 4</answer>'); // => [[3, 4]]
 */
export const tempSampVariant = defineVariant({
  id: 'tempsamp-r1',
  name: 'TempSamp-R1 shaped IoU',
  source: 'TempSamp-R1 (ZhangZikun6666/TempSamp-R1, scripts/timelens/timelens_reward.py `compute_score` with `transform_rewards`, commit 55a9228)',
  upstream: [{ repo: 'ZhangZikun6666/TempSamp-R1', path: 'scripts/timelens/timelens_reward.py', commit: '55a9228', symbol: 'compute_score, transform_rewards' }],
  formula: 'shaped(IoU) + 0.1·format; shaped = 0.8 + 0.01·ln(IoU + 0.2) above 0.8, else 0.8 − (e^(0.8−IoU) − 1)/(e − 1)',
  parser: 'first <answer> or the whole text; last `a to|and b`, else last `a - b`, else the first two numbers',
  output: R1_STYLE,
  scores: ['format', 'span'],
  evidence: [
    { text: 'the shaping pays about 0.087 for no answer at all', entry: 'unicode-lookalike-tags@r1', claim: 'pays' },
    { text: 'an empty <think> costs nothing', entry: 'empty-think@r1', claim: 'ties' },
    { text: 'repeated answer blocks pass; the first one is read', entry: 'multiple-answers@r1', claim: 'pays' },
  ],
  readSpans: oneSpan(parseTempSampSpan),
  parts: (completion, target) => {
    const span = target.relevant ? parseTempSampSpan(completion) : null;
    const iou = span === null ? 0 : Math.max(0, pythonTemporalIoU(span, target.span as Span) ?? 0);
    return { format: null, iou, total: tempSampReward(completion, target) };
  },
});
