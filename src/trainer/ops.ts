import type { Tensor } from '@tensorflow/tfjs';
import { OptionsError } from '../errors.js';
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
  /**
   * `Σ_i tensors[i]` (same shapes). One `tf.addN` where the backend allows it; on webgpu in chunks that fit
   * the device's storage-buffer limit (`addN` of k tensors binds k + 1 storage buffers in one shader, and
   * Dawn's default limit is 8 per stage), so any number of tensors can be summed.
   */
  sum(tensors: readonly Tensor[]): Tensor;
}

/** Inputs one `addN` may take on the current backend: storage buffers per shader stage, less the output. */
function addNLimit(tf: Tf): number {
  if (tf.getBackend() !== 'webgpu') return Number.POSITIVE_INFINITY;
  const device = (tf.backend() as unknown as { device?: { limits?: { maxStorageBuffersPerShaderStage?: number } } }).device;
  return Math.max(2, (device?.limits?.maxStorageBuffersPerShaderStage ?? 8) - 1);
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
    sum(tensors) {
      if (tensors.length === 0) throw new OptionsError('ops.sum', 'tensors', 'must not be empty');
      const limit = addNLimit(tf);
      let terms = [...tensors];
      while (terms.length > 1) {
        const next: Tensor[] = [];
        for (let i = 0; i < terms.length; i += limit) {
          const chunk = terms.slice(i, i + limit);
          next.push(chunk.length === 1 ? (chunk[0] as Tensor) : tf.addN(chunk));
        }
        terms = next;
      }
      return terms[0] as Tensor;
    },
    tokenLogProbs(logits, targets) {
      const vocab = logits.shape[logits.rank - 1] as number;
      const mask = tf.cast(tf.oneHot(tf.cast(targets, 'int32') as never, vocab), 'float32');
      return tf.sum(tf.mul(tf.logSoftmax(logits), mask), -1);
    },
  };
}
