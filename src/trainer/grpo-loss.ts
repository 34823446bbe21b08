import type { Scalar, Tensor } from '@tensorflow/tfjs';
import type { Tf } from './backend.js';

/** How per-token losses become one number. */
export type LossAggregation = 'token' | 'sequence';

/** Options of {@link grpoLoss}. */
export interface GrpoLossOptions {
  /** PPO clip range ε: the ratio is clipped to [1 − ε, 1 + ε] (default 0.2). */
  clipEpsilon?: number | undefined;
  /** Weight β of the k3 KL estimate to the reference policy (default 0.04). */
  klBeta?: number | undefined;
  /**
   * `token` (default): mean over every completion token of the batch (DAPO, TRL `loss_type="dapo"`);
   * `sequence`: mean over tokens within each completion, then over completions (the GRPO paper).
   */
  aggregation?: LossAggregation | undefined;
}

/** The tensors of {@link grpoLoss}, all `[completions, tokens]` except `advantages` (`[completions]`). */
export interface GrpoLossInputs {
  /** log π_θ(o_t | q, o_<t) of the policy being trained (differentiable). */
  logProbs: Tensor;
  /** Log-probabilities of the policy that sampled the completions (constant). */
  oldLogProbs: Tensor;
  /** Log-probabilities of the frozen reference policy (constant). */
  refLogProbs: Tensor;
  /** Group-relative advantage of each completion. */
  advantages: Tensor;
  /** 1 for completion tokens, 0 for padding. */
  mask: Tensor;
}

/**
 * The GRPO objective as a loss to minimise (DeepSeekMath; TRL `GRPOTrainer`):
 *
 * `L = agg_t [ −min(ρ_t · A, clip(ρ_t, 1 − ε, 1 + ε) · A) + β · (e^{r_t − l_t} − (r_t − l_t) − 1) ]`
 *
 * with `ρ_t = e^{l_t − old_t}` (`l` policy, `old` sampling policy, `r` reference log-probabilities) and the
 * k3 KL estimator (Schulman, "Approximating KL divergence", 2020). Returns the loss and, for logging only
 * (not meant to be differentiated), the mean KL and the clipped fraction, both as token means over the
 * mask, as TRL logs them. A token counts as clipped only where the clip binds, i.e. where the min picks
 * the clipped term and the token's gradient is zero: `ρ_t > 1 + ε` with `A > 0`, or `ρ_t < 1 − ε` with
 * `A < 0` (TRL's `clip_ratio/region_mean`). Outside the range with the other sign, the unclipped term is
 * the smaller one and the token still pulls.
 *
 * @example
 * const same = tf.tensor2d([[-1, -2]]);
 * const { loss } = grpoLoss(tf, { logProbs: same, oldLogProbs: same, refLogProbs: same, advantages: tf.tensor1d([2]), mask: tf.tensor2d([[1, 0]]) });
 * loss.dataSync()[0]; // => -2
 */
export function grpoLoss(tf: Tf, inputs: GrpoLossInputs, options: GrpoLossOptions = {}): { loss: Scalar; kl: Scalar; clipFraction: Scalar } {
  const epsilon = options.clipEpsilon ?? 0.2;
  const beta = options.klBeta ?? 0.04;
  const aggregation = options.aggregation ?? 'token';
  const { logProbs, oldLogProbs, refLogProbs, mask } = inputs;
  const advantages = tf.expandDims(inputs.advantages, 1);
  const ratio = tf.exp(tf.sub(logProbs, oldLogProbs));
  const unclipped = tf.mul(ratio, advantages);
  const clipped = tf.mul(tf.clipByValue(ratio, 1 - epsilon, 1 + epsilon), advantages);
  const policyLoss = tf.neg(tf.minimum(unclipped, clipped));
  const refGap = tf.sub(refLogProbs, logProbs);
  const kl = tf.sub(tf.sub(tf.exp(refGap), refGap), 1);
  const perToken = beta === 0 ? policyLoss : tf.add(policyLoss, tf.mul(kl, beta));
  const tokenMean = (values: Tensor): Scalar => tf.div(tf.sum(tf.mul(values, mask)), tf.maximum(tf.sum(mask), 1)) as Scalar;
  const aggregate = (values: Tensor): Scalar => {
    if (aggregation === 'token') return tokenMean(values);
    const lengths = tf.maximum(tf.sum(mask, 1), 1);
    return tf.mean(tf.div(tf.sum(tf.mul(values, mask), 1), lengths)) as Scalar;
  };
  const highClipped = tf.logicalAnd(tf.greater(ratio, 1 + epsilon), tf.greater(advantages, 0));
  const lowClipped = tf.logicalAnd(tf.less(ratio, 1 - epsilon), tf.less(advantages, 0));
  const isClipped = tf.cast(tf.logicalOr(highClipped, lowClipped), 'float32');
  return { loss: aggregate(perToken), kl: tokenMean(kl), clipFraction: tokenMean(isClipped) };
}
