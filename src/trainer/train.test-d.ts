import { describe, expectTypeOf, it } from 'vitest';
import type { BackendChoice, PolicyFactory, TrainOptions, TrainReport } from './index.js';
import { train } from './index.js';

describe('trainer types', () => {
  it('train takes optional options and resolves to a TrainReport', () => {
    expectTypeOf(train).parameters.toEqualTypeOf<[options?: TrainOptions]>();
    expectTypeOf(train).returns.resolves.toEqualTypeOf<TrainReport>();
    expectTypeOf<BackendChoice>().toEqualTypeOf<'auto' | 'webgpu' | 'wasm' | 'cpu'>();
    expectTypeOf<TrainReport['beforeAfter']['raRft']['refusalAccuracy']>().toEqualTypeOf<number>();
  });

  it('rejects unknown backends and accepts a user policy factory', () => {
    // @ts-expect-error 'tpu' is not a backend
    const bad: TrainOptions = { backend: 'tpu' };
    expectTypeOf(bad).toEqualTypeOf<TrainOptions>();
    expectTypeOf<{ policy: PolicyFactory }>().toMatchTypeOf<TrainOptions>();
  });
});
