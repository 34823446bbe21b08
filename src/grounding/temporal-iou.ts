import type { Span } from '../types.js';

/**
 * Plain temporal IoU of two segments: `max(0, min(a1, b1) − max(a0, b0)) / (max(a1, b1) − min(a0, b0))`.
 *
 * Symmetric and always in [0, 1]: a non-positive union, a reversed segment or a non-finite bound give 0.
 * Source: the standard VTG metric (used by TimeZero, VideoChat-R1, TVG-R1 and mIoU / R@m evaluation).
 *
 * @example
 * temporalIoU([0, 10], [5, 15]); // => 0.3333333333333333
 * temporalIoU([3, 3], [3, 3]); // => 0 (empty union)
 */
export function temporalIoU(a: Span, b: Span): number {
  const intersection = Math.min(a[1], b[1]) - Math.max(a[0], b[0]);
  if (!(intersection > 0)) return 0;
  const union = Math.max(a[1], b[1]) - Math.min(a[0], b[0]);
  const iou = intersection / union;
  return iou >= 0 && iou <= 1 ? iou : 0;
}
