import { OptionsError } from '../errors.js';
import type { Embedder } from '../types.js';
import type { BackendChoice } from './backend.js';
import { TRAIN_DEFAULTS } from './defaults.js';
import type { LossAggregation } from './grpo-loss.js';
import type { PromptWeighting } from './grpo.js';
import type { PolicyFactory } from './policy.js';
import type { SyntheticTaskOptions } from './task.js';
import type { TransformerPolicyOptions } from './transformer.js';

/** Stage 1 (supervised cold start on relevant-only demonstrations) options; defaults in {@link TRAIN_DEFAULTS}`.sft`. */
export interface SftOptions {
  /** Optimizer steps. */
  steps?: number | undefined;
  /** Demonstrations per step. */
  batchSize?: number | undefined;
  /** Adam learning rate. */
  learningRate?: number | undefined;
  /** Label smoothing ε: every token keeps ≈ ε/V probability, so GRPO can explore refusals. */
  labelSmoothing?: number | undefined;
  /** Global gradient-norm clip (0 turns it off). */
  maxGradNorm?: number | undefined;
}

/** Stage 2 (GRPO with the RA-RFT rewards) options; defaults in {@link TRAIN_DEFAULTS}`.grpo`. */
export interface GrpoOptions {
  /** GRPO steps. */
  steps?: number | undefined;
  /** Prompts per step. */
  promptsPerStep?: number | undefined;
  /** Completions per prompt, G (8 as in RA-RFT). */
  groupSize?: number | undefined;
  /** Optimizer steps on each sampled batch (more than 1, so the ratio leaves 1 and the clip matters). */
  updatesPerBatch?: number | undefined;
  /** Peak Adam learning rate. */
  learningRate?: number | undefined;
  /** Learning rate at the last step as a share of the peak, cosine decay. */
  finalLearningRateShare?: number | undefined;
  /** PPO clip ε. */
  clipEpsilon?: number | undefined;
  /** KL weight β to the frozen SFT policy, k3 estimator. */
  klBeta?: number | undefined;
  /** Sampling temperature. */
  temperature?: number | undefined;
  /** Global gradient-norm clip (0 turns it off). */
  maxGradNorm?: number | undefined;
  /** `token` (default, DAPO/TRL) or `sequence` (GRPO paper) loss aggregation. */
  aggregation?: LossAggregation | undefined;
  /** Share of hard-irrelevant prompts under uniform weighting. */
  irrelevantFraction?: number | undefined;
  /** Drop groups with zero reward variance before the update. */
  dropZeroVariance?: boolean | undefined;
  /** `uniform` (default) or `difficulty`: draw prompt kinds in proportion to their recent failure rate. */
  promptWeighting?: PromptWeighting | undefined;
}

/** Held-out evaluation options; defaults in {@link TRAIN_DEFAULTS}`.evaluation`. */
export interface EvaluationOptions {
  /** Held-out relevant prompts for the before/after table. */
  relevant?: number | undefined;
  /** Held-out hard-irrelevant prompts, spread over the three categories. */
  irrelevant?: number | undefined;
  /** Greedy evaluation every this many GRPO steps for the curves (0 turns it off). */
  every?: number | undefined;
  /** Held-out prompts of each kind in the periodic evaluations. */
  periodicSize?: number | undefined;
}

/** Options of {@link train}. Every field is optional; the defaults ({@link TRAIN_DEFAULTS}) are the documented default run. */
export interface TrainOptions {
  /** Seed of everything random: task, initial weights, sampling. */
  seed?: number | undefined;
  /** `auto` (default: hardware WebGPU, else wasm, else cpu), `webgpu`, `wasm` or `cpu`. */
  backend?: BackendChoice | undefined;
  /** The synthetic HI-VTG task. */
  task?: SyntheticTaskOptions | undefined;
  /** Options of the built-in transformer policy (ignored when `policy` is given). */
  model?: TransformerPolicyOptions | undefined;
  /** Your own policy (see docs/trainer.md); default: the built-in tiny transformer. */
  policy?: PolicyFactory | undefined;
  sft?: SftOptions | undefined;
  grpo?: GrpoOptions | undefined;
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
  sft: Required<{ [K in keyof SftOptions]: NonNullable<SftOptions[K]> }>;
  grpo: Required<{ [K in keyof GrpoOptions]: NonNullable<GrpoOptions[K]> }>;
  evaluation: Required<{ [K in keyof EvaluationOptions]: NonNullable<EvaluationOptions[K]> }>;
  embedder: string;
  maxNewTokens: number;
  logEvery: number;
}

