import { describe, expectTypeOf, it } from 'vitest';
import {
  type Embedder,
  type RaRftRewardResult,
  type RaRftTarget,
  formatReward,
  groupRelativeAdvantage,
  hiVtgTargets,
  queryCorrection,
  raRftReward,
  raRftRewardBatch,
  refuseIoU,
  temporalIoU,
  trigramHashEmbedder,
} from '../src/index.js';

const target: RaRftTarget = { relevant: true, span: [1, 2], duration: 10 };
const embedder: Embedder = trigramHashEmbedder();

describe('public types', () => {
  it('rule rewards return numbers', () => {
    expectTypeOf(formatReward('x')).toEqualTypeOf<number>();
    expectTypeOf(refuseIoU('x', target)).toEqualTypeOf<number>();
    expectTypeOf(temporalIoU([0, 1], [1, 2])).toEqualTypeOf<number>();
  });

  it('profiles are checked', () => {
    formatReward('x', { profile: 'tvg-r1' });
    // @ts-expect-error refuseIoU has no r1 profile
    refuseIoU('x', target, { profile: 'r1' });
    // @ts-expect-error unknown profile
    formatReward('x', { profile: 'lenient' });
  });

  it('targets are typed', () => {
    // @ts-expect-error relevant is required
    refuseIoU('x', { span: [1, 2] });
    // @ts-expect-error span is a pair
    refuseIoU('x', { relevant: true, span: [1, 2, 3] });
  });

  it('embedding rewards are async', () => {
    expectTypeOf(queryCorrection('x', target, { metric: 'levenshtein' })).toEqualTypeOf<Promise<number>>();
    expectTypeOf(raRftReward('x', target, { embedder })).toEqualTypeOf<Promise<RaRftRewardResult>>();
    expectTypeOf(raRftRewardBatch(['x'], target, { embedder })).toEqualTypeOf<Promise<RaRftRewardResult[]>>();
    // @ts-expect-error raRftReward needs an embedder
    raRftReward('x', target, {});
    // @ts-expect-error unknown weight key
    raRftReward('x', target, { embedder, weights: { style: 1 } });
  });

  it('advantages are a Float64Array and accept nulls', () => {
    expectTypeOf(groupRelativeAdvantage([1, null, 0, 1], { groupSize: 2 })).toEqualTypeOf<Float64Array>();
    // @ts-expect-error groupSize is required
    groupRelativeAdvantage([1, 0], {});
  });

  it('hiVtgTargets takes unknown input and returns optional targets', () => {
    const targets = hiVtgTargets({} as unknown);
    expectTypeOf(targets.relevant).toEqualTypeOf<RaRftTarget | undefined>();
  });
});
