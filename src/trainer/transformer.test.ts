import type { Tensor2D } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { OptionsError } from '../errors.js';
import { type Tf, initBackend } from './backend.js';
import type { Policy } from './policy.js';
import { Rng } from '../internal/rng.js';
import { sampleCompletions } from './sampling.js';
import { transformerPolicy } from './transformer.js';

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await initBackend('wasm'));
});

const small = { dModel: 16, layers: 2, heads: 2, ffn: 16 };

describe('transformerPolicy', () => {
  it('is causal: logits at position t ignore later tokens', () => {
    const policy = transformerPolicy(small)({ tf, vocabSize: 20, contextLength: 12, seed: 1 });
    const a = tf.tensor2d([[3, 4, 5, 6, 7, 8]], [1, 6], 'int32') as Tensor2D;
    const b = tf.tensor2d([[3, 4, 5, 9, 9, 9]], [1, 6], 'int32') as Tensor2D;
    const la = policy.logits(a).arraySync()[0]!;
    const lb = policy.logits(b).arraySync()[0]!;
    for (let t = 0; t < 3; t++) la[t]!.forEach((v, k) => expect(v).toBeCloseTo(lb[t]![k]!, 5));
    expect(Math.abs(la[4]![0]! - lb[4]![0]!)).toBeGreaterThan(1e-6);
    policy.dispose();
  });

  it('samples the same completions with the KV cache as with full recomputation, for a seed', async () => {
    const policy = transformerPolicy(small)({ tf, vocabSize: 20, contextLength: 16, seed: 2 });
    const recompute: Policy = { ...policy, name: policy.name, vocabSize: policy.vocabSize, contextLength: policy.contextLength, variables: policy.variables, parameterCount: policy.parameterCount, logits: (t) => policy.logits(t), clone: () => policy.clone(), dispose: () => {} };
    const prompts = Array.from({ length: 6 }, (_, i) => [2 + i, 3, 4, 5 + i]);
    for (const temperature of [0, 1]) {
      const cached = await sampleCompletions(tf, policy, prompts, { maxNewTokens: 8, temperature, rng: new Rng(9) });
      const full = await sampleCompletions(tf, recompute, prompts, { maxNewTokens: 8, temperature, rng: new Rng(9) });
      expect(cached).toEqual(full);
      expect(cached.every((c) => c.length >= 1 && c.length <= 8)).toBe(true);
    }
    const before = tf.memory().numTensors;
    await sampleCompletions(tf, policy, prompts, { maxNewTokens: 8, rng: new Rng(1) });
    expect(tf.memory().numTensors).toBe(before);
    policy.dispose();
  });

  it('starts from the same weights for a seed, clones independently, and validates its options', () => {
    const make = (seed: number) => transformerPolicy(small)({ tf, vocabSize: 20, contextLength: 12, seed });
    const [a, b, c] = [make(5), make(5), make(6)];
    expect(Array.from(a.variables[0]!.dataSync())).toEqual(Array.from(b.variables[0]!.dataSync()));
    expect(Array.from(a.variables[0]!.dataSync())).not.toEqual(Array.from(c.variables[0]!.dataSync()));
    const copy = a.clone();
    a.variables[0]!.assign(tf.zerosLike(a.variables[0]!));
    expect(copy.variables[0]!.dataSync().some((v) => v !== 0)).toBe(true);
    expect(copy.variables.every((v) => !v.trainable)).toBe(true);
    for (const p of [a, b, c, copy]) p.dispose();
    expect(() => transformerPolicy({ dModel: 10, heads: 4 })).toThrow(OptionsError);
    expect(() => transformerPolicy({ tokenShift: -1 })).toThrow(/tokenShift/);
  });
});
