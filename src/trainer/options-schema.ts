import { z } from 'zod';

/**
 * The trainer's options, one definition each: default, range and description here; the types
 * ({@link SftOptions}…), `resolveTrainOptions`, `TRAIN_DEFAULTS`, the `ra-rft-rewards train` flags and help, and
 * the options table of docs/trainer.md are derived from these schemas. Adding an option: add its field here
 * (with `.meta({ flag })` when the CLI should take it) and a test that it reaches the code that uses it.
 */

const int = (min: number) => z.number().int().min(min);
const share = () => z.number().min(0).max(1);

/** Stage 1: supervised cold start on relevant-only demonstrations. */
export const sftOptionsSchema = z.object({
  steps: int(0).default(400).describe('stage 1 (SFT) optimizer steps').meta({ flag: 'sft-steps', arg: 'N' }),
  batchSize: int(1).default(32).describe('demonstrations per SFT step').meta({ flag: 'sft-batch', arg: 'N' }),
  learningRate: z.number().min(0).default(5e-3).describe('SFT Adam learning rate'),
  labelSmoothing: share().default(0.02).describe('label smoothing ε: every token keeps ≈ ε/V probability, so GRPO can explore refusals'),
  maxGradNorm: z.number().min(0).default(1).describe('SFT global gradient-norm clip (0 turns it off)'),
});

/** Stage 2: GRPO with the RA-RFT rewards. */
export const grpoOptionsSchema = z.object({
  steps: int(0).default(200).describe('stage 2 (GRPO) steps').meta({ flag: 'grpo-steps', arg: 'N' }),
  promptsPerStep: int(1).default(16).describe('prompts per GRPO step').meta({ flag: 'prompts', arg: 'N' }),
  groupSize: int(2).default(8).describe('completions per prompt, G (8 as in RA-RFT)').meta({ flag: 'group-size', arg: 'G' }),
  updatesPerBatch: int(1)
    .default(2)
    .describe('optimizer steps on each sampled batch (more than 1, so the ratio leaves 1 and the clip matters)')
    .meta({ flag: 'updates', arg: 'N' }),
  learningRate: z.number().min(0).default(1e-3).describe('GRPO peak Adam learning rate (cosine decay)').meta({ flag: 'learning-rate', arg: 'X' }),
  finalLearningRateShare: share().default(0.1).describe('learning rate at the last step as a share of the peak (1 keeps it constant)'),
  clipEpsilon: share().default(0.2).describe('PPO clip range ε').meta({ flag: 'clip-epsilon', arg: 'X' }),
  klBeta: z.number().min(0).default(0.04).describe('weight of the k3 KL to the frozen SFT policy').meta({ flag: 'kl-beta', arg: 'X' }),
  temperature: z.number().positive().default(1).describe('sampling temperature').meta({ flag: 'temperature', arg: 'X' }),
  maxGradNorm: z.number().min(0).default(1).describe('GRPO global gradient-norm clip (0 turns it off)'),
  aggregation: z.enum(['token', 'sequence']).default('token').describe('loss aggregation: token (DAPO/TRL) or sequence (the GRPO paper)'),
  irrelevantFraction: share().default(0.5).describe('share of hard-irrelevant prompts under uniform weighting'),
  dropZeroVariance: z
    .boolean()
    .default(true)
    .describe('drop groups whose rewards are all equal (they carry no advantage; DAPO dynamic sampling)')
    .meta({ flag: 'keep-zero-variance', invert: true, help: 'keep groups whose rewards are all equal (default: drop them)' }),
  promptWeighting: z
    .enum(['uniform', 'difficulty'])
    .default('uniform')
    .describe('uniform, or difficulty: draw prompt kinds in proportion to their recent failure rate')
    .meta({ flag: 'prompt-weighting', arg: 'W' }),
});

/** The held-out evaluation. */
export const evaluationOptionsSchema = z.object({
  relevant: int(1).default(150).describe('held-out relevant prompts for the before/after table').meta({ flag: 'eval-relevant', arg: 'N' }),
  irrelevant: int(1).default(150).describe('held-out hard-irrelevant prompts, spread over the three categories').meta({ flag: 'eval-irrelevant', arg: 'N' }),
  every: int(0).default(20).describe('greedy held-out evaluation every N GRPO steps for the curves (0 turns it off)').meta({ flag: 'eval-every', arg: 'N' }),
  periodicSize: int(1).default(48).describe('held-out prompts of each kind in the periodic evaluations'),
});

/** The validated scalar and stage options of `train()` (task, model, policy, embedder and log are passed through). */
export const trainSettingsSchema = z.object({
  seed: int(0).default(1).describe('seed of the task, the initial weights and the sampling').meta({ flag: 'seed', arg: 'N' }),
  backend: z
    .enum(['auto', 'webgpu', 'wasm', 'cpu'])
    .default('auto')
    .describe('auto (a hardware WebGPU adapter, else wasm, else cpu), webgpu (also a software adapter such as SwiftShader), wasm, cpu')
    .meta({ flag: 'backend', arg: 'NAME' }),
  sft: sftOptionsSchema.prefault({}),
  grpo: grpoOptionsSchema.prefault({}),
  evaluation: evaluationOptionsSchema.prefault({}),
  logEvery: int(1).default(5).describe('log every N GRPO steps (SFT: every 20·N)'),
});

/** Stage 1 options of `train()`; every field optional (defaults: {@link sftOptionsSchema}). */
export type SftOptions = z.input<typeof sftOptionsSchema>;
/** Stage 2 options of `train()`; every field optional (defaults: {@link grpoOptionsSchema}). */
export type GrpoOptions = z.input<typeof grpoOptionsSchema>;
/** Held-out evaluation options of `train()`; every field optional (defaults: {@link evaluationOptionsSchema}). */
export type EvaluationOptions = z.input<typeof evaluationOptionsSchema>;
