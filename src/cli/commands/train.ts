import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isRaRftError } from '../../errors.js';
import { TRAIN_DEFAULTS as D } from '../../trainer/defaults.js';
import type { TrainOptions, TrainReport } from '../../trainer/index.js';
import { choiceOption, numberOption, parseCommandArgs } from '../args.js';
import { type Command, type CommandIO, EXIT } from '../command.js';

const help = `Usage: ra-rft-rewards train [options]

Trains the reference RA-RFT policy on the synthetic hard-irrelevant video temporal grounding task, with
TensorFlow.js: stage 1 SFT on relevant-only demonstrations (the policy never refuses), stage 2 GRPO scored
with this library's raRftRewardBatch (trigram-hash embedder) and groupRelativeAdvantage (G samples per
prompt, clipped ratio, k3 KL to the frozen SFT policy, zero-variance groups dropped). Prints progress
(steps, rewards, steps/s) to stderr and the before/after table (held-out refusal accuracy on
hard-irrelevant queries, mIoU and R@0.5 on relevant ones) to stdout.

Writes OUT/report.json (config, backend, steps/s, per-step rewards and metrics), OUT/curves.svg and
OUT/curves.png (training curves, vega-lite + resvg) and OUT/summary.md. Seeded and reproducible for a
seed and backend (timings aside). The default run takes about 5-8 minutes on 2 CPU cores with wasm.

Options:
  --backend NAME          auto (a hardware WebGPU adapter, else wasm, else cpu), webgpu (also a software
                          adapter such as SwiftShader), wasm, cpu (default ${D.backend})
  --seed N                seed of the task, the initial weights and the sampling (default ${D.seed})
  --sft-steps N           stage 1 steps (default ${D.sft.steps})
  --sft-batch N           demonstrations per SFT step (default ${D.sft.batchSize})
  --grpo-steps N          stage 2 steps (default ${D.grpo.steps})
  --prompts N             prompts per GRPO step (default ${D.grpo.promptsPerStep})
  --group-size G          completions per prompt (default ${D.grpo.groupSize})
  --updates N             optimizer steps per sampled batch (default ${D.grpo.updatesPerBatch})
  --learning-rate X       GRPO peak learning rate, cosine decay to ${Math.round(D.grpo.finalLearningRateShare * 100)}% (default ${D.grpo.learningRate})
  --clip-epsilon X        PPO clip range (default ${D.grpo.clipEpsilon})
  --kl-beta X             weight of the k3 KL to the SFT policy (default ${D.grpo.klBeta})
  --temperature X         sampling temperature (default ${D.grpo.temperature})
  --prompt-weighting W    uniform or difficulty (draw prompt kinds by recent failure rate; default ${D.grpo.promptWeighting})
  --keep-zero-variance    keep groups whose rewards are all equal (default: drop them)
  --eval-relevant N       held-out relevant prompts (default ${D.evaluation.relevant})
  --eval-irrelevant N     held-out hard-irrelevant prompts (default ${D.evaluation.irrelevant})
  --eval-every N          held-out greedy evaluation every N GRPO steps for the curves (default ${D.evaluation.every}; 0 = off)
  --out DIR               output folder (default ra-rft-train)
  --no-plot               skip curves.svg and curves.png (they need vega, vega-lite and @resvg/resvg-js)
  --quiet                 no progress lines

Exit codes: 0 ok, 1 training failed, 2 bad usage, 3 the output folder is not writable.
`;

