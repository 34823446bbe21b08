import type { NamedTensorMap, Optimizer, Scalar, Tensor, Variable } from '@tensorflow/tfjs';
import type { Tf } from './backend.js';
import type { Ops } from './ops.js';

/**
 * One optimizer step on `loss()` over `variables`, with the gradients clipped to a global L2 norm of
 * `maxGradNorm` (0: no clipping): `g ← g · min(1, maxGradNorm / ‖g‖₂)`. Returns the loss value and the
 * gradient norm before clipping. Values are read with `await tensor.data()` (webgpu has no synchronous read
 * in Node), and the squared norms are summed with {@link Ops.sum} (webgpu's `addN` has a buffer limit).
 */
export async function optimizerStep(
  tf: Tf,
  ops: Ops,
  optimizer: Optimizer,
  variables: readonly Variable[],
  loss: () => Scalar,
  maxGradNorm: number,
): Promise<{ loss: number; gradNorm: number }> {
  const { value, grads } = tf.variableGrads(loss, [...variables]);
  const names = Object.keys(grads);
  const norm = tf.tidy(() => tf.sqrt(ops.sum(names.map((name) => tf.sum(tf.square(grads[name] as Tensor))))));
  const gradNorm = (await norm.data())[0] as number;
  norm.dispose();
  const factor = maxGradNorm > 0 && gradNorm > maxGradNorm ? maxGradNorm / gradNorm : 1;
  const scaled: NamedTensorMap = {};
  for (const name of names) scaled[name] = factor === 1 ? (grads[name] as Tensor) : tf.mul(grads[name] as Tensor, factor);
  optimizer.applyGradients(scaled);
  const lossValue = (await value.data())[0] as number;
  value.dispose();
  for (const name of names) {
    (grads[name] as Tensor).dispose();
    if (factor !== 1) (scaled[name] as Tensor).dispose();
  }
  return { loss: lossValue, gradNorm };
}
