import { assertTarget } from '../internal/validate.js';
import type { RaRftTarget, Span } from '../types.js';
import { timeR1Span } from './plain-iou.js';
import { distanceWeightedIoU } from './refuse-iou.js';

/**
 * Time-R1's `iou_v2` reward: the distance-weighted IoU of refuseIoU's relevant branch,
 * `IoU · (1 − |gs/D − s/D|) · (1 − |ge/D − e/D|)`, with the Time-R1 parser (the last
 * `(\d+\.?\d*) (to|and) (\d+\.?\d*)` of the last `<answer>`). No span or an irrelevant target → 0.
 * Where Time-R1 reuses a stale IoU for an empty union (a bug), this returns 0.
 *
 * Source: Time-R1 (xiaomi-research/time-r1, main.py, commit 7f2b594, `iou_timestamp_reward_v2`).
 *
 * @example
 * timeR1IoU('<think>…</think><answer>4.88 and 12.68</answer>', { relevant: true, span: [3.1, 10.9], duration: 30.04 }); // => 0.5561288694838225
 */
export function timeR1IoU(completion: string, target: RaRftTarget): number {
  assertTarget('timeR1IoU', target);
  const span = timeR1Span(completion);
  if (!target.relevant || span === null) return 0;
  return distanceWeightedIoU(span, target.span as Span, target.duration as number);
}
