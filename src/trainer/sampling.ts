import type { Tensor2D } from '@tensorflow/tfjs';
import { OptionsError } from '../errors.js';
import type { Tf } from './backend.js';
import type { Policy } from './policy.js';
import type { Rng } from '../internal/rng.js';
import { EOS, PAD } from './task.js';

/** Options of {@link sampleCompletions}. */
export interface SampleOptions {
  /** Most tokens to generate per completion (`<eos>` included). */
  maxNewTokens: number;
  /** Softmax temperature; `0` decodes greedily (argmax). Default 1. */
  temperature?: number | undefined;
  /** The seeded generator every draw comes from (required unless greedy). */
  rng?: Rng | undefined;
}

/**
 * Samples one completion per prompt (all prompts the same length), token by token, stopping each row at
 * `<eos>`. Uses the policy's KV-cache decoder when it has one, otherwise recomputes the prefix each step
 * (dropping finished rows). Draws come from `options.rng` in row order, so a seed fixes the samples.
 * Returns the completion token ids, `<eos>` included when it was generated. Asynchronous: each step's
 * probabilities are read with `await tensor.data()` (webgpu has no synchronous read in Node).
 */
export async function sampleCompletions(tf: Tf, policy: Policy, prompts: readonly (readonly number[])[], options: SampleOptions): Promise<number[][]> {
  const count = prompts.length;
  if (count === 0) return [];
  const promptLength = (prompts[0] as readonly number[]).length;
  const temperature = options.temperature ?? 1;
  const fn = 'sampleCompletions';
  if (!Number.isInteger(options.maxNewTokens) || options.maxNewTokens < 1) throw new OptionsError(fn, 'options.maxNewTokens', `must be an integer >= 1, got ${String(options.maxNewTokens)}`);
  if (!(temperature >= 0) || !Number.isFinite(temperature)) throw new OptionsError(fn, 'options.temperature', `must be a finite number >= 0, got ${String(temperature)}`);
  if (temperature > 0 && options.rng === undefined) throw new OptionsError(fn, 'options.rng', 'is required when temperature > 0');
  if (prompts.some((prompt) => prompt.length !== promptLength)) throw new OptionsError(fn, 'prompts', `must all have the same length (${promptLength})`);
  const vocab = policy.vocabSize;
  const completions: number[][] = prompts.map(() => []);
  const done = new Uint8Array(count);

  const choose = (values: ArrayLike<number>, offset: number): number => {
    let token = 0;
    if (temperature === 0) {
      for (let v = 1; v < vocab; v++) if ((values[offset + v] as number) > (values[offset + token] as number)) token = v;
      return token;
    }
    let u = (options.rng as Rng).next();
    for (let v = 0; v < vocab; v++) {
      u -= values[offset + v] as number;
      if (u < 0) return v;
    }
    // Rounding left a little mass: take the most likely token.
    for (let v = 1; v < vocab; v++) if ((values[offset + v] as number) > (values[offset + token] as number)) token = v;
    return token;
  };
  const distribution = async (logits: Tensor2D): Promise<Float32Array> => {
    const probabilities = tf.tidy(() => (temperature === 0 ? logits.clone() : tf.softmax(tf.div(logits, temperature))));
    const values = (await probabilities.data()) as Float32Array;
    probabilities.dispose();
    return values;
  };

  if (policy.startDecoding !== undefined) {
    const decoder = policy.startDecoding();
    try {
      const promptIds = new Int32Array(count * promptLength);
      prompts.forEach((prompt, i) => promptIds.set(prompt, i * promptLength));
      let input = tf.tensor2d(promptIds, [count, promptLength], 'int32');
      for (let step = 0; step < options.maxNewTokens; step++) {
        const logits = decoder.next(input);
        input.dispose();
        const values = await distribution(logits);
        logits.dispose();
        const next = new Int32Array(count).fill(EOS);
        let active = 0;
        for (let row = 0; row < count; row++) {
          if (done[row] === 1) continue;
          const token = choose(values, row * vocab);
          (completions[row] as number[]).push(token);
          next[row] = token;
          if (token === EOS) done[row] = 1;
          else active++;
        }
        if (active === 0 || step === options.maxNewTokens - 1) break;
        input = tf.tensor2d(next, [count, 1], 'int32');
      }
    } finally {
      decoder.dispose();
    }
    return completions;
  }

  const width = promptLength + options.maxNewTokens;
  const sequences = prompts.map((prompt) => {
    const row = new Int32Array(width).fill(PAD);
    row.set(prompt);
    return row;
  });
  let active = Array.from({ length: count }, (_, i) => i);
  for (let step = 0; step < options.maxNewTokens && active.length > 0; step++) {
    const length = promptLength + step;
    const batch = new Int32Array(active.length * length);
    active.forEach((row, i) => batch.set((sequences[row] as Int32Array).subarray(0, length), i * length));
    const last = tf.tidy(() => {
      const logits = policy.logits(tf.tensor2d(batch, [active.length, length], 'int32') as Tensor2D);
      return tf.reshape(tf.slice(logits, [0, length - 1, 0], [active.length, 1, vocab]), [active.length, vocab]) as Tensor2D;
    });
    const values = await distribution(last);
    last.dispose();
    const still: number[] = [];
    active.forEach((row, i) => {
      const token = choose(values, i * vocab);
      (sequences[row] as Int32Array)[length] = token;
      (completions[row] as number[]).push(token);
      if (token !== EOS) still.push(row);
    });
    active = still;
  }
  return completions;
}
