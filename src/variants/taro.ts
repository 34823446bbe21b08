import { taroReward } from '../grounding/taro-reward.js';
import { parseTaroSpan } from '../internal/parsers/parse-taro-span.js';
import type { RaRftTarget } from '../types.js';
import { defineVariant } from './define-variant.js';
import { neverRefuses } from './never-refuses.js';
import { TARO_STYLE } from './styles.js';
import type { VariantExtras, VariantParts } from './types.js';
import { oneSpan } from './one-span.js';

function taroParts(completion: string, target: RaRftTarget, extras?: VariantExtras): VariantParts {
  const result = taroReward(completion, target, {
    diffLogProb: extras?.diffLogProb as number | undefined,
    diffLogProbThresh: extras?.diffLogProbThresh as number | undefined,
    split: extras?.split as 'train' | 'eval' | undefined,
  });
  return { format: result.format, iou: result.iouScore, total: result.score };
}

/**
 * TaRO: strict format + distance-weighted IoU in training (plain IoU with `split: 'eval'`), plus 0.3 when the
 * trainer's `diffLogProb` (the answer's log-probability gain on ordered over perturbed frames) beats the
 * batch threshold and the IoU reaches 0.7; 0 to 2.3. Restates {@link taroReward}.
 *
 * Source: TaRO (oceanflowlab/TaRO, src/rewards.py `compute_vtg_score`, commit 143a234).
 *
 * @example
 * const target = { relevant: true, span: [8.2, 13.6], duration: 16.75 } as const;
 * taroVariant.score('<think>t</think><answer>8.2s to 13.6s</answer>', target); // => 2
 * taroVariant.score('<think>t</think><answer>8.2s to 13.6s</answer>', target, { diffLogProb: 1.2, diffLogProbThresh: 0.4 }); // => 2.3
 */
export const taroVariant = defineVariant({
  id: 'taro',
  name: 'TaRO',
  source: 'TaRO (oceanflowlab/TaRO, src/rewards.py `compute_vtg_score`, commit 143a234)',
  upstream: [{ repo: 'oceanflowlab/TaRO', path: 'src/rewards.py', commit: '143a234', symbol: 'compute_vtg_score, iou_timestamp_reward_v2, format_reward, temporal_reward' }],
  formula: 'format (one of each tag) + IoU·(1−|Δs|/D)·(1−|Δe|/D) (eval: IoU) + 0.3 when diffLogProb > thresh and IoU ≥ 0.7',
  parser: 'last <answer>; last (\\d+\\.?\\d*)s (to|and) (\\d+\\.?\\d*)s, case-insensitive; the gold span cut at D',
  output: TARO_STYLE,
  scores: ['format', 'span'],
  extras: [
    { name: 'diffLogProb', scope: 'sample', type: 'number', description: "the trainer's log-probability gain of the answer on ordered over perturbed frames (extra_info diff_log_prob)" },
    { name: 'diffLogProbThresh', scope: 'sample', type: 'number', description: 'the batch threshold the trainer sets (its mean, temp_diff_thresh=mean); required with diffLogProb' },
    { name: 'split', scope: 'sample', type: 'string', description: "'train' (distance-weighted IoU, default) or 'eval' (plain IoU)" },
  ],
  evidence: [
    neverRefuses('empty-answer@taro'),
    { text: 'an empty <think> passes the format check', entry: 'empty-think@taro', claim: 'ties' },
    { text: 'the whole video earns part of the distance-weighted IoU', entry: 'whole-video@taro', claim: 'pays' },
  ],
  readSpans: oneSpan(parseTaroSpan),
  parts: taroParts,
});
