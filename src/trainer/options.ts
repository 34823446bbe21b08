import { OptionsError } from '../errors.js';
import type { Embedder } from '../types.js';
import type { BackendChoice } from './backend.js';
import type { z } from 'zod';
import { checkOptions, optionFields } from '../internal/option-schema.js';
import { TRAIN_DEFAULTS } from './defaults.js';
import {
  type EvaluationOptions,
  type GrpoOptions,
  type SftOptions,
  evaluationOptionsSchema,
  grpoOptionsSchema,
  sftOptionsSchema,
  trainSettingsSchema,
} from './options-schema.js';
import type { PolicyFactory } from './policy.js';
import type { SyntheticTaskOptions } from './task.js';
import type { TransformerPolicyOptions } from './transformer.js';

export type { EvaluationOptions, GrpoOptions, SftOptions } from './options-schema.js';

/** Options of {@link train}. Every field is optional; the defaults ({@link TRAIN_DEFAULTS}) are the documented default run. */
export interface TrainOptions {
  /** Seed of everything random: task, initial weights, sampling (see {@link trainSettingsSchema}). */
  seed?: number | undefined;
  /** `auto` (default: hardware WebGPU, else wasm, else cpu), `webgpu`, `wasm` or `cpu`. */
  backend?: BackendChoice | undefined;
  /** The synthetic HI-VTG task. */
  task?: SyntheticTaskOptions | undefined;
  /** Options of the built-in transformer policy (ignored when `policy` is given). */
  model?: TransformerPolicyOptions | undefined;
  /** Your own policy (see docs/trainer.md); default: the built-in tiny transformer. */
  policy?: PolicyFactory | undefined;
  /** Stage 1 (SFT); fields, defaults and ranges: {@link sftOptionsSchema}. */
  sft?: SftOptions | undefined;
  /** Stage 2 (GRPO); fields, defaults and ranges: {@link grpoOptionsSchema}. */
  grpo?: GrpoOptions | undefined;
  /** The held-out evaluation; fields, defaults and ranges: {@link evaluationOptionsSchema}. */
  evaluation?: EvaluationOptions | undefined;
  /** Embedder for the explain and correction rewards (default: this library's trigram-hash embedder). */
  embedder?: Embedder | undefined;
  /** Progress lines (steps, rewards, steps/s); default: none. */
  log?: ((line: string) => void) | undefined;
  /** Log every this many GRPO steps and SFT steps (×20). */
  logEvery?: number | undefined;
}

/** {@link TrainOptions} with every default filled in (as stored in the report; functions left out). */
export interface ResolvedTrainConfig {
  seed: number;
  backend: BackendChoice;
  task: Required<{ [K in keyof SyntheticTaskOptions]: NonNullable<SyntheticTaskOptions[K]> }>;
  model: Required<{ [K in keyof TransformerPolicyOptions]: NonNullable<TransformerPolicyOptions[K]> }> | 'custom';
  sft: z.output<typeof sftOptionsSchema>;
  grpo: z.output<typeof grpoOptionsSchema>;
  evaluation: z.output<typeof evaluationOptionsSchema>;
  embedder: string;
  maxNewTokens: number;
  logEvery: number;
}

const FN = 'train';
const D = TRAIN_DEFAULTS;
const SETTINGS_FIELDS = optionFields(trainSettingsSchema);

/**
 * Fills in and validates every option; throws an {@link OptionsError} naming the bad field, with the same
 * words `ra-rft-rewards train` uses for the flag (both come from {@link trainSettingsSchema}).
 */
export function resolveTrainOptions(options: TrainOptions = {}, embedderName: string, maxNewTokens: number): ResolvedTrainConfig {
  if (options === null || typeof options !== 'object') throw new OptionsError(FN, 'options', 'must be an object');
  const { seed, backend, sft, grpo, evaluation, logEvery } = options;
  const checked = checkOptions(trainSettingsSchema, { seed, backend, sft, grpo, evaluation, logEvery }, SETTINGS_FIELDS);
  if (!checked.ok) throw new OptionsError(FN, `options.${checked.path.join('.')}`, checked.problem);
  const settings = checked.value;
  const t = options.task ?? {};
  const m = options.model ?? {};
  return {
    seed: settings.seed,
    backend: settings.backend,
    task: {
      eventsPerVideo: t.eventsPerVideo ?? D.task.eventsPerVideo,
      wordsPerCategory: t.wordsPerCategory ?? D.task.wordsPerCategory,
      compositionalShare: t.compositionalShare ?? D.task.compositionalShare,
      minEventSeconds: t.minEventSeconds ?? D.task.minEventSeconds,
      maxEventSeconds: t.maxEventSeconds ?? D.task.maxEventSeconds,
      maxGapSeconds: t.maxGapSeconds ?? D.task.maxGapSeconds,
    },
    model:
      options.policy !== undefined
        ? 'custom'
        : {
            dModel: m.dModel ?? D.model.dModel,
            layers: m.layers ?? D.model.layers,
            heads: m.heads ?? D.model.heads,
            ffn: m.ffn ?? D.model.ffnPerDModel * (m.dModel ?? D.model.dModel),
            tokenShift: m.tokenShift ?? D.model.tokenShift,
            attentionSinks: m.attentionSinks ?? D.model.attentionSinks,
            mimeticInit: m.mimeticInit ?? D.model.mimeticInit,
          },
    sft: settings.sft,
    grpo: settings.grpo,
    evaluation: settings.evaluation,
    embedder: embedderName,
    maxNewTokens,
    logEvery: settings.logEvery,
  };
}
