import type { Tensor } from '@tensorflow/tfjs';
import type { Tf } from './backend.js';

/** Tensor helpers the policies share; built per tfjs instance because tfjs is loaded lazily. */
export interface Ops {
  /**
   * `a · b` for rank-2 or batched rank-3 tensors, with a custom gradient that transposes explicitly
   * (`dA = dY · Bᵀ`, `dB = Aᵀ · dY`): the wasm backend's transposed matmul is 11–12× slower than a
   * transpose followed by a plain matmul at the trainer's shapes (`npm run bench -- trainer`).
   */
  matMul(a: Tensor, b: Tensor): Tensor;
  /**
   * Embedding lookup as `oneHot(ids) · table` (the wasm backend has no gradient for `gather`).
   * `ids` int32 of any shape → `[...ids.shape, dim]`.
   */
  embed(ids: Tensor, table: Tensor): Tensor;
  /** `Σ_v logSoftmax(logits)[…, v] · oneHot(targets)[…, v]`: the log-probability of each target token. */
  tokenLogProbs(logits: Tensor, targets: Tensor): Tensor;
}

/** Builds the {@link Ops} of one tfjs instance. */
export function createOps(tf: Tf): Ops {
  const swapLast = (x: Tensor): Tensor => (x.rank === 2 ? tf.transpose(x) : tf.transpose(x, [...Array.from({ length: x.rank - 2 }, (_, i) => i), x.rank - 1, x.rank - 2]));
  const matMul = tf.customGrad(((a: Tensor, b: Tensor, save: (tensors: Tensor[]) => void) => {
    save([a, b]);
    return {
      value: tf.matMul(a as never, b as never),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [sa, sb] = saved as [Tensor, Tensor];
        return [tf.matMul(dy as never, swapLast(sb) as never), tf.matMul(swapLast(sa) as never, dy as never)];
      },
    };
  }) as unknown as Parameters<Tf['customGrad']>[0]) as unknown as (a: Tensor, b: Tensor) => Tensor;

  return {
    matMul,
    embed(ids, table) {
      const vocab = table.shape[0] as number;
      const flat = tf.reshape(ids, [-1]);
      const rows = matMul(tf.cast(tf.oneHot(tf.cast(flat, 'int32') as never, vocab), 'float32'), table);
      return tf.reshape(rows, [...ids.shape, table.shape[1] as number]);
    },
    tokenLogProbs(logits, targets) {
      const vocab = logits.shape[logits.rank - 1] as number;
      const mask = tf.cast(tf.oneHot(tf.cast(targets, 'int32') as never, vocab), 'float32');
      return tf.sum(tf.mul(tf.logSoftmax(logits), mask), -1);
    },
  };
}
