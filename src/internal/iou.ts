// The IoU formulas of the rewards, in one place. Each is restated from the upstream code named beside it.
import type { Span } from '../types.js';

/**
 * The reference's relevant-target score for a predicted span `[s, e]` against `[gs, ge]` in a video of
 * duration D: `IoU · (1 − |gs/D − s/D|) · (1 − |ge/D − e/D|)`, 0 when the union is not positive.
 * Not clamped (negative past the video's ends); a non-finite result (overflowing timestamps) scores 0.
 * Source: RA-RFT (JINSUBY/RA-RFT, main_rarft.py, commit 8843cbb), Time-R1 (xiaomi-research/time-r1, main.py, commit 7f2b594 `iou_timestamp_reward_v2`).
 *
 * @example
 * distanceWeightedIoU([4.88, 12.68], [3.1, 10.9], 30.04); // => 0.5561288694838225
 */
export function distanceWeightedIoU(predicted: Span, target: Span, duration: number): number {
  // Indexing, not destructuring: this is the hot path of every span reward.
  const s = predicted[0];
  const e = predicted[1];
  const gs = target[0];
  const ge = target[1];
  const intersection = Math.max(0, Math.min(e, ge) - Math.max(s, gs));
  const union = Math.max(e, ge) - Math.min(s, gs);
  if (!(union > 0)) return 0;
  const reward = (intersection / union) * (1 - Math.abs(gs / duration - s / duration)) * (1 - Math.abs(ge / duration - e / duration));
  return Number.isFinite(reward) ? reward : 0;
}

/** Python's `max(a, b)`: `a` unless `b > a` (so a NaN first argument is kept, a NaN second one dropped). */
export function pyMax(a: number, b: number): number {
  return b > a ? b : a;
}

/** Python's `min(a, b)`: `a` unless `b < a`. */
export function pyMin(a: number, b: number): number {
  return b < a ? b : a;
}

/**
 * The reward of TVG-R1 and Temporal-R1: {@link pythonTemporalIoU} of both spans divided by the video
 * duration; its ZeroDivisionError (caught upstream) and a non-finite value score 0.
 */
export function normalizedTemporalIoU(predicted: Span, gold: Span, duration: number): number {
  const iou = pythonTemporalIoU([predicted[0] / duration, predicted[1] / duration], [gold[0] / duration, gold[1] / duration]);
  return iou === null || !Number.isFinite(iou) ? 0 : iou;
}

/**
 * The `temporal_iou(A, B)` most VTG repositories share, with Python's `max`/`min` argument order:
 * `max(0, max(min1 − max0, 0) / (max1 − min0))` where `max0 = max(A0, B0)`, `min0 = min(A0, B0)`,
 * `max1 = max(A1, B1)`, `min1 = min(A1, B1)`. `null` where Python raises ZeroDivisionError (`max1 == min0`).
 * Source: TVG-R1 / Temporal-R1 (EasyR1 `verl/utils/reward_score/tvg*.py`, `temporal_iou`), TimeLens (`timelens/utils.py`, `iou`, without the outer `max(0, …)`).
 */
export function pythonTemporalIoU(a: Span, b: Span, outerMax = true): number | null {
  const max0 = pyMax(a[0], b[0]);
  const min0 = pyMin(a[0], b[0]);
  const max1 = pyMax(a[1], b[1]);
  const min1 = pyMin(a[1], b[1]);
  const denominator = max1 - min0;
  if (denominator === 0) return null;
  const iou = pyMax(min1 - max0, 0) / denominator;
  return outerMax ? pyMax(0, iou) : iou;
}
