import { trainSettingsSchema } from './options-schema.js';

// The validated options' defaults live in their schemas (src/trainer/options-schema.ts); the task's and the
// transformer's, which are not validated options, here.
const settings = trainSettingsSchema.parse({});

/**
 * The default run, in one place: {@link train}'s options (from their schemas in options-schema.ts), the
 * transformer's and the task's defaults; the `ra-rft-rewards train` help and docs/trainer.md print it.
 * `model.ffn` is `2 · dModel` unless set. Why each value: docs/trainer.md ("How it trains", "The policy").
 *
 * @example
 * [TRAIN_DEFAULTS.sft.steps, TRAIN_DEFAULTS.grpo.steps, TRAIN_DEFAULTS.grpo.groupSize]; // => [400, 200, 8]
 */
export const TRAIN_DEFAULTS = {
  seed: settings.seed,
  backend: settings.backend,
  task: { eventsPerVideo: 4, wordsPerCategory: 2, compositionalShare: 0.5, minEventSeconds: 2, maxEventSeconds: 8, maxGapSeconds: 3 },
  model: { dModel: 64, layers: 2, heads: 4, ffnPerDModel: 2, tokenShift: 3, attentionSinks: true, mimeticInit: true },
  sft: settings.sft,
  grpo: settings.grpo,
  evaluation: settings.evaluation,
  logEvery: settings.logEvery,
} as const;
