import { lastTagContent } from '../internal/tags.js';
import { assertTarget } from '../internal/validate.js';
import type { RaRftTarget, Span } from '../types.js';
import { parseTimeLensSpans } from '../internal/parsers/parse-time-lens-spans.js';
import { temporalIoU } from './temporal-iou.js';

/**
 * TimeLens-style IoU: plain IoU of the FIRST span {@link parseTimeLensSpans} finds in the last `<answer>`
 * block (or the whole completion when it has none) with `target.span`. No span, a reversed span, or an
 * irrelevant target → 0. Source: TimeLens (TencentARC/TimeLens, evaluation `extract_time` + `iou`).
 *
 * @example
 * timeLensIoU('The event happens at 00:04 - 00:12.', { relevant: true, span: [4, 12], duration: 30 }); // => 1
 */
export function timeLensIoU(completion: string, target: RaRftTarget): number {
  assertTarget('timeLensIoU', target);
  if (!target.relevant || typeof completion !== 'string') return 0;
  const answer = lastTagContent(completion, '<answer>', '</answer>') ?? completion;
  const [span] = parseTimeLensSpans(answer);
  return span === undefined ? 0 : temporalIoU(span, target.span as Span);
}
