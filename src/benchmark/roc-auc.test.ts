import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rocAuc, rocCurve } from './roc-auc.js';

function trapezoidArea(points: readonly { fpr: number; tpr: number }[]): number {
  let area = 0;
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1] as (typeof points)[number], points[i] as (typeof points)[number]];
    area += ((b.fpr - a.fpr) * (a.tpr + b.tpr)) / 2;
  }
  return area;
}

describe('rocAuc', () => {
  it('matches a hand-computed case with a tie', () => {
    // Pairs (good, bad): (0.9,0.8) win, (0.9,0.3) win, (0.8,0.8) tie, (0.8,0.3) win, (0.4,0.8) loss, (0.4,0.3) win
    // → (4 + 0.5) / 6.
    expect(rocAuc([0.9, 0.8, 0.4], [0.8, 0.3])).toBe(0.75);
  });

  it('is 1 for a perfect ranking, 0 for an inverted one, 0.5 when every score ties', () => {
    expect(rocAuc([3, 4], [1, 2])).toBe(1);
    expect(rocAuc([1, 2], [3, 4])).toBe(0);
    expect(rocAuc([1, 1, 1], [1, 1])).toBe(0.5);
  });

  it('is NaN without good or bad items', () => {
    expect(rocAuc([], [1])).toBeNaN();
    expect(rocAuc([1], [])).toBeNaN();
    expect(rocAuc([Number.NaN], [1])).toBeNaN();
  });
});

describe('rocCurve', () => {
  it('lists one point per distinct score, ties as a diagonal step', () => {
    expect(rocCurve([0.9, 0.8, 0.4], [0.8, 0.3]).map(({ fpr, tpr }) => [fpr, tpr])).toEqual([
      [0, 0],
      [0, 1 / 3],
      [0.5, 2 / 3],
      [0.5, 1],
      [1, 1],
    ]);
  });

  it('encloses exactly the AUC (trapezoids), for any scores', () => {
    const scores = fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 25 });
    fc.assert(
      fc.property(scores, scores, (good, bad) => {
        expect(trapezoidArea(rocCurve(good, bad))).toBeCloseTo(rocAuc(good, bad), 12);
      }),
    );
  });
});
