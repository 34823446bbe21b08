import type { z } from 'zod';
import type { grpoOptionsSchema } from './options-schema.js';
import type { Optimizer, Scalar, Tensor } from '@tensorflow/tfjs';
import { groupRelativeAdvantage } from '../advantage/group-relative-advantage.js';
import type { Embedder } from '../types.js';
import type { Tf } from './backend.js';
import { completionLogProbs, disposeBatch, packBatch } from './batch.js';
import { type EvaluationMetrics, answerSpan, evaluateCompletions } from './evaluate.js';
import { grpoLoss } from './grpo-loss.js';
import { type Ops, createOps } from './ops.js';
import { optimizerStep } from './optimize.js';
import type { Policy } from './policy.js';
import { scoreCompletions } from './rewards.js';
import type { RaRftRewardResult } from '../profiles/ra-rft-reward.js';
import type { Rng } from '../internal/rng.js';
import { sampleCompletions } from './sampling.js';
import { EVENT_CATEGORIES, type EventCategory, type SyntheticHiVtgTask, type SyntheticSample } from './task.js';
import { temporalIoU } from '../grounding/temporal-iou.js';
import type { Span } from '../types.js';

/** How prompts are drawn each GRPO step. */
export type PromptWeighting = z.output<typeof grpoOptionsSchema>['promptWeighting'];

/**
 * Settings of the GRPO stage (stage 2): the resolved {@link grpoOptionsSchema} (one definition per option,
 * with its default, range and description there), plus what `train()` derives: the completion length and the
 * reward embedder.
 */
export type GrpoSettings = z.output<typeof grpoOptionsSchema> & {
  maxNewTokens: number;
  embedder: Embedder;
};

/** What one GRPO step measured on its sampled completions (temperature `temperature`). */
export interface GrpoStepRecord {
  step: number;
  /** Mean RA-RFT reward parts over every sampled completion. */
  reward: { total: number; format: number; refuseIoU: number; explain: number; correction: number };
  /** Share of sampled completions on hard-irrelevant prompts that refuse. */
  refusalRate: number;
  /** Share of sampled completions on relevant prompts that answer without a span (as in the held-out evaluation). */
  falseRefusalRate: number;
  /** Mean temporal IoU of the sampled completions on relevant prompts. */
  mIoU: number;
  formatRate: number;
  /** Groups kept for the update (non-zero reward variance) out of `promptsPerStep`. */
  groupsKept: number;
  relevantPrompts: number;
  loss: number;
  kl: number;
  clipFraction: number;
  gradNorm: number;
  /** The learning rate of this step's updates. */
  learningRate: number;
  /** Wall-clock seconds of this step (sampling, scoring and updates). */
  seconds: number;
}

type Bucket = 'relevant' | EventCategory;
const BUCKETS: readonly Bucket[] = ['relevant', ...EVENT_CATEGORIES];

/** Chooses prompt kinds: fixed shares, or shares that follow each kind's recent failure rate. */
class PromptSampler {
  private readonly success = new Map<Bucket, number>(BUCKETS.map((b) => [b, 0.5]));
  constructor(
    private readonly weighting: PromptWeighting,
    private readonly irrelevantFraction: number,
  ) {}

  private baseShare(bucket: Bucket): number {
    return bucket === 'relevant' ? 1 - this.irrelevantFraction : this.irrelevantFraction / EVENT_CATEGORIES.length;
  }

  kinds(rng: Rng, count: number): Bucket[] {
    if (this.weighting === 'uniform') {
      const irrelevant = Math.round(count * this.irrelevantFraction);
      return Array.from({ length: count }, (_, i) => (i < irrelevant ? (EVENT_CATEGORIES[rng.int(3)] as EventCategory) : 'relevant'));
    }
    // Difficulty: a kind's weight is its base share times its recent failure rate (floored so no kind vanishes).
    const weights = BUCKETS.map((b) => this.baseShare(b) * Math.max(0.1, 1 - (this.success.get(b) as number)));
    return Array.from({ length: count }, () => BUCKETS[rng.weighted(weights)] as Bucket);
  }

  update(bucket: Bucket, solved: number): void {
    this.success.set(bucket, 0.8 * (this.success.get(bucket) as number) + 0.2 * solved);
  }
}

