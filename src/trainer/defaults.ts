/**
 * The default run, in one place: {@link train}'s options, the transformer's and the task's defaults, the
 * `ra-rft-rewards train` help and the defaults table of docs/trainer.md (checked by a test) all read it.
 * `model.ffn` is `2 · dModel` unless set. Why each value: docs/trainer.md ("How it trains", "The policy").
 *
 * @example
 * [TRAIN_DEFAULTS.sft.steps, TRAIN_DEFAULTS.grpo.steps, TRAIN_DEFAULTS.grpo.groupSize]; // => [400, 200, 8]
 */
export const TRAIN_DEFAULTS = {
  seed: 1,
  backend: 'auto',
  task: { eventsPerVideo: 4, wordsPerCategory: 2, compositionalShare: 0.5, minEventSeconds: 2, maxEventSeconds: 8, maxGapSeconds: 3 },
  model: { dModel: 64, layers: 2, heads: 4, ffnPerDModel: 2, tokenShift: 3, attentionSinks: true, mimeticInit: true },
  sft: { steps: 400, batchSize: 32, learningRate: 5e-3, labelSmoothing: 0.02, maxGradNorm: 1 },
  grpo: {
    steps: 200,
    promptsPerStep: 16,
    groupSize: 8,
    updatesPerBatch: 2,
    learningRate: 1e-3,
    finalLearningRateShare: 0.1,
    clipEpsilon: 0.2,
    klBeta: 0.04,
    temperature: 1,
    maxGradNorm: 1,
    aggregation: 'token',
    irrelevantFraction: 0.5,
    dropZeroVariance: true,
    promptWeighting: 'uniform',
  },
  evaluation: { relevant: 150, irrelevant: 150, every: 20, periodicSize: 48 },
  logEvery: 5,
} as const;
