import type { Tensor2D, Tensor3D, Variable } from '@tensorflow/tfjs';
import type { Tf } from './backend.js';

/**
 * A causal language-model policy the trainer can fine-tune: plug in your own by implementing this and
 * passing a {@link PolicyFactory} as `TrainOptions.policy`.
 *
 * The trainer only needs next-token logits for a batch of token sequences (it samples, scores and
 * computes log-probabilities itself), the variables to update, and a copy for the frozen reference.
 */
export interface Policy {
  /** A short description for the report, e.g. `transformer d64 L2 H4`. */
  readonly name: string;
  /** Number of token ids (the task's vocabulary size). */
  readonly vocabSize: number;
  /** Longest token sequence `logits` accepts. */
  readonly contextLength: number;
  /** The trainable variables; the optimizer updates exactly these. */
  readonly variables: readonly Variable[];
  /** Number of scalar parameters (for the report). */
  readonly parameterCount: number;
  /**
   * Next-token logits: `tokens` int32 `[batch, length]` → float32 `[batch, length, vocabSize]`, where
   * position `t` depends only on `tokens[:, 0..t]` (causal) and predicts token `t + 1`. Must be
   * differentiable with respect to {@link variables} under `tf.variableGrads`, and must not keep the
   * tensors it creates (the trainer wraps calls in `tf.tidy`).
   */
  logits(tokens: Tensor2D): Tensor3D;
  /**
   * Optional fast path for sampling: a decoder that keeps keys and values of earlier positions (KV cache).
   * Without it the sampler recomputes the whole prefix for every new token.
   */
  startDecoding?(): IncrementalDecoder;
  /** An independent policy with the same weights (the trainer freezes it as the KL reference). */
  clone(): Policy;
  /** Frees the variables. */
  dispose(): void;
}

/** Incremental decoding state of one batch (see {@link Policy.startDecoding}). */
export interface IncrementalDecoder {
  /**
   * Appends `tokens` (int32 `[batch, n]`: the prompts first, then one sampled token per call) and returns
   * the logits of the last appended position, `[batch, vocabSize]`. The caller disposes the result.
   */
  next(tokens: Tensor2D): Tensor2D;
  /** Frees the cached keys and values. */
  dispose(): void;
}

/** What a {@link PolicyFactory} gets to build a policy for the task. */
export interface PolicyContext {
  /** The TensorFlow.js namespace, already on the chosen backend. */
  tf: Tf;
  vocabSize: number;
  /** The longest sequence the trainer will pass (prompt plus completion). */
  contextLength: number;
  /** Seed for weight initialisation (reproducible runs). */
  seed: number;
}

/** Builds the policy for a run. */
export type PolicyFactory = (context: PolicyContext) => Policy;
