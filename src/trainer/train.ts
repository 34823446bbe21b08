import { cpus } from 'node:os';
import { OptionsError } from '../errors.js';
import { initBackend, type Tf } from './backend.js';
import { type EvaluationMetrics, evaluateCompletions } from './evaluate.js';
import { runGrpo } from './grpo.js';
import { type ResolvedTrainConfig, type TrainOptions, resolveTrainOptions } from './options.js';
import type { Policy } from './policy.js';
import type { ExampleCompletion, TrainReport } from './report.js';
import { defaultRewardEmbedder } from './rewards.js';
import { Rng } from '../internal/rng.js';
import { sampleCompletions } from './sampling.js';
import { runSft } from './sft.js';
import { EVENT_CATEGORIES, HI_VTG_CATEGORY, SyntheticHiVtgTask, type SyntheticSample } from './task.js';
import { formatSeconds } from '../internal/format-seconds.js';
import { transformerPolicy } from './transformer.js';

/**
 * Trains the reference RA-RFT policy on the synthetic hard-irrelevant VTG task and reports what happened.
 *
 * 1. Stage 1, SFT: a tiny transformer learns to ground relevant queries from demonstrations that never
 *    refuse (so, like real VTG models, it answers every query with a span).
 * 2. Stage 2, GRPO: G completions per prompt scored with this library's `raRftRewardBatch` (format +
 *    refuseIoU + explain + correction, trigram-hash embedder by default), advantages from
 *    `groupRelativeAdvantage`, zero-variance groups dropped, clipped ratio (ε 0.2), k3 KL to the frozen SFT
 *    policy, several updates per batch.
 * 3. Held-out greedy evaluation of both policies: refusal accuracy on hard-irrelevant queries, mIoU and
 *    R@0.5 on relevant ones.
 *
 * Seeded: the same seed, options and backend give the same numbers (timings aside). TensorFlow.js is
 * imported lazily, on the first call.
 *
 * @example
 * import { train } from 'ra-rft-rewards/trainer';
 * const report = await train({ backend: 'wasm', log: console.log });
 * report.beforeAfter.raRft.refusalAccuracy; // ≥ 0.8 for the default run (see docs/trainer.md)
 */