/** One step's prompts and their sampled completions (each prompt repeated `groupSize` times, group by group). */
interface SampledGroups {
  prompts: SyntheticSample[];
  /** `prompts` repeated G times each: the row of every completion. */
  expanded: SyntheticSample[];
  completions: number[][];
  texts: string[];
}

/** The scores of a step's completions and what the update needs from them. */
interface ScoredGroups {
  scores: RaRftRewardResult[];
  /** Group-relative advantage of every completion. */
  advantages: ArrayLike<number>;
  /** Groups kept for the update (non-zero reward variance unless `dropZeroVariance` is off). */
  kept: number[];
  reward: GrpoStepRecord['reward'];
  metrics: EvaluationMetrics;
}

/** Cosine decay from `learningRate` to `finalLearningRateShare · learningRate` over the run. */
function learningRateAt(step: number, settings: GrpoSettings): number {
  const progress = settings.steps > 1 ? (step - 1) / (settings.steps - 1) : 1;
  const share = settings.finalLearningRateShare + (1 - settings.finalLearningRateShare) * 0.5 * (1 + Math.cos(Math.PI * progress));
  return settings.learningRate * share;
}

/** Sampling: draws `promptsPerStep` prompts and G completions of each at `temperature`. */
async function sampleGroups(tf: Tf, policy: Policy, task: SyntheticHiVtgTask, rng: Rng, sampler: PromptSampler, settings: GrpoSettings): Promise<SampledGroups> {
  const G = settings.groupSize;
  const prompts = sampler.kinds(rng, settings.promptsPerStep).map((kind) => task.sample(rng, kind));
  const expanded = prompts.flatMap((p) => Array.from({ length: G }, () => p));
  const completions = await sampleCompletions(tf, policy, expanded.map((p) => p.prompt), { maxNewTokens: settings.maxNewTokens, temperature: settings.temperature, rng });
  return { prompts, expanded, completions, texts: completions.map((c) => task.decode(c)) };
}

/**
 * Scoring: RA-RFT rewards (`raRftRewardBatch`), group-relative advantages (`groupRelativeAdvantage`, TRL
 * defaults), the groups worth an update, the step's mean reward parts and metrics (the held-out
 * definitions), and each prompt kind's solve rate for difficulty weighting.
 */
async function scoreGroups(sampled: SampledGroups, sampler: PromptSampler, settings: GrpoSettings): Promise<ScoredGroups> {
  const G = settings.groupSize;
  const { prompts, expanded, texts } = sampled;
  const scores = await scoreCompletions(texts, expanded.map((p) => p.target), settings.embedder);
  const totals = scores.map((s) => s.total);
  const advantages = groupRelativeAdvantage(totals, { groupSize: G });
  const kept: number[] = [];
  for (let g = 0; g < prompts.length; g++) {
    const group = totals.slice(g * G, (g + 1) * G);
    if (!settings.dropZeroVariance || Math.max(...group) - Math.min(...group) > 1e-9) kept.push(g);
  }
  const reward = { total: 0, format: 0, refuseIoU: 0, explain: 0, correction: 0 };
  for (const s of scores) {
    reward.total += s.total;
    reward.format += s.format;
    reward.refuseIoU += s.refuseIoU;
    reward.explain += s.explain;
    reward.correction += s.correction;
  }
  for (const key of Object.keys(reward) as (keyof typeof reward)[]) reward[key] /= expanded.length;
  prompts.forEach((p, g) => {
    let solved = 0;
    for (let k = g * G; k < (g + 1) * G; k++) {
      const span = answerSpan(texts[k] as string);
      solved += p.relevant ? (span !== null && temporalIoU(span, p.target.span as Span) >= 0.5 ? 1 : 0) : (scores[k]?.refuseIoU ?? 0);
    }
    sampler.update(p.relevant ? 'relevant' : (p.changed as EventCategory), solved / G);
  });
  return { scores, advantages, kept, reward, metrics: await evaluateCompletions(expanded, texts) };
}

/**
 * The update step: `updatesPerBatch` optimizer steps on {@link grpoLoss} over the kept groups, with the
 * sampling policy's and the frozen reference's log-probabilities computed once. Returns the last
 * update's loss, KL, clipped fraction and gradient norm.
 */
