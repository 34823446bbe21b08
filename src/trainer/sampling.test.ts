import { beforeAll, describe, expect, it } from 'vitest';
import { isOptionsError } from '../errors.js';
import { type Tf, initBackend } from './backend.js';
import { Rng } from '../internal/rng.js';
import { type SampleOptions, sampleCompletions } from './sampling.js';
import { transformerPolicy } from './transformer.js';

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await initBackend('wasm'));
});

describe('sampleCompletions', () => {
  it('rejects bad options with an OptionsError naming the field', async () => {
    const policy = transformerPolicy({ dModel: 8, layers: 1, heads: 2, ffn: 8 })({ tf, vocabSize: 12, contextLength: 10, seed: 1 });
    const prompts = [[2, 3, 4]];
    const cases: [SampleOptions, readonly (readonly number[])[], string][] = [
      [{ maxNewTokens: 0, rng: new Rng(1) }, prompts, 'options.maxNewTokens'],
      [{ maxNewTokens: 2.5, rng: new Rng(1) }, prompts, 'options.maxNewTokens'],
      [{ maxNewTokens: 3, temperature: -1, rng: new Rng(1) }, prompts, 'options.temperature'],
      [{ maxNewTokens: 3, temperature: Number.NaN, rng: new Rng(1) }, prompts, 'options.temperature'],
      [{ maxNewTokens: 3 }, prompts, 'options.rng'],
      [{ maxNewTokens: 3, rng: new Rng(1) }, [[2, 3, 4], [2, 3]], 'prompts'],
    ];
    for (const [options, input, field] of cases) {
      const caught: unknown = await sampleCompletions(tf, policy, input, options).catch((error: unknown) => error);
      expect(isOptionsError(caught), `${field}: ${String(caught)}`).toBe(true);
      expect((caught as { field: string }).field).toBe(field);
    }
    // Greedy decoding needs no generator and is deterministic.
    const greedy = () => sampleCompletions(tf, policy, [[2, 3, 4], [5, 6, 7]], { maxNewTokens: 4, temperature: 0 });
    expect(await greedy()).toEqual(await greedy());
    expect(await sampleCompletions(tf, policy, [], { maxNewTokens: 4 })).toEqual([]);
    policy.dispose();
  });
});
