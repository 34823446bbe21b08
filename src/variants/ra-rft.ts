import { formatReward } from '../format/format-reward.js';
import { refuseIoU } from '../grounding/refuse-iou.js';
import { raRftRules } from '../rules/ra-rft.js';
import { defineVariant } from './define-variant.js';
import { RA_RFT_STYLE } from './styles.js';
import { oneSpan } from './one-span.js';

/**
 * RA-RFT's rule-based rewards as the reference computes them: `format + refuseIoU` (0 to 2; negative past
 * the video ends). Restates {@link formatReward} and {@link refuseIoU} (profile `ra-rft`).
 *
 * Source: RA-RFT (JINSUBY/RA-RFT, main_rarft.py, commit 8843cbb).
 *
 * @example
 * raRftVariant.score('<think>t</think><answer>8.2 to 13.6</answer><correction>NIL</correction>', { relevant: true, span: [8.2, 13.6], duration: 16.75 }); // => 2
 */
export const raRftVariant = defineVariant({
  id: 'ra-rft',
  name: 'RA-RFT (reference)',
  source: 'RA-RFT, "Learning to Refuse" (JINSUBY/RA-RFT, main_rarft.py, commit 8843cbb)',
  upstream: [{ repo: 'JINSUBY/RA-RFT', path: 'main_rarft.py', commit: '8843cbb', symbol: 'format_reward, refuse_iou_reward' }],
  formula: 'format + refuseIoU; refuseIoU = IoU·(1−|Δs|/D)·(1−|Δe|/D) on relevant, 1 for an answer without span on irrelevant',
  parser: 'last <answer>; first (\\d+\\.?\\d*)\\s+to\\s+(\\d+\\.?\\d*)',
  output: RA_RFT_STYLE,
  scores: ['format', 'span', 'refusal'],
  evidence: [
    { text: 'empty answers count as refusals', entry: 'empty-answer', claim: 'ties' },
    { text: 'one-word answers count as refusals', entry: 'one-word-refusal', claim: 'ties' },
    { text: 'spans written 12.5s to 17.8s, 12.5 - 17.8, [12.5, 17.8] or 00:12 to 00:17 are no spans, so they count as refusals', entry: 'hidden-timestamp', claim: 'ties' },
    { text: 'negative rewards past the video ends', entry: 'past-video-end', claim: 'pays' },
    { text: 'repeated answer blocks pass the format check and the last one is scored', entry: 'multiple-answers', claim: 'ties' },
    { text: 'an empty <think> passes the format check', entry: 'empty-think', claim: 'ties' },
    { text: 'two spans in one answer: the first one is scored', entry: 'two-spans-one-answer', claim: 'pays' },
  ],
  readSpans: oneSpan((completion) => {
    const answer = raRftRules.answer(completion);
    return answer === null ? null : raRftRules.span(answer);
  }),
  parts: (completion, target) => {
    const format = formatReward(completion);
    const iou = refuseIoU(completion, target);
    return { format, iou, total: format + iou };
  },
});
