import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupRelativeAdvantage } from './group-relative-advantage.js';

/** TRL's computation, restated naively: (r - mean) / (std_unbiased + 1e-4) per group. */
function trlReference(rewards: number[], groupSize: number): number[] {
  const out: number[] = [];
  for (let start = 0; start < rewards.length; start += groupSize) {
    const group = rewards.slice(start, start + groupSize);
    const mean = group.reduce((a, b) => a + b, 0) / group.length;
    const std = Math.sqrt(group.reduce((a, b) => a + (b - mean) ** 2, 0) / (group.length - 1));
    for (const r of group) out.push((r - mean) / (std + 1e-4));
  }
  return out;
}

const rewardGroups = fc.integer({ min: 2, max: 16 }).chain((groupSize) =>
  fc.tuple(fc.constant(groupSize), fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: groupSize, maxLength: groupSize * 4 })),
).map(([groupSize, values]) => [groupSize, values.slice(0, values.length - (values.length % groupSize))] as const);

describe('groupRelativeAdvantage', () => {
  it('equals TRL defaults', () => {
    fc.assert(
      fc.property(rewardGroups, ([groupSize, rewards]) => {
        const got = groupRelativeAdvantage(rewards, { groupSize });
        trlReference(rewards, groupSize).forEach((want, i) => expect(got[i]).toBeCloseTo(want, 9));
      }),
    );
  });

  it('sums to ~0 within each group, for every baseline and scale', () => {
    fc.assert(
      fc.property(
        rewardGroups,
        fc.constantFrom('group', 'batch', 'none' as const),
        fc.constantFrom('mean', 'leave-one-out' as const),
        fc.constantFrom('unbiased', 'population' as const),
        ([groupSize, rewards], scale, baseline, std) => {
          const got = groupRelativeAdvantage(rewards, { groupSize, scale, baseline, std });
          for (let start = 0; start < got.length; start += groupSize) {
            let sum = 0;
            for (let i = start; i < start + groupSize; i++) sum += got[i] as number;
            expect(Math.abs(sum)).toBeLessThan(1e-6 * groupSize * 1e4);
          }
        },
      ),
    );
  });

  it('leaves null and NaN rewards out of the statistics and gives them 0', () => {
    const got = groupRelativeAdvantage([1, null, 0, Number.NaN], { groupSize: 4 });
    const same = groupRelativeAdvantage([1, 0], { groupSize: 2 });
    expect([...got]).toEqual([same[0], 0, same[1], 0]);
    expect([...groupRelativeAdvantage([null, null, 2, 2], { groupSize: 2 })]).toEqual([0, 0, 0, 0]);
    expect([...groupRelativeAdvantage([null, 3], { groupSize: 2 })]).toEqual([0, 0]);
  });

  it('uses the named epsilon and std conventions', () => {
    const [a] = groupRelativeAdvantage([1, 0], { groupSize: 2, epsilon: 0, std: 'population' });
    expect(a).toBeCloseTo(1, 12); // (1 - 0.5) / 0.5
    const [b] = groupRelativeAdvantage([1, 0], { groupSize: 2, epsilon: 1e-6 });
    expect(b).toBeCloseTo(0.5 / (Math.SQRT1_2 + 1e-6), 12);
    expect([...groupRelativeAdvantage([2, 2], { groupSize: 2, epsilon: 0 })]).toEqual([0, 0]);
  });

  it('supports the RLOO leave-one-out baseline and Dr. GRPO mean-only scaling', () => {
    expect([...groupRelativeAdvantage([3, 1, 2], { groupSize: 3, baseline: 'leave-one-out', scale: 'none' })]).toEqual([1.5, -1.5, 0]);
    expect([...groupRelativeAdvantage([3, 1, 2, 0], { groupSize: 2, scale: 'none' })]).toEqual([1, -1, 1, -1]);
  });

  it('scales by the batch std when asked', () => {
    const rewards = [1, 0, 10, 0];
    const mean = 11 / 4;
    const std = Math.sqrt(rewards.reduce((a, r) => a + (r - mean) ** 2, 0) / 3);
    const got = groupRelativeAdvantage(rewards, { groupSize: 2, scale: 'batch' });
    expect(got[0]).toBeCloseTo(0.5 / (std + 1e-4), 12);
    expect(got[2]).toBeCloseTo(5 / (std + 1e-4), 12);
  });
});
