import { OptionsError } from '../errors.js';
import type { Embedder } from '../types.js';
import type { BackendChoice } from './backend.js';
import type { LossAggregation } from './grpo-loss.js';
import type { PromptWeighting } from './grpo.js';
import type { PolicyFactory } from './policy.js';
import type { SyntheticTaskOptions } from './task.js';
import type { TransformerPolicyOptions } from './transformer.js';

/** Stage 1 (supervised cold start on relevant-only demonstrations) options. */
export interface SftOptions {
  /** Optimizer steps (default 400). */
  steps?: number | undefined;
  /** Demonstrations per step (default 32). */
  batchSize?: number | undefined;
  /** Adam learning rate (default 5e-3). */
  learningRate?: number | undefined;
  /** Label smoothing ε (default 0.02): every token keeps ≈ ε/V probability, so GRPO can explore refusals. */
  labelSmoothing?: number | undefined;
  /** Global gradient-norm clip (default 1; 0 turns it off). */
  maxGradNorm?: number | undefined;
}

/** Stage 2 (GRPO with the RA-RFT rewards) options. */
export interface GrpoOptions {
  /** GRPO steps (default 200). */
  steps?: number | undefined;
  /** Prompts per step (default 16). */
  promptsPerStep?: number | undefined;
  /** Completions per prompt, G (default 8, as in RA-RFT). */
  groupSize?: number | undefined;
  /** Optimizer steps on each sampled batch (default 2, so the ratio leaves 1 and the clip matters). */
  updatesPerBatch?: number | undefined;
  /** Peak Adam learning rate (default 1e-3). */
  learningRate?: number | undefined;
  /** Learning rate at the last step as a share of the peak, cosine decay (default 0.1). */
  finalLearningRateShare?: number | undefined;
  /** PPO clip ε (default 0.2). */
  clipEpsilon?: number | undefined;
  /** KL weight β to the frozen SFT policy, k3 estimator (default 0.04). */
  klBeta?: number | undefined;
  /** Sampling temperature (default 1). */
  temperature?: number | undefined;
  /** Global gradient-norm clip (default 1; 0 turns it off). */
  maxGradNorm?: number | undefined;
  /** `token` (default, DAPO/TRL) or `sequence` (GRPO paper) loss aggregation. */
  aggregation?: LossAggregation | undefined;
  /** Share of hard-irrelevant prompts under uniform weighting (default 0.5). */
  irrelevantFraction?: number | undefined;
  /** Drop groups with zero reward variance before the update (default true). */
  dropZeroVariance?: boolean | undefined;
  /** `uniform` (default) or `difficulty`: draw prompt kinds in proportion to their recent failure rate. */
  promptWeighting?: PromptWeighting | undefined;
}

/** Held-out evaluation options. */
export interface EvaluationOptions {
  /** Held-out relevant prompts for the before/after table (default 150). */
  relevant?: number | undefined;
  /** Held-out hard-irrelevant prompts, spread over the three categories (default 150). */
  irrelevant?: number | undefined;
  /** Greedy evaluation every this many GRPO steps for the curves (default 20; 0 turns it off). */
  every?: number | undefined;
  /** Held-out prompts of each kind in the periodic evaluations (default 48). */
  periodicSize?: number | undefined;
}

/** Options of {@link train}. Every field is optional; the defaults are the documented default run. */
export interface TrainOptions {
  /** Seed of everything random: task, initial weights, sampling (default 1). */
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
  /** Log every this many GRPO steps (default 5) and SFT steps (×20). */
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
  const groupSize = int('grpo.groupSize', g.groupSize, 8, 2);
  return {
    seed: int('seed', options.seed, 1, 0),
    backend: choice('backend', options.backend, ['auto', 'webgpu', 'wasm', 'cpu'] as const, 'auto'),
    task: {
      eventsPerVideo: t.eventsPerVideo ?? 4,
      wordsPerCategory: t.wordsPerCategory ?? 2,
      compositionalShare: t.compositionalShare ?? 0.5,
      minEventSeconds: t.minEventSeconds ?? 2,
      maxEventSeconds: t.maxEventSeconds ?? 8,
      maxGapSeconds: t.maxGapSeconds ?? 3,
    },
    model:
      options.policy !== undefined
        ? 'custom'
        : {
            dModel: m.dModel ?? 64,
            layers: m.layers ?? 2,
            heads: m.heads ?? 4,
            ffn: m.ffn ?? 2 * (m.dModel ?? 64),
            tokenShift: m.tokenShift ?? 3,
            attentionSinks: m.attentionSinks ?? true,
            mimeticInit: m.mimeticInit ?? true,
          },
    sft: {
      steps: int('sft.steps', s.steps, 400, 0),
      batchSize: int('sft.batchSize', s.batchSize, 32, 1),
      learningRate: num('sft.learningRate', s.learningRate, 5e-3, 0),
      labelSmoothing: num('sft.labelSmoothing', s.labelSmoothing, 0.02, 0, 1),
      maxGradNorm: num('sft.maxGradNorm', s.maxGradNorm, 1, 0),
    },
    grpo: {
      steps: int('grpo.steps', g.steps, 200, 0),
      promptsPerStep: int('grpo.promptsPerStep', g.promptsPerStep, 16, 1),
      groupSize,
      updatesPerBatch: int('grpo.updatesPerBatch', g.updatesPerBatch, 2, 1),
      learningRate: num('grpo.learningRate', g.learningRate, 1e-3, 0),
      finalLearningRateShare: num('grpo.finalLearningRateShare', g.finalLearningRateShare, 0.1, 0, 1),
      clipEpsilon: num('grpo.clipEpsilon', g.clipEpsilon, 0.2, 0, 1),
      klBeta: num('grpo.klBeta', g.klBeta, 0.04, 0),
      temperature: num('grpo.temperature', g.temperature, 1, Number.MIN_VALUE),
      maxGradNorm: num('grpo.maxGradNorm', g.maxGradNorm, 1, 0),
      aggregation: choice('grpo.aggregation', g.aggregation, ['token', 'sequence'] as const, 'token'),
      irrelevantFraction: num('grpo.irrelevantFraction', g.irrelevantFraction, 0.5, 0, 1),
      dropZeroVariance: g.dropZeroVariance ?? true,
      promptWeighting: choice('grpo.promptWeighting', g.promptWeighting, ['uniform', 'difficulty'] as const, 'uniform'),
    },
    evaluation: {
      relevant: int('evaluation.relevant', e.relevant, 150, 1),
      irrelevant: int('evaluation.irrelevant', e.irrelevant, 150, 1),
      every: int('evaluation.every', e.every, 20, 0),
      periodicSize: int('evaluation.periodicSize', e.periodicSize, 48, 1),
    },
    embedder: embedderName,
    maxNewTokens,
    logEvery: int('logEvery', options.logEvery, 5, 1),
  };
}
