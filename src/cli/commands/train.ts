import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isRaRftError } from '../../errors.js';
import { z } from 'zod';
import { checkOptions, helpLines, optionFields, parseArgsOptions, valuesFromFlags } from '../../internal/option-schema.js';
import { trainSettingsSchema } from '../../trainer/options-schema.js';
import type { TrainOptions, TrainReport } from '../../trainer/index.js';
import { parseCommandArgs } from '../args.js';
import { type Command, type CommandIO, EXIT, UsageError } from '../command.js';

/** The flags of `ra-rft-rewards train` that are not `train()` options. */
export const trainCliSchema = z.object({
  out: z.string().default('ra-rft-train').describe('output folder').meta({ flag: 'out', arg: 'DIR' }),
  plot: z.boolean().default(true).describe('skip curves.svg and curves.png (they need vega, vega-lite and @resvg/resvg-js)').meta({ flag: 'no-plot', invert: true }),
  quiet: z.boolean().default(false).describe('no progress lines').meta({ flag: 'quiet' }),
});

/** Every flag of `train`: the library's options (src/trainer/options-schema.ts), then the command's own. */
export const TRAIN_FLAG_FIELDS = [...optionFields(trainSettingsSchema), ...optionFields(trainCliSchema)];

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
${helpLines(TRAIN_FLAG_FIELDS)}

Exit codes: 0 ok, 1 training failed, 2 bad usage, 3 the output folder is not writable.
`;

/**
 * Reads `train`'s command line into `train()` options and the command's own settings; throws a
 * {@link UsageError} naming the flag, with the words `train()` uses for the option (one schema for both:
 * `--clip-epsilon 2` and `--group-size 1` are both usage errors).
 */
export function parseTrainArgs(argv: readonly string[]): { options: TrainOptions; cli: z.output<typeof trainCliSchema> } {
  const { values } = parseCommandArgs(argv, parseArgsOptions(TRAIN_FLAG_FIELDS), false);
  const given = valuesFromFlags(TRAIN_FLAG_FIELDS, values);
  const checked = checkOptions(trainSettingsSchema, given);
  if (!checked.ok) throw new UsageError(`--${checked.field?.meta.flag ?? checked.path.join('.')} ${checked.problem}`);
  const { seed, backend, sft, grpo, evaluation } = checked.value;
  return { options: { seed, backend, sft, grpo, evaluation }, cli: trainCliSchema.parse(given) };
}

async function run(argv: readonly string[], io: CommandIO): Promise<number> {
  const { options, cli } = parseTrainArgs(argv);
  if (!cli.quiet) options.log = (line) => io.stderr.write(`${line}\n`);
  const out = resolve(cli.out);
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
  if (cli.plot) {
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
