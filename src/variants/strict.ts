import { formatReward } from '../format/format-reward.js';
import { refuseIoU } from '../grounding/refuse-iou.js';
import { strictRules } from '../rules/strict.js';
import { defineVariant } from './define-variant.js';
import { RA_RFT_STYLE } from './styles.js';
import { oneSpan } from './one-span.js';

/**
 * The `strict` profile of RA-RFT's two rule-based parts: `format + refuseIoU` with every strict rule
 * (docs/strict.md). This library's hardening of RA-RFT, not an upstream function.
 *
 * Source: RA-RFT (JINSUBY/RA-RFT, main_rarft.py, commit 8843cbb), hardened by this library.
 *
 * @example
 * strictVariant.score('<think>t</think><answer>8.2s to 13.6s</answer><correction>NIL</correction>', { relevant: true, span: [8.2, 13.6], duration: 16.75 }); // => 2
 */
export const strictVariant = defineVariant({
  id: 'strict',
  name: 'RA-RFT strict',
  source: 'RA-RFT, "Learning to Refuse" (JINSUBY/RA-RFT, main_rarft.py, commit 8843cbb), hardened by this library (docs/strict.md)',
  upstream: [{ repo: 'JINSUBY/RA-RFT', path: 'main_rarft.py', commit: '8843cbb', symbol: 'format_reward, refuse_iou_reward (hardened)' }],
  formula: 'strict format + strict refuseIoU (span and gold span clamped to [0, D], reward clamped to [0, 1])',
  parser: 'the single <answer> after </think>; spans in to/-/~/until, s suffix, [a, b], MM:SS, digits of any script; exactly one span',
  output: RA_RFT_STYLE,
  scores: ['format', 'span', 'refusal'],
  evidence: [
    { text: 'spelled-out numbers are no spans, so such answers count as refusals', entry: 'spelled-out-span', claim: 'pays' },
    { text: 'counts written as "3 to 5 people" read as a span; refusal wording beside one span on a relevant target is paid', entry: 'refusal-with-span', claim: 'pays' },
    { text: 'a boilerplate refusal is paid like a genuine one', entry: 'boilerplate-refusal', claim: 'ties' },
    { text: 'no reward part looks at length: a 50,000-character <think> costs nothing', entry: 'huge-think', claim: 'ties' },
  ],
  readSpans: oneSpan((completion) => {
    const answer = strictRules.answer(completion);
    return answer === null ? null : strictRules.span(answer);
  }),
  parts: (completion, target) => {
    const format = formatReward(completion, { profile: 'strict' });
    const iou = refuseIoU(completion, target, { profile: 'strict' });
    return { format, iou, total: format + iou };
  },
});
