// The `ra-rft` profile: RA-RFT's rules exactly as the reference applies them, quirks included.
// Source: JINSUBY/RA-RFT, main_rarft.py, commit 8843cbb (format_reward, refuse_iou_reward, explain_reward, correction part).
import { isRaRftFormat } from '../internal/format-checks.js';
import { distanceWeightedIoU } from '../internal/iou.js';
import { RA_RFT_CORE_TO_OR_HIGH, parseRaRftSpan, raRftSpanAt, raRftSpanGeneral } from '../internal/parsers/parse-ra-rft-span.js';
import { pyStrip } from '../internal/python-text.js';
import { lastTagContent } from '../internal/tags.js';
import type { RaRftTarget, Span } from '../types.js';
import type { AnswerKind, ProfileRules } from './types.js';

// One scan per answer block finds its `</answer>` or, before it, the core of the block's first span.
const CLOSE_OR_SPAN_CORE = new RegExp(`</answer>|${RA_RFT_CORE_TO_OR_HIGH}`, 'g');

/**
 * `parseRaRftSpan(lastTagContent(text, '<answer>', '</answer>'))`, with `undefined` for "no answer block",
 * reading each block once: the span scan runs inside the tag scan instead of after it. Equal to that
 * composition on every input (a property test holds them together); this is the hot path of `refuseIoU`.
 */
function lastAnswerSpan(text: string): [number, number] | null | undefined {
  let contentStart = -1;
  let contentEnd = -1;
  let spanTo = -1;
  for (let open = text.indexOf('<answer>'); open >= 0; ) {
    CLOSE_OR_SPAN_CORE.lastIndex = open + '<answer>'.length;
    if (!CLOSE_OR_SPAN_CORE.test(text)) break;
    const hitEnd = CLOSE_OR_SPAN_CORE.lastIndex;
    let close: number;
    let to = -1;
    if (text.charCodeAt(hitEnd - 1) === 0x3e) {
      close = hitEnd - '</answer>'.length;
    } else {
      // A `to` (2 units) or a code unit from U+0660 up (1 unit) comes before this block's `</answer>`.
      to = text.charCodeAt(hitEnd - 1) >= 0x660 ? hitEnd - 1 : hitEnd - 2;
      close = text.indexOf('</answer>', hitEnd);
      if (close < 0) break;
    }
    contentStart = open + '<answer>'.length;
    contentEnd = close;
    spanTo = to;
    open = text.indexOf('<answer>', close + '</answer>'.length);
  }
  if (contentStart < 0) return undefined;
  if (spanTo < 0) return null;
  const span = raRftSpanAt(text, spanTo);
  if (span !== undefined) return span;
  // Text from U+0660 up: the general scanner, on the stripped block as the composition has it.
  return raRftSpanGeneral(pyStrip(text.slice(contentStart, contentEnd)));
}

function refuseIoU(completion: string, target: RaRftTarget): number {
  const span = lastAnswerSpan(completion);
  if (span === undefined) return 0;
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
