// The `ra-rft` profile: RA-RFT's rules exactly as the reference applies them, quirks included.
// Source: JINSUBY/RA-RFT, main_rarft.py, commit 8843cbb (format_reward, refuse_iou_reward, explain_reward, correction part).
import { isRaRftFormat } from '../internal/format-checks.js';
import { distanceWeightedIoU } from '../internal/iou.js';
import { parseRaRftSpan } from '../internal/parsers/parse-ra-rft-span.js';
import { lastTagContent } from '../internal/tags.js';
import type { RaRftTarget, Span } from '../types.js';
import type { AnswerKind, ProfileRules } from './types.js';

function refuseIoU(answer: string, target: RaRftTarget): number {
  const span = parseRaRftSpan(answer);
  if (!target.relevant) return span === null ? 1 : 0;
  if (span === null) return 0;
  // Validated targets have a span and a duration when relevant.
  return distanceWeightedIoU(span, target.span as Span, target.duration as number);
}

/**
 * The reference rules: the last `<answer>` / `<correction>` block (stripped); the first
 * `(\d+\.?\d*)\s+to\s+(\d+\.?\d*)` as the span; any answer without one is a refusal, even an empty one;
 * NIL anywhere in the upper-cased correction; the lazy-regex format.
 */
export const raRftRules: ProfileRules = {
  profile: 'ra-rft',
  isFormat: isRaRftFormat,
  answer: (completion) => lastTagContent(completion, '<answer>', '</answer>'),
  correction: (completion) => lastTagContent(completion, '<correction>', '</correction>'),
  span: parseRaRftSpan,
  classify: (answer): AnswerKind => (parseRaRftSpan(answer) === null ? 'refusal' : 'span'),
  refuseIoU,
  isNil: (correction) => correction.toUpperCase().includes('NIL'),
  comparesCorrection: () => true,
  minRefusalWords: 0,
};
