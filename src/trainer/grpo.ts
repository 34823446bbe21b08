import type { Optimizer, Scalar, Tensor } from '@tensorflow/tfjs';
import { groupRelativeAdvantage } from '../advantage/group-relative-advantage.js';
import type { Embedder } from '../types.js';
import type { Tf } from './backend.js';
import { completionLogProbs, disposeBatch, packBatch } from './batch.js';
import { answerSpan, evaluateCompletions } from './evaluate.js';
import { type LossAggregation, grpoLoss } from './grpo-loss.js';
import { createOps } from './ops.js';
import { optimizerStep } from './optimize.js';
import type { Policy } from './policy.js';
import { scoreCompletions } from './rewards.js';
import type { Rng } from './rng.js';
import { sampleCompletions } from './sampling.js';
import { EVENT_CATEGORIES, type EventCategory, type SyntheticHiVtgTask, type SyntheticSample } from './task.js';
import { temporalIoU } from '../grounding/temporal-iou.js';
import type { Span } from '../types.js';

/** How prompts are drawn each GRPO step. */
export type PromptWeighting = 'uniform' | 'difficulty';

/** Settings of the GRPO stage (stage 2). */
export interface GrpoSettings {
  steps: number;
  promptsPerStep: number;
  groupSize: number;
  updatesPerBatch: number;
  learningRate: number;
  /** Final learning rate as a share of `learningRate` (cosine decay; 1 keeps it constant). */
  finalLearningRateShare: number;
  clipEpsilon: number;
  klBeta: number;
  temperature: number;
  maxNewTokens: number;
  maxGradNorm: number;
  aggregation: LossAggregation;
  /** Share of hard-irrelevant prompts under uniform weighting. */
  irrelevantFraction: number;
  /** Drop groups whose rewards are all equal (they carry no advantage; DAPO's dynamic sampling). */
  dropZeroVariance: boolean;
  promptWeighting: PromptWeighting;
  embedder: Embedder;
}

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
      return Array.from({ length: count }, (_, i) => (i < irrelevant ? (EVENT_CATEGORIES[rng.int(0, 2)] as EventCategory) : 'relevant'));
    }
    // Difficulty: a kind's weight is its base share times its recent failure rate (floored so no kind vanishes).
    const weights = BUCKETS.map((b) => this.baseShare(b) * Math.max(0.1, 1 - (this.success.get(b) as number)));
    return Array.from({ length: count }, () => BUCKETS[rng.weighted(weights)] as Bucket);
  }

  update(bucket: Bucket, solved: number): void {
    this.success.set(bucket, 0.8 * (this.success.get(bucket) as number) + 0.2 * solved);
  }
}

