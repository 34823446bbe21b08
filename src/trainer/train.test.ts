import type { Tensor2D, Tensor3D, Variable } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { isOptionsError } from '../errors.js';
import type { Policy, PolicyFactory } from './policy.js';
import { renderTrainingCurves } from './plot.js';
import type { TrainReport } from './report.js';
import { beforeAfterTable } from './summary.js';
import { train } from './train.js';

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe('train', () => {
  // A shortened default run (the default takes ~5 minutes): 200 SFT steps, 40 GRPO steps at a constant,
  // higher learning rate. 75-110 s on 2 idle cores, several minutes on a loaded machine. The run is bounded
  // by its steps, so the test has no wall-clock limit (timeout 0): a timeout only failed it on busy machines.
  // `npm run test:unit` (RA_RFT_UNIT=1) leaves it to the full `npm test`.
  it.skipIf(process.env.RA_RFT_UNIT === '1')('raises the RA-RFT reward and teaches the SFT policy to refuse hard-irrelevant queries', { timeout: 0 }, async () => {
    const report = await train({
      seed: 1,
      backend: 'wasm',
      sft: { steps: 200 },
      grpo: { steps: 40, learningRate: 2e-3, finalLearningRateShare: 1 },
      evaluation: { relevant: 48, irrelevant: 48, every: 0 },
    });
    const totals = report.grpo.steps.map((s) => s.reward.total);
    expect(totals).toHaveLength(40);
    expect(mean(totals.slice(-10))).toBeGreaterThan(mean(totals.slice(0, 10)) + 0.1);
    const refusals = report.grpo.steps.map((s) => s.reward.refuseIoU);
    expect(mean(refusals.slice(-10))).toBeGreaterThan(mean(refusals.slice(0, 10)));
    const { sft, raRft } = report.beforeAfter;
    expect(sft.mIoU).toBeGreaterThan(0.85); // stage 1 learned to ground…
    expect(sft.refusalAccuracy).toBeLessThan(0.05); // …and never refuses
    expect(raRft.refusalAccuracy).toBeGreaterThan(sft.refusalAccuracy + 0.15);
    expect(report.backend.name).toBe('wasm');
    expect(report.timing.grpoStepsPerSecond).toBeGreaterThan(0);
    expect(report.heldOutSeenInTraining).toBe(0);
    expect(beforeAfterTable(report)).toMatch(/\| refusal accuracy \(hard-irrelevant\) ↑ \| 0\.0\d\d \| 0\.\d{3} \|/);
  });

  // Bounded by steps (a few dozen), not by the clock.
  it('is reproducible for a seed and writes curves as SVG and PNG', { timeout: 0 }, async () => {
    const tiny = () =>
      train({
        seed: 3,
        backend: 'wasm',
        model: { dModel: 16, layers: 1, heads: 2 },
        sft: { steps: 10, batchSize: 8 },
        grpo: { steps: 3, promptsPerStep: 4, groupSize: 4 },
        evaluation: { relevant: 6, irrelevant: 6, every: 2, periodicSize: 3 },
      });
    const strip = ({ timing: _t, createdAt: _c, grpo, ...rest }: TrainReport) => ({ ...rest, grpo: { ...grpo, steps: grpo.steps.map(({ seconds: _s, ...step }) => step) } });
    const [a, b] = [await tiny(), await tiny()];
    expect(strip(a)).toEqual(strip(b));
    expect(a.grpo.evaluations.map((e) => e.step)).toEqual([0, 2, 3]);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    const curves = await renderTrainingCurves(a);
    expect(curves.svg).toMatch(/^<svg[^>]*>/);
    expect(curves.svg).toContain('refusal accuracy on hard-irrelevant queries');
    expect(Array.from(curves.png.slice(1, 4))).toEqual([0x50, 0x4e, 0x47]); // "PNG"
  });

  it('trains a user policy through the Policy interface (the docs/trainer.md example)', { timeout: 0 }, async () => {
    // A bigram policy: next-token logits from the current token only. Too weak for the task, but it shows
    // everything a policy must provide. One-hot matmul instead of gather: wasm has no gather gradient.
    const bigram: PolicyFactory = ({ tf, vocabSize, contextLength }) => {
      const make = (table: Variable): Policy => ({
        name: 'bigram',
        vocabSize,
        contextLength,
        variables: [table],
        parameterCount: table.size,
        logits: (tokens: Tensor2D) =>
          tf.reshape(tf.matMul(tf.oneHot(tf.reshape(tokens, [-1]) as never, vocabSize).toFloat(), table), [...tokens.shape, vocabSize]) as Tensor3D,
        clone: () => make(tf.variable(table.clone(), false)),
        dispose: () => table.dispose(),
      });
      return make(tf.variable(tf.randomNormal([vocabSize, vocabSize], 0, 0.02, 'float32', 1)));
    };
    const report = await train({
      policy: bigram,
      backend: 'wasm',
      sft: { steps: 5, batchSize: 8 },
      grpo: { steps: 2, promptsPerStep: 4, groupSize: 4 },
      evaluation: { relevant: 4, irrelevant: 4, every: 0 },
    });
    expect(report.policy).toEqual({ name: 'bigram', parameters: 97 * 97 });
    expect(report.config.model).toBe('custom');
    expect(report.sft.losses[4]!.loss).toBeLessThan(report.sft.losses[0]!.loss);
    await expect(train({ policy: (context) => ({ ...bigram(context), vocabSize: 3 }), backend: 'wasm' })).rejects.toThrow(/vocabSize is 3/);
  });

  it('rejects bad options with an error naming the field, before loading TensorFlow.js', async () => {
    for (const [options, field] of [
      [{ grpo: { groupSize: 1 } }, 'options.grpo.groupSize'],
      [{ backend: 'tpu' }, 'options.backend'],
      [{ sft: { labelSmoothing: 2 } }, 'options.sft.labelSmoothing'],
      [{ grpo: { aggregation: 'mean' } }, 'options.grpo.aggregation'],
    ] as const) {
      const error = await train(options as never).catch((e: unknown) => e);
      expect(isOptionsError(error), String(error)).toBe(true);
      expect((error as { field: string }).field).toBe(field);
    }
  });
});