const FN = 'train';
const D = TRAIN_DEFAULTS;

function int(field: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) throw new OptionsError(FN, `options.${field}`, `must be an integer >= ${min}, got ${String(value)}`);
  return value;
}

function num(field: string, value: number | undefined, fallback: number, min: number, max = Infinity): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new OptionsError(FN, `options.${field}`, `must be a number in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}

function choice<C extends string>(field: string, value: C | undefined, choices: readonly C[], fallback: C): C {
  if (value === undefined) return fallback;
  if (!choices.includes(value)) throw new OptionsError(FN, `options.${field}`, `must be one of ${choices.join(', ')}, got ${String(value)}`);
  return value;
}

/** Fills in and validates every option; throws an {@link OptionsError} naming the bad field. */
export function resolveTrainOptions(options: TrainOptions = {}, embedderName: string, maxNewTokens: number): ResolvedTrainConfig {
  if (options === null || typeof options !== 'object') throw new OptionsError(FN, 'options', 'must be an object');
  const s = options.sft ?? {};
  const g = options.grpo ?? {};
  const e = options.evaluation ?? {};
  const t = options.task ?? {};
  const m = options.model ?? {};
  const groupSize = int('grpo.groupSize', g.groupSize, D.grpo.groupSize, 2);
  return {
    seed: int('seed', options.seed, D.seed, 0),
    backend: choice('backend', options.backend, ['auto', 'webgpu', 'wasm', 'cpu'] as const, D.backend),
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
    sft: {
      steps: int('sft.steps', s.steps, D.sft.steps, 0),
      batchSize: int('sft.batchSize', s.batchSize, D.sft.batchSize, 1),
      learningRate: num('sft.learningRate', s.learningRate, D.sft.learningRate, 0),
      labelSmoothing: num('sft.labelSmoothing', s.labelSmoothing, D.sft.labelSmoothing, 0, 1),
      maxGradNorm: num('sft.maxGradNorm', s.maxGradNorm, D.sft.maxGradNorm, 0),
    },
    grpo: {
      steps: int('grpo.steps', g.steps, D.grpo.steps, 0),
      promptsPerStep: int('grpo.promptsPerStep', g.promptsPerStep, D.grpo.promptsPerStep, 1),
      groupSize,
      updatesPerBatch: int('grpo.updatesPerBatch', g.updatesPerBatch, D.grpo.updatesPerBatch, 1),
      learningRate: num('grpo.learningRate', g.learningRate, D.grpo.learningRate, 0),
      finalLearningRateShare: num('grpo.finalLearningRateShare', g.finalLearningRateShare, D.grpo.finalLearningRateShare, 0, 1),
      clipEpsilon: num('grpo.clipEpsilon', g.clipEpsilon, D.grpo.clipEpsilon, 0, 1),
      klBeta: num('grpo.klBeta', g.klBeta, D.grpo.klBeta, 0),
      temperature: num('grpo.temperature', g.temperature, D.grpo.temperature, Number.MIN_VALUE),
      maxGradNorm: num('grpo.maxGradNorm', g.maxGradNorm, D.grpo.maxGradNorm, 0),
      aggregation: choice('grpo.aggregation', g.aggregation, ['token', 'sequence'] as const, D.grpo.aggregation),
      irrelevantFraction: num('grpo.irrelevantFraction', g.irrelevantFraction, D.grpo.irrelevantFraction, 0, 1),
      dropZeroVariance: g.dropZeroVariance ?? D.grpo.dropZeroVariance,
      promptWeighting: choice('grpo.promptWeighting', g.promptWeighting, ['uniform', 'difficulty'] as const, D.grpo.promptWeighting),
    },
    evaluation: {
      relevant: int('evaluation.relevant', e.relevant, D.evaluation.relevant, 1),
      irrelevant: int('evaluation.irrelevant', e.irrelevant, D.evaluation.irrelevant, 1),
      every: int('evaluation.every', e.every, D.evaluation.every, 0),
      periodicSize: int('evaluation.periodicSize', e.periodicSize, D.evaluation.periodicSize, 1),
    },
    embedder: embedderName,
    maxNewTokens,
    logEvery: int('logEvery', options.logEvery, D.logEvery, 1),
  };
}
