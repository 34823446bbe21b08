import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOptionsError } from '../errors.js';
import { groupRelativeAdvantage } from './group-relative-advantage.js';
import { multiRewardAdvantage } from './multi-reward-advantage.js';

describe('multiRewardAdvantage (TRL multi_objective_aggregation)', () => {
  it('sum_then_normalize equals groupRelativeAdvantage of the weighted sums', () => {
    const rows = fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 })), { minLength: 4, maxLength: 4 });
    fc.assert(fc.property(rows, (pairs) => {
      const ours = multiRewardAdvantage(pairs, { groupSize: 2, weights: [1, 0.5] });
      const sums = groupRelativeAdvantage(pairs.map(([a, b]) => a + 0.5 * b), { groupSize: 2 });
      return ours.every((value, i) => Math.abs(value - (sums[i] as number)) < 1e-12);
    }));
  });

  it('normalize_then_sum balances rewards of different spread (GDPO)', () => {
    // The second reward varies 10x more; summed first it dominates, normalized first both count.
    const rows = [[1, 0], [0, 10], [1, 10], [0, 0]];
    const summed = multiRewardAdvantage(rows, { groupSize: 4, scale: 'none' });
    const gdpo = multiRewardAdvantage(rows, { groupSize: 4, aggregation: 'normalize_then_sum' });
    expect(summed[0]).toBeLessThan(0);
    expect(gdpo[0]).toBeCloseTo(0, 3);
    expect(gdpo[2]).toBeGreaterThan(0);
  });

  it('an unscorable completion (all null) gets 0', () => {
    expect(multiRewardAdvantage([[null, null], [1, 1], [0, 0]], { groupSize: 3 })[0]).toBe(0);
  });

  it('rejects bad options', () => {
    for (const options of [{ groupSize: 0 }, { groupSize: 2, weights: [1] }, { groupSize: 2, aggregation: 'mean' }, { groupSize: 3 }]) {
      let caught: unknown;
      try {
        multiRewardAdvantage([[1, 2], [3, 4]], options as never);
      } catch (error) {
        caught = error;
      }
      expect(isOptionsError(caught), JSON.stringify(options)).toBe(true);
    }
  });
});