async function updatePolicy(
  tf: Tf,
  ops: Ops,
  optimizer: Optimizer,
  policy: Policy,
  reference: Policy,
  sampled: SampledGroups,
  scored: ScoredGroups,
  settings: GrpoSettings,
): Promise<{ loss: number; kl: number; clipFraction: number; gradNorm: number }> {
  const G = settings.groupSize;
  const rows = scored.kept.flatMap((g) => Array.from({ length: G }, (_, k) => g * G + k));
  const batch = packBatch(
    tf,
    rows.map((r) => (sampled.expanded[r] as SyntheticSample).prompt),
    rows.map((r) => sampled.completions[r] as number[]),
  );
  const oldLogProbs = tf.tidy(() => completionLogProbs(tf, ops, policy, batch)); // [rows, L]
  const refLogProbs = tf.tidy(() => completionLogProbs(tf, ops, reference, batch)); // [rows, L]
  const advantages = tf.tensor1d(rows.map((r) => scored.advantages[r] as number), 'float32'); // [rows]
  let result = { loss: 0, gradNorm: 0 };
  let stats: Tensor[] = [];
  try {
    for (let u = 0; u < settings.updatesPerBatch; u++) {
      for (const t of stats) t.dispose();
      stats = [];
      result = await optimizerStep(
        tf,
        ops,
        optimizer,
        policy.variables,
        () => {
          const parts = grpoLoss(
            tf,
            { logProbs: completionLogProbs(tf, ops, policy, batch), oldLogProbs, refLogProbs, advantages, mask: batch.mask },
            { clipEpsilon: settings.clipEpsilon, klBeta: settings.klBeta, aggregation: settings.aggregation },
          );
          stats = [tf.keep(parts.kl), tf.keep(parts.clipFraction)];
          return parts.loss as Scalar;
        },
        settings.maxGradNorm,
      );
    }
    const [kl, clipFraction] = await Promise.all(stats.map(async (t) => (await t.data())[0] as number));
    return { ...result, kl: kl as number, clipFraction: clipFraction as number };
  } finally {
    for (const t of [...stats, oldLogProbs, refLogProbs, advantages]) t.dispose();
    disposeBatch(batch);
  }
}

/**
 * Stage 2: GRPO with the RA-RFT rewards. Each step: {@link sampleGroups} (`promptsPerStep` prompts ×
 * `groupSize` completions), {@link scoreGroups} (`raRftRewardBatch`, `groupRelativeAdvantage` with TRL
 * defaults, zero-variance groups dropped), then {@link updatePolicy} (`updatesPerBatch` optimizer steps on
 * the clipped GRPO loss with a k3 KL penalty to the frozen reference policy).
 */
export async function runGrpo(
  tf: Tf,
  policy: Policy,
  reference: Policy,
  task: SyntheticHiVtgTask,
  rng: Rng,
  settings: GrpoSettings,
  onStep: (record: GrpoStepRecord, samples: { prompt: SyntheticSample; completion: string }[]) => void | Promise<void>,
  observe?: (sample: SyntheticSample) => void,
): Promise<GrpoStepRecord[]> {
  const ops = createOps(tf);
  const optimizer: Optimizer = tf.train.adam(settings.learningRate);
  const sampler = new PromptSampler(settings.promptWeighting, settings.irrelevantFraction);
  const records: GrpoStepRecord[] = [];
  try {
    for (let step = 1; step <= settings.steps; step++) {
      const learningRate = learningRateAt(step, settings);
      (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
      const stepStarted = performance.now();
      const sampled = await sampleGroups(tf, policy, task, rng, sampler, settings);
      if (observe !== undefined) sampled.prompts.forEach(observe);
      const scored = await scoreGroups(sampled, sampler, settings);
      const update = scored.kept.length > 0 ? await updatePolicy(tf, ops, optimizer, policy, reference, sampled, scored, settings) : { loss: 0, kl: 0, clipFraction: 0, gradNorm: 0 };
      const { metrics } = scored;
      const record: GrpoStepRecord = {
        step,
        reward: scored.reward,
        refusalRate: metrics.refusalAccuracy,
        falseRefusalRate: metrics.falseRefusalRate,
        mIoU: metrics.mIoU,
        formatRate: metrics.formatRate,
        groupsKept: scored.kept.length,
        relevantPrompts: sampled.prompts.filter((p) => p.relevant).length,
        ...update,
        learningRate,
        seconds: (performance.now() - stepStarted) / 1000,
      };
      records.push(record);
      await onStep(
        record,
        sampled.expanded.map((p, i) => ({ prompt: p, completion: sampled.texts[i] as string })),
      );
    }
  } finally {
    optimizer.dispose();
  }
  return records;
}
