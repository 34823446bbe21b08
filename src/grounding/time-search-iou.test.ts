import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { timeSearchIoU } from './time-search-iou.js';

describe('timeSearchIoU (worked from Time-Search/TimeSearch-R v7.py compute_iou)', () => {
  it('merges overlapping intervals before measuring', () => {
    expect(timeSearchIoU([[0, 3], [2, 4], [22, 25]], [[1, 5], [2, 2], [2, 4]])).toBe(0.375);
    expect(timeSearchIoU([[0, 2], [2, 4]], [[0, 4]])).toBe(1);
  });

  it('an empty union gives 1', () => {
    expect(timeSearchIoU([[3, 3]], [[5, 5]])).toBe(1);
    expect(timeSearchIoU([], [])).toBe(1);
  });

  it('is symmetric and in [0, 1] on finite intervals', () => {
    const interval = fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 20 })).map(([s, l]) => [s, s + l] as [number, number]);
    fc.assert(fc.property(fc.array(interval, { maxLength: 4 }), fc.array(interval, { maxLength: 4 }), (a, b) => {
      const iou = timeSearchIoU(a, b);
      return iou >= 0 && iou <= 1 && Math.abs(iou - timeSearchIoU(b, a)) < 1e-12;
    }));
  });
});
