import type { z } from 'zod';
import type { sftOptionsSchema } from './options-schema.js';
import type { Optimizer, Scalar } from '@tensorflow/tfjs';
import type { Tf } from './backend.js';
import { completionLogits, disposeBatch, packBatch } from './batch.js';
import { createOps } from './ops.js';
import { optimizerStep } from './optimize.js';
import type { Policy } from './policy.js';
import type { Rng } from '../internal/rng.js';
import { EOS, type SyntheticHiVtgTask, type SyntheticSample } from './task.js';

/** Settings of the supervised cold start (stage 1): the resolved {@link sftOptionsSchema} (one definition per option). */
export type SftSettings = z.output<typeof sftOptionsSchema>;

/** One SFT progress record. */
export interface SftStepRecord {
  step: number;
  loss: number;
}

/**
 * Stage 1: supervised fine-tuning on demonstrations of RELEVANT queries only (like real VTG models, the
 * policy never sees a refusal). Cross-entropy with label smoothing on the completion tokens.
 */
export async function runSft(
  tf: Tf,
  policy: Policy,
  task: SyntheticHiVtgTask,
  rng: Rng,
  settings: SftSettings,
  onStep: (record: SftStepRecord) => void,
  observe?: (sample: SyntheticSample) => void,
): Promise<SftStepRecord[]> {
  const ops = createOps(tf);
  const optimizer: Optimizer = tf.train.adam(settings.learningRate);
  const records: SftStepRecord[] = [];
  const epsilon = settings.labelSmoothing;
  for (let step = 1; step <= settings.steps; step++) {
    const samples = Array.from({ length: settings.batchSize }, () => task.sample(rng, 'relevant'));
    if (observe !== undefined) samples.forEach(observe);
    const batch = packBatch(
      tf,
      samples.map((s) => s.prompt),
      samples.map((s) => [...task.encode(s.ideal), EOS]),
    );
    const { loss } = await optimizerStep(
      tf,
      ops,
      optimizer,
      policy.variables,
      () =>
        tf.tidy(() => {
          const logProbs = tf.logSoftmax(completionLogits(tf, policy, batch)); // [n, L, V]
          const targets = tf.cast(tf.oneHot(tf.cast(batch.targets, 'int32') as never, policy.vocabSize), 'float32'); // [n, L, V]
          const nll = tf.neg(tf.sum(tf.mul(logProbs, targets), -1)); // [n, L]
          const smooth = tf.neg(tf.mean(logProbs, -1)); // [n, L]: cross-entropy to the uniform distribution
          const perToken = tf.add(tf.mul(nll, 1 - epsilon), tf.mul(smooth, epsilon));
          return tf.div(tf.sum(tf.mul(perToken, batch.mask)), tf.sum(batch.mask)) as Scalar;
        }),
      settings.maxGradNorm,
    );
    disposeBatch(batch);
    const record = { step, loss };
    records.push(record);
    onStep(record);
  }
  optimizer.dispose();
  return records;
}