async function run(argv: readonly string[], io: CommandIO): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    {
      backend: { type: 'string' },
      seed: { type: 'string' },
      'sft-steps': { type: 'string' },
      'sft-batch': { type: 'string' },
      'grpo-steps': { type: 'string' },
      prompts: { type: 'string' },
      'group-size': { type: 'string' },
      updates: { type: 'string' },
      'learning-rate': { type: 'string' },
      'clip-epsilon': { type: 'string' },
      'kl-beta': { type: 'string' },
      temperature: { type: 'string' },
      'prompt-weighting': { type: 'string' },
      'keep-zero-variance': { type: 'boolean' },
      'eval-relevant': { type: 'string' },
      'eval-irrelevant': { type: 'string' },
      'eval-every': { type: 'string' },
      out: { type: 'string' },
      'no-plot': { type: 'boolean' },
      quiet: { type: 'boolean' },
    },
    false,
  );
  const options: TrainOptions = {
    backend: choiceOption('backend', values.backend, ['auto', 'webgpu', 'wasm', 'cpu'] as const, D.backend),
    seed: numberOption('seed', values.seed, D.seed, { min: 0, integer: true }),
    sft: {
      steps: numberOption('sft-steps', values['sft-steps'], D.sft.steps, { min: 0, integer: true }),
      batchSize: numberOption('sft-batch', values['sft-batch'], D.sft.batchSize, { min: 1, integer: true }),
    },
    grpo: {
      steps: numberOption('grpo-steps', values['grpo-steps'], D.grpo.steps, { min: 0, integer: true }),
      promptsPerStep: numberOption('prompts', values.prompts, D.grpo.promptsPerStep, { min: 1, integer: true }),
      groupSize: numberOption('group-size', values['group-size'], D.grpo.groupSize, { min: 2, integer: true }),
      updatesPerBatch: numberOption('updates', values.updates, D.grpo.updatesPerBatch, { min: 1, integer: true }),
      learningRate: numberOption('learning-rate', values['learning-rate'], D.grpo.learningRate, { min: 0 }),
      clipEpsilon: numberOption('clip-epsilon', values['clip-epsilon'], D.grpo.clipEpsilon, { min: 0 }),
      klBeta: numberOption('kl-beta', values['kl-beta'], D.grpo.klBeta, { min: 0 }),
      temperature: numberOption('temperature', values.temperature, D.grpo.temperature, { min: Number.MIN_VALUE }),
      promptWeighting: choiceOption('prompt-weighting', values['prompt-weighting'], ['uniform', 'difficulty'] as const, D.grpo.promptWeighting),
      dropZeroVariance: values['keep-zero-variance'] !== true,
    },
    evaluation: {
      relevant: numberOption('eval-relevant', values['eval-relevant'], D.evaluation.relevant, { min: 1, integer: true }),
      irrelevant: numberOption('eval-irrelevant', values['eval-irrelevant'], D.evaluation.irrelevant, { min: 1, integer: true }),
      every: numberOption('eval-every', values['eval-every'], D.evaluation.every, { min: 0, integer: true }),
    },
  };
  if (values.quiet !== true) options.log = (line) => io.stderr.write(`${line}\n`);
  const out = resolve(values.out ?? 'ra-rft-train');
  try {
    mkdirSync(out, { recursive: true });
  } catch (error) {
    io.stderr.write(`ra-rft-rewards train: cannot create ${out}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.io;
  }

  const trainer = await import('../../trainer/index.js');
  let report: TrainReport;
  try {
    report = await trainer.train(options);
  } catch (error) {
    if (isRaRftError(error)) {
      io.stderr.write(`ra-rft-rewards train: ${error.message}\n`);
      return EXIT.failed;
    }
    throw error;
  }
  const command = ['ra-rft-rewards', 'train', ...argv].join(' ');
  try {
    writeFileSync(join(out, 'report.json'), `${JSON.stringify(report, null, 1)}\n`);
    writeFileSync(join(out, 'summary.md'), trainer.runSummary(report, command));
  } catch (error) {
    io.stderr.write(`ra-rft-rewards train: cannot write to ${out}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.io;
  }
  let plotted = false;
  if (values['no-plot'] !== true) {
    let curves: Awaited<ReturnType<typeof trainer.renderTrainingCurves>>;
    try {
      curves = await trainer.renderTrainingCurves(report);
    } catch (error) {
      io.stderr.write(`ra-rft-rewards train: curves skipped (they need vega, vega-lite and @resvg/resvg-js): ${error instanceof Error ? error.message : String(error)}\n`);
      curves = { svg: '', png: new Uint8Array() };
    }
    if (curves.svg !== '') {
      try {
        writeFileSync(join(out, 'curves.svg'), curves.svg);
        writeFileSync(join(out, 'curves.png'), curves.png);
        plotted = true;
      } catch (error) {
        io.stderr.write(`ra-rft-rewards train: cannot write to ${out}: ${error instanceof Error ? error.message : String(error)}\n`);
        return EXIT.io;
      }
    }
  }
  io.stdout.write(`${trainer.beforeAfterTable(report)}\n\nwrote ${join(out, 'report.json')}, summary.md${plotted ? ', curves.svg, curves.png' : ''}\n`);
  return EXIT.ok;
}

export const command: Command = {
  summary: 'train the reference GRPO policy on the synthetic HI-VTG task',
  help,
  run,
};
