import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BenchResult, benchVariants } from '../../benchmark/bench-variants.js';
import { defaultHiVtgDir, hiVtgDirCandidates } from '../../benchmark/hi-vtg.js';
import { readModelCompletions } from '../../benchmark/model-completions.js';
import { markdownTable } from '../../benchmark/report/markdown.js';
import { summaryTable } from '../../benchmark/report/tables.js';
import { writeBenchReport } from '../../benchmark/report/write-report.js';
import { type RewardVariant, defaultVariantRegistry } from '../../benchmark/variants.js';
import { trigramHashEmbedder } from '../../embeddings/trigram-hash-embedder.js';
import { hasErrorKind, isRaRftError } from '../../errors.js';
import { numberOption, parseCommandArgs } from '../args.js';
import { type Command, type CommandIO, EXIT, UsageError } from '../command.js';

const help = `Usage: ra-rft-rewards bench-variants [options]

Compares reward variants (ra-rft, strict, Time-R1 iou_v2, plain IoU, TVG-R1, TimeLens, and your own) on
HI-VTG targets before you spend GPU hours. Synthesizes completions of known quality in each variant's own
output format (correct answers, near misses at set IoU levels, wrong and missed refusals, format errors,
known reward hacks), or scores a model's completions, and reports per variant: completions/s, the reward
distribution per completion kind, AUC of genuine vs bad completions, Spearman with the true IoU, the share
of zero-variance GRPO groups for a group size G, and the best reward (and gain) of every hack.

Writes OUT/summary.md, OUT/results.json and the self-contained OUT/report.html (Vega-Lite plots as inline
SVG), and prints the summary table. Deterministic for a seed (apart from completions/s).

Options:
  --data PATHS            HI-VTG annotation files or folders, comma-separated (default: the shipped
                          ../shared/data/hi-vtg, also looked for under $RA_RFT_SHARED)
  --completions FILE      score a model's completions instead: JSONL lines {"completion", "target",
                          "kind"?, "label"?: "good"|"bad", "iou"?, "group"?}; every variant scores the same text
  --items N               items sampled per file (default 100; 0 = all)
  --seed N                seed of the sampling and the synthesis (default 7)
  --group-size G          GRPO group size for the zero-variance figure (default 8)
  --skills LIST           simulated policy skills, shares of genuine attempts (default 0.2,0.5,0.8)
  --iou-levels LIST       near-miss IoU levels (default 0.9,0.75,0.5,0.25,0.1)
  --variants IDS          variants to run, comma-separated (default: all registered)
  --variant-module FILE   an ES module exporting \`variants\` (an array of RewardVariant) or a default
                          variant / array, registered after the built-ins; repeatable
  --embeddings            add ra-rft+embed and strict+embed: the full RA-RFT reward (format + refuseIoU +
                          explain + correction) with the offline trigram-hash embedder
  --out DIR               output folder (default bench-variants-report)
  --no-html               skip report.html (it needs the optional packages vega and vega-lite)
  --min-time SECONDS      repeated scoring per variant for the completions/s figure (default 0.2)
  --quiet                 no progress lines and no summary table

Exit codes: 0 ok, 1 a variant or an input line is malformed, 2 bad usage, 3 data not found or output not writable.
`;

function numberList(name: string, value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const numbers = value.split(',').map((part) => Number(part.trim()));
  if (numbers.length === 0 || numbers.some((n) => !Number.isFinite(n))) throw new UsageError(`--${name} must be comma-separated numbers, got '${value}'`);
  return numbers;
}

async function loadVariantModule(file: string): Promise<RewardVariant[]> {
  const module = (await import(pathToFileURL(resolve(file)).href)) as { variants?: unknown; default?: unknown };
  const exported = module.variants ?? module.default;
  if (exported === undefined) throw new UsageError(`--variant-module ${file} exports neither \`variants\` nor a default`);
  return (Array.isArray(exported) ? exported : [exported]) as RewardVariant[];
}