export async function train(options: TrainOptions = {}): Promise<TrainReport> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const embedder = options.embedder ?? defaultRewardEmbedder;
  const task = new SyntheticHiVtgTask(options.task);
  // The longest ideal completion plus a little slack for exploration.
  const maxNewTokens = task.idealMaxCompletion + 2;
  const config = resolveTrainOptions(options, embedder.name ?? 'custom embedder', maxNewTokens);
  const { tf, backend } = await initBackend(config.backend, { log });
  log(`backend: ${backend.name}${backend.adapter === undefined ? '' : ` (${backend.adapter})`}${backend.notes.length > 0 ? ` — ${backend.notes.join('; ')}` : ''}`);

  const master = new Rng(config.seed);
  const initSeed = master.uint32();
  const sftRng = master.fork();
  const grpoRng = master.fork();
  const heldOut = heldOutSet(task, new Rng((config.seed ^ 0x5f3759df) >>> 0), config.evaluation.relevant, config.evaluation.irrelevant);
  const periodic = [
    ...heldOut.filter((s) => s.relevant).slice(0, config.evaluation.periodicSize),
    ...heldOut.filter((s) => !s.relevant).slice(0, config.evaluation.periodicSize),
  ];
  const heldOutKeys = new Set(heldOut.map((s) => s.prompt.join(',')));
  let seenInTraining = 0;
  const observe = (sample: SyntheticSample) => {
    if (heldOutKeys.has(sample.prompt.join(','))) seenInTraining++;
  };

  const contextLength = task.promptLength + maxNewTokens;
  const factory = options.policy ?? transformerPolicy(options.model);
  const policy = factory({ tf, vocabSize: task.vocabulary.length, contextLength, seed: initSeed });
  checkPolicy(policy, task.vocabulary.length, contextLength);
  log(`policy: ${policy.name}, ${policy.parameterCount} parameters; task: ${task.vocabulary.length} tokens, prompts of ${task.promptLength}`);

  let reference: Policy | null = null;
  try {
    // Stage 1: SFT on relevant-only demonstrations.
    const sftStarted = performance.now();
    const sftEvery = config.logEvery * 20;
    const losses = await runSft(
      tf,
      policy,
      task,
      sftRng,
      config.sft,
      (record) => {
        if (record.step % sftEvery === 0 || record.step === config.sft.steps) {
          const rate = record.step / ((performance.now() - sftStarted) / 1000);
          log(`sft  ${pad(record.step, config.sft.steps)}  loss ${record.loss.toFixed(4)}  ${rate.toFixed(1)} steps/s`);
        }
      },
      observe,
    );
    const sftSeconds = (performance.now() - sftStarted) / 1000;

    let evaluationSeconds = 0;
    const evaluate = async (samples: readonly SyntheticSample[]) => {
      const t0 = performance.now();
      const completions = await greedy(tf, policy, samples, maxNewTokens, task);
      evaluationSeconds += (performance.now() - t0) / 1000;
      return { completions, metrics: await evaluateCompletions(samples, completions) };
    };
    const before = await evaluate(heldOut);
    log(`SFT policy (held-out): ${describe(before.metrics)}`);
    const evaluations: TrainReport['grpo']['evaluations'] = [{ step: 0, metrics: await evaluateCompletions(periodic, periodic.map((s) => before.completions[heldOut.indexOf(s)] as string)) }];

    // Stage 2: GRPO with the RA-RFT rewards against the frozen SFT policy.
    reference = policy.clone();
    const grpoStarted = performance.now();
    const evaluationBeforeGrpo = evaluationSeconds;
    let stepSeconds = 0;
    const steps = await runGrpo(
      tf,
      policy,
      reference,
      task,
      grpoRng,
      { ...config.grpo, maxNewTokens, embedder },
      async (record) => {
        stepSeconds += record.seconds;
        if (record.step % config.logEvery === 0 || record.step === 1 || record.step === config.grpo.steps) {
          const rate = record.step / stepSeconds;
          const eta = (config.grpo.steps - record.step) / rate;
          const r = record.reward;
          log(
            `grpo ${pad(record.step, config.grpo.steps)}  reward ${r.total.toFixed(3)} [format ${r.format.toFixed(2)} refuseIoU ${r.refuseIoU.toFixed(2)} explain ${r.explain.toFixed(2)} correction ${r.correction.toFixed(2)}]` +
              `  refusal ${record.refusalRate.toFixed(2)}  false-refusal ${record.falseRefusalRate.toFixed(2)}  mIoU ${record.mIoU.toFixed(2)}` +
              `  kept ${record.groupsKept}/${config.grpo.promptsPerStep}  kl ${record.kl.toFixed(3)}  ${rate.toFixed(2)} steps/s  eta ${formatSeconds(eta)}`,
          );
        }
        if (config.evaluation.every > 0 && (record.step % config.evaluation.every === 0 || record.step === config.grpo.steps)) {
          const { metrics } = await evaluate(periodic);
          evaluations.push({ step: record.step, metrics });
          log(`  held-out @ ${record.step}: ${describe(metrics)}`);
        }
      },
      observe,
    );
    const grpoSeconds = (performance.now() - grpoStarted) / 1000 - (evaluationSeconds - evaluationBeforeGrpo);

    const after = await evaluate(heldOut);
    log(`RA-RFT policy (held-out): ${describe(after.metrics)}`);
    const report: TrainReport = {
      format: 'ra-rft-rewards/train-report@1',
      createdAt: new Date().toISOString(),
      config,
      backend,
      policy: { name: policy.name, parameters: policy.parameterCount },
      machine: { node: process.version, platform: `${process.platform}-${process.arch}`, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length },
      timing: {
        totalSeconds: round((performance.now() - started) / 1000),
        sftSeconds: round(sftSeconds),
        grpoSeconds: round(grpoSeconds),
        evaluationSeconds: round(evaluationSeconds),
        sftStepsPerSecond: round(config.sft.steps / Math.max(sftSeconds, 1e-9)),
        grpoStepsPerSecond: round(config.grpo.steps / Math.max(grpoSeconds, 1e-9)),
      },
      sft: { losses: losses.map((r) => ({ step: r.step, loss: round(r.loss, 5) })) },
      grpo: { steps, evaluations },
      beforeAfter: { sft: before.metrics, raRft: after.metrics },
      heldOutSeenInTraining: seenInTraining,
      examples: examples(task, heldOut, before.completions, after.completions),
    };
    log(`done in ${formatSeconds(report.timing.totalSeconds)} (SFT ${formatSeconds(sftSeconds)}, GRPO ${formatSeconds(grpoSeconds)} at ${report.timing.grpoStepsPerSecond} steps/s)`);
    return report;
  } finally {
    reference?.dispose();
    policy.dispose();
  }
}

