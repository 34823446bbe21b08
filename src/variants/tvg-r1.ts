import { formatReward } from '../format/format-reward.js';
import { parseTvgR1Span, tvgR1IoU, tvgR1Reward } from '../grounding/tvg-r1-reward.js';
import { defineVariant } from './define-variant.js';
import { TVG_R1_STYLE } from './styles.js';
import { oneSpan } from './one-span.js';

/**
 * TVG-R1 (EasyR1 `tvgonly`): `0.1·format + 0.9·IoU` of the JSON pair in `<time>`, 0 to 1. Restates {@link tvgR1Reward}.
 *
 * Source: TVG-R1 (zjuruizhechen/TVG-R1, EasyR1/verl/utils/reward_score/tvgonly.py, commit 793b3dc).
 *
 * @example
 * tvgR1Variant.parts('<think>t</think> <time>[8.2, 13.6]</time>', { relevant: true, span: [8.2, 13.6], duration: 16.75 }); // => { format: 1, iou: 1, total: 1 }
 */
export const tvgR1Variant = defineVariant({
  id: 'tvg-r1',
  name: 'TVG-R1',
  source: 'TVG-R1 (zjuruizhechen/TVG-R1, EasyR1/verl/utils/reward_score/tvgonly.py, commit 793b3dc)',
  upstream: [{ repo: 'zjuruizhechen/TVG-R1', path: 'EasyR1/verl/utils/reward_score/tvgonly.py', commit: '793b3dc', symbol: 'tvgonly_compute_score' }],
  formula: '0.1·format + 0.9·IoU',
  parser: 'first <time>…</time> as a JSON pair [s, e]',
  output: TVG_R1_STYLE,
  scores: ['format', 'span'],
  evidence: [
    { text: 'prose around the tags still earns the IoU part (the greedy format regex accepts anything after </time>)', entry: 'prose-around-tags@tvg-r1', claim: 'pays' },
    { text: 'the first <time> block is read, so a hedge can put the gold span first', entry: 'multiple-answers@tvg-r1', claim: 'ties' },
  ],
  readSpans: oneSpan(parseTvgR1Span),
  parts: (completion, target) => ({ format: formatReward(completion, { profile: 'tvg-r1' }), iou: tvgR1IoU(completion, target), total: tvgR1Reward(completion, target) }),
});