async function run(argv: readonly string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      data: { type: 'string' },
      completions: { type: 'string' },
      items: { type: 'string' },
      seed: { type: 'string' },
      'group-size': { type: 'string' },
      skills: { type: 'string' },
      'iou-levels': { type: 'string' },
      variants: { type: 'string' },
      'variant-module': { type: 'string', multiple: true },
      embeddings: { type: 'boolean' },
      out: { type: 'string' },
      'no-html': { type: 'boolean' },
      'min-time': { type: 'string' },
      quiet: { type: 'boolean' },
    },
    false,
  );
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  if (values.data !== undefined && values.completions !== undefined) throw new UsageError('--data and --completions exclude each other');
  const quiet = values.quiet === true;
  const log = (message: string): void => {
    if (!quiet) io.stderr.write(`bench-variants: ${message}\n`);
  };

  const registry = defaultVariantRegistry(values.embeddings === true ? { embedder: trigramHashEmbedder() } : undefined);
  try {
    for (const file of values['variant-module'] ?? []) for (const variant of await loadVariantModule(file)) registry.register(variant);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    io.stderr.write(`ra-rft-rewards bench-variants: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
  let variants: RewardVariant[];
  try {
    variants = values.variants === undefined ? registry.list() : registry.select(values.variants.split(',').map((id) => id.trim()).filter(Boolean));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }

  const options = {
    itemsPerFile: numberOption('items', values.items, 100, { min: 0, integer: true }),
    seed: numberOption('seed', values.seed, 7, { integer: true }),
    groupSize: numberOption('group-size', values['group-size'], 8, { min: 2, integer: true }),
    skills: numberList('skills', values.skills),
    iouLevels: numberList('iou-levels', values['iou-levels']),
    minTimeSeconds: numberOption('min-time', values['min-time'], 0.2, { min: 0 }),
    variants,
    onProgress: log,
  };

  let result: BenchResult;
  try {
    if (values.completions !== undefined) {
      result = await benchVariants({ ...options, modelCompletions: readModelCompletions(values.completions) });
    } else {
      let data = values.data?.split(',').map((path) => path.trim()).filter(Boolean);
      if (data === undefined) {
        const found = defaultHiVtgDir();
        if (found === null) {
          io.stderr.write(`ra-rft-rewards bench-variants: no HI-VTG data found (looked in ${hiVtgDirCandidates().join(', ')}); pass --data FOLDER_OR_FILES\n`);
          return EXIT.io;
        }
        log(`data: ${found}`);
        data = [found];
      }
      result = await benchVariants({ ...options, data });
    }
  } catch (error) {
    if (isRaRftError(error)) {
      io.stderr.write(`ra-rft-rewards bench-variants: ${error.message}\n`);
      return error.field === 'data' ? EXIT.io : EXIT.failed;
    }
    if ((error as { code?: string })?.code === 'ENOENT') {
      io.stderr.write(`ra-rft-rewards bench-variants: ${(error as Error).message}\n`);
      return EXIT.io;
    }
    throw error;
  }

  const out = values.out ?? 'bench-variants-report';
  const command = ['ra-rft-rewards bench-variants', ...argv].join(' ');
  try {
    const written = await writeBenchReport(result, out, { html: values['no-html'] !== true, command, onProgress: log });
    log(`wrote ${written.join(', ')} (${result.elapsedSeconds.toFixed(1)} s of benchmark)`);
  } catch (error) {
    if (hasErrorKind(error, 'ReportDependencyError')) {
      io.stderr.write(`ra-rft-rewards bench-variants: ${(error as Error).message}\n`);
      return EXIT.failed;
    }
    io.stderr.write(`ra-rft-rewards bench-variants: cannot write ${out}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.io;
  }
  if (!quiet) io.stdout.write(`${markdownTable(summaryTable(result))}\n`);
  return EXIT.ok;
}

/** `ra-rft-rewards bench-variants`: the reward-variant benchmark and its report. */
export const command: Command = {
  summary: 'compare reward variants on HI-VTG data and the reward-hacking corpus',
  help,
  run,
};