/**
 * Stage 2: GRPO with the RA-RFT rewards. Each step draws `promptsPerStep` prompts, samples `groupSize`
 * completions per prompt, scores them with `raRftRewardBatch`, turns rewards into advantages with
 * `groupRelativeAdvantage` (TRL defaults), drops zero-variance groups, and takes `updatesPerBatch` optimizer
 * steps on the clipped GRPO loss with a k3 KL penalty to the frozen reference policy.
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
  const G = settings.groupSize;
  for (let step = 1; step <= settings.steps; step++) {
    // Cosine decay: the refusal threshold settles instead of swinging at the end of the run.
    const progress = settings.steps > 1 ? (step - 1) / (settings.steps - 1) : 1;
    const share = settings.finalLearningRateShare + (1 - settings.finalLearningRateShare) * 0.5 * (1 + Math.cos(Math.PI * progress));
    const learningRate = settings.learningRate * share;
    (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
    const stepStarted = performance.now();
    const kinds = sampler.kinds(rng, settings.promptsPerStep);
    const prompts = kinds.map((kind) => task.sample(rng, kind));
    if (observe !== undefined) prompts.forEach(observe);
    const expanded = prompts.flatMap((p) => Array.from({ length: G }, () => p));
    const completions = sampleCompletions(tf, policy, expanded.map((p) => p.prompt), { maxNewTokens: settings.maxNewTokens, temperature: settings.temperature, rng });
    const texts = completions.map((c) => task.decode(c));
    const scores = await scoreCompletions(texts, expanded.map((p) => p.target), settings.embedder);
    const totals = scores.map((s) => s.total);
    const advantages = groupRelativeAdvantage(totals, { groupSize: G });

    const kept: number[] = [];
    for (let g = 0; g < prompts.length; g++) {
      const group = totals.slice(g * G, (g + 1) * G);
      if (!settings.dropZeroVariance || Math.max(...group) - Math.min(...group) > 1e-9) kept.push(g);
    }

    // Per-step statistics over every sampled completion: the reward parts as scored, the grounding and
    // refusal metrics by the same definitions as the held-out evaluation.
    const reward = { total: 0, format: 0, refuseIoU: 0, explain: 0, correction: 0 };
    for (const s of scores) {
      reward.total += s.total;
      reward.format += s.format;
      reward.refuseIoU += s.refuseIoU;
      reward.explain += s.explain;
      reward.correction += s.correction;
    }
    const metrics = evaluateCompletions(expanded, texts);
    prompts.forEach((p, g) => {
      let solved = 0;
      for (let k = g * G; k < (g + 1) * G; k++) {
        const span = answerSpan(texts[k] as string);
        solved += p.relevant ? (span !== null && temporalIoU(span, p.target.span as Span) >= 0.5 ? 1 : 0) : (scores[k]?.refuseIoU ?? 0);
      }
      sampler.update(p.relevant ? 'relevant' : (p.changed as EventCategory), solved / G);
    });
    const n = expanded.length;
    for (const key of Object.keys(reward) as (keyof typeof reward)[]) reward[key] /= n;

    let loss = 0;
    let kl = 0;
    let clipFraction = 0;
    let gradNorm = 0;
    if (kept.length > 0) {
      const rows = kept.flatMap((g) => Array.from({ length: G }, (_, k) => g * G + k));
      const batch = packBatch(
        tf,
        rows.map((r) => (expanded[r] as SyntheticSample).prompt),
        rows.map((r) => completions[r] as number[]),
      );
      const oldLogProbs = tf.tidy(() => completionLogProbs(tf, ops, policy, batch));
      const refLogProbs = tf.tidy(() => completionLogProbs(tf, ops, reference, batch));
      const advantageTensor = tf.tensor1d(rows.map((r) => advantages[r] as number), 'float32');
      let lastStats: Tensor[] = [];
      for (let u = 0; u < settings.updatesPerBatch; u++) {
        for (const t of lastStats) t.dispose();
        lastStats = [];
        const result = optimizerStep(
          tf,
          optimizer,
          policy.variables,
          () => {
            const parts = grpoLoss(
              tf,
              { logProbs: completionLogProbs(tf, ops, policy, batch), oldLogProbs, refLogProbs, advantages: advantageTensor, mask: batch.mask },
              { clipEpsilon: settings.clipEpsilon, klBeta: settings.klBeta, aggregation: settings.aggregation },
            );
            lastStats = [tf.keep(parts.kl), tf.keep(parts.clipFraction)];
            return parts.loss as Scalar;
          },
          settings.maxGradNorm,
        );
        loss = result.loss;
        gradNorm = result.gradNorm;
      }
      kl = (lastStats[0] as Tensor).dataSync()[0] as number;
      clipFraction = (lastStats[1] as Tensor).dataSync()[0] as number;
      for (const t of lastStats) t.dispose();
      oldLogProbs.dispose();
      refLogProbs.dispose();
      advantageTensor.dispose();
      disposeBatch(batch);
    }

    const record: GrpoStepRecord = {
      step,
      reward,
      refusalRate: metrics.refusalAccuracy,
      falseRefusalRate: metrics.falseRefusalRate,
      mIoU: metrics.mIoU,
      formatRate: metrics.formatRate,
      groupsKept: kept.length,
      relevantPrompts: prompts.filter((p) => p.relevant).length,
      loss,
      kl,
      clipFraction,
      gradNorm,
      learningRate,
      seconds: (performance.now() - stepStarted) / 1000,
    };
    records.push(record);
    await onStep(
      record,
      expanded.map((p, i) => ({ prompt: p, completion: texts[i] as string })),
    );
  }
  optimizer.dispose();
  return records;
}
