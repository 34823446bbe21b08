import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import type { Tf } from './backend.js';
import type { Ops } from './ops.js';
import type { Policy } from './policy.js';
import { PAD } from './task.js';

/** Prompts and completions packed as tensors for teacher-forced log-probabilities. */
export interface TokenBatch {
  /** `[n, P + L − 1]` int32: prompt, then the completion without its last token, padded. */
  inputs: Tensor2D;
  /** `[n, L]` int32: the completion tokens, padded. */
  targets: Tensor2D;
  /** `[n, L]` float32: 1 on completion tokens. */
  mask: Tensor2D;
  promptLength: number;
  completionLength: number;
}

/** Packs prompts (one length) and their completions into a {@link TokenBatch}; dispose it with {@link disposeBatch}. */
export function packBatch(tf: Tf, prompts: readonly (readonly number[])[], completions: readonly (readonly number[])[]): TokenBatch {
  const n = prompts.length;
  const promptLength = (prompts[0] as readonly number[]).length;
  const completionLength = Math.max(1, ...completions.map((c) => c.length));
  const width = promptLength + completionLength - 1;
  const inputs = new Int32Array(n * width).fill(PAD);
  const targets = new Int32Array(n * completionLength).fill(PAD);
  const mask = new Float32Array(n * completionLength);
  for (let i = 0; i < n; i++) {
    const prompt = prompts[i] as readonly number[];
    const completion = completions[i] as readonly number[];
    inputs.set(prompt, i * width);
    inputs.set(completion.slice(0, completionLength - 1), i * width + promptLength);
    targets.set(completion, i * completionLength);
    mask.fill(1, i * completionLength, i * completionLength + completion.length);
  }
  return {
    inputs: tf.tensor2d(inputs, [n, width], 'int32'),
    targets: tf.tensor2d(targets, [n, completionLength], 'int32'),
    mask: tf.tensor2d(mask, [n, completionLength], 'float32'),
    promptLength,
    completionLength,
  };
}

/** Frees a {@link TokenBatch}. */
export function disposeBatch(batch: TokenBatch): void {
  batch.inputs.dispose();
  batch.targets.dispose();
  batch.mask.dispose();
}

/** Logits at the positions that predict the completion tokens: `[n, L, V]`. */
export function completionLogits(tf: Tf, policy: Policy, batch: TokenBatch): Tensor {
  const logits = policy.logits(batch.inputs);
  const [n] = batch.inputs.shape;
  return tf.slice(logits, [0, batch.promptLength - 1, 0], [n, batch.completionLength, policy.vocabSize]);
}

/** log π(completion token | prefix) for every completion position: `[n, L]` (padding positions hold junk; mask them). */
export function completionLogProbs(tf: Tf, ops: Ops, policy: Policy, batch: TokenBatch): Tensor {
  return ops.tokenLogProbs(completionLogits(tf, policy, batch), batch.targets);
}