/** Held-out prompts: `relevant` relevant ones, then `irrelevant` hard-irrelevant ones cycling over the categories. */
function heldOutSet(task: SyntheticHiVtgTask, rng: Rng, relevant: number, irrelevant: number): SyntheticSample[] {
  return [
    ...Array.from({ length: relevant }, () => task.sample(rng, 'relevant')),
    ...Array.from({ length: irrelevant }, (_, i) => task.sample(rng, EVENT_CATEGORIES[i % EVENT_CATEGORIES.length] as (typeof EVENT_CATEGORIES)[number])),
  ];
}

async function greedy(tf: Tf, policy: Policy, samples: readonly SyntheticSample[], maxNewTokens: number, task: SyntheticHiVtgTask): Promise<string[]> {
  const out: string[] = [];
  // Batches of 256 keep memory flat for large evaluation sets.
  for (let i = 0; i < samples.length; i += 256) {
    const chunk = samples.slice(i, i + 256);
    const ids = await sampleCompletions(tf, policy, chunk.map((s) => s.prompt), { maxNewTokens, temperature: 0 });
    out.push(...ids.map((c) => task.decode(c)));
  }
  return out;
}

function examples(task: SyntheticHiVtgTask, heldOut: readonly SyntheticSample[], sft: readonly string[], raRft: readonly string[]): ExampleCompletion[] {
  const picks = [
    heldOut.findIndex((s) => s.relevant),
    ...EVENT_CATEGORIES.map((c) => heldOut.findIndex((s) => s.changed === c)),
  ].filter((i) => i >= 0);
  return picks.map((i) => {
    const sample = heldOut[i] as SyntheticSample;
    return {
      prompt: task.promptText(sample),
      relevant: sample.relevant,
      category: sample.changed === null ? null : HI_VTG_CATEGORY[sample.changed],
      ideal: sample.ideal,
      sft: sft[i] as string,
      raRft: raRft[i] as string,
    };
  });
}

function checkPolicy(policy: Policy, vocabSize: number, contextLength: number): void {
  if (policy === null || typeof policy !== 'object' || typeof policy.logits !== 'function' || typeof policy.clone !== 'function') {
    throw new OptionsError('train', 'options.policy', 'must return a Policy (logits, clone, dispose, variables)');
  }
  if (policy.vocabSize !== vocabSize) throw new OptionsError('train', 'options.policy', `vocabSize is ${policy.vocabSize}, the task has ${vocabSize} tokens`);
  if (policy.contextLength < contextLength) throw new OptionsError('train', 'options.policy', `contextLength ${policy.contextLength} is below the ${contextLength} tokens the task needs`);
  if (!Array.isArray(policy.variables) || policy.variables.length === 0) throw new OptionsError('train', 'options.policy', 'has no trainable variables');
}

/** One line of held-out metrics. */
export function describe(m: EvaluationMetrics): string {
  return `refusal ${m.refusalAccuracy.toFixed(3)}  false-refusal ${m.falseRefusalRate.toFixed(3)}  mIoU ${m.mIoU.toFixed(3)}  R@0.5 ${m.recallAt05.toFixed(3)}  format ${m.formatRate.toFixed(3)}  (${m.relevantCount} relevant, ${m.irrelevantCount} hard-irrelevant)`;
}

function pad(step: number, total: number): string {
  return `${String(step).padStart(String(total).length)}/${total}`;
}

function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export type { ResolvedTrainConfig };
