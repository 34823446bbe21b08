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
import { VARIANTS } from '../../variants/registry.js';
import { EMBEDDER_CHOICES, type EmbedderFlag, chooseEmbedder, isOpenAIEmbedderFlag } from '../embedder-choice.js';
import { hasErrorKind, isRaRftError } from '../../errors.js';
import { z } from 'zod';
import { benchVariantsSettingsSchema } from '../../benchmark/options-schema.js';
import { checkOptions, helpLines, optionFields, parseArgsOptions, valuesFromFlags } from '../../internal/option-schema.js';
import { parseCommandArgs } from '../args.js';
import { type Command, type CommandIO, EXIT, UsageError } from '../command.js';

/** The flags of `bench-variants` that are not `benchVariants` settings. */
export const benchVariantsCliSchema = z.object({
  data: z
    .string()
    .optional()
    .describe('HI-VTG annotation files or folders, comma-separated (default: the shipped ../shared/data/hi-vtg, also looked for under $RA_RFT_SHARED)')
    .meta({ flag: 'data', arg: 'PATHS' }),
  completions: z
    .string()
    .optional()
    .describe('score a model\'s completions instead: JSONL lines {"completion", "target", "kind"?, "label"?: "good"|"bad", "iou"?, "group"?}; every variant scores the same text')
    .meta({ flag: 'completions', arg: 'FILE' }),
  variants: z.string().optional().describe('variants to run, comma-separated (default: all registered)').meta({ flag: 'variants', arg: 'IDS' }),
  embeddings: z
    .boolean()
    .default(false)
    .describe('add ra-rft+embed and strict+embed: the full RA-RFT reward (format + refuseIoU + explain + correction) with the offline trigram-hash embedder')
    .meta({ flag: 'embeddings' }),
  embedder: z
    .string()
    .refine((value) => (EMBEDDER_CHOICES as readonly string[]).includes(value) || isOpenAIEmbedderFlag(value), { message: `must be one of ${EMBEDDER_CHOICES.join(', ')} or openai:URL#MODEL` })
    .optional()
    .describe('with --embeddings: the embedder of ra-rft+embed and strict+embed instead of the trigram hash: auto | minilm | use-lite | trigram | openai:URL#MODEL (implies --embeddings)')
    .meta({ flag: 'embedder', arg: 'NAME' }),
  out: z.string().default('bench-variants-report').describe('output folder').meta({ flag: 'out', arg: 'DIR' }),
  html: z.boolean().default(true).describe('skip report.html (it needs the optional packages vega and vega-lite)').meta({ flag: 'no-html', invert: true }),
  quiet: z.boolean().default(false).describe('no progress lines and no summary table').meta({ flag: 'quiet' }),
});

/** Every flag of `bench-variants` but the repeatable `--variant-module`: the settings of benchVariants, then the command's own. */
export const BENCH_FLAG_FIELDS = [...optionFields(benchVariantsSettingsSchema), ...optionFields(benchVariantsCliSchema)];

/** The built-in variant ids, from the registry, wrapped for the help text. */
function wrapIds(): string {
  const lines: string[] = [];
  let line = '';
  for (const id of VARIANTS.map((variant) => variant.id)) {
    const next = line === '' ? id : `${line}, ${id}`;
    if (next.length > 100) {
      lines.push(`${line},`);
      line = id;
    } else line = next;
  }
  return [...lines, line].join('\n  ');
}

const help = `Usage: ra-rft-rewards bench-variants [options]

Compares reward variants (the built-ins listed below, and your own) on
HI-VTG targets before you spend GPU hours. Synthesizes completions of known quality in each variant's own
output format (correct answers, near misses at set IoU levels, wrong and missed refusals, format errors,
known reward hacks), or scores a model's completions, and reports per variant: completions/s, the reward
distribution per completion kind, AUC of genuine vs bad completions, Spearman with the true IoU, the share
of zero-variance GRPO groups for a group size G, and the best reward (and gain) of every hack.

Built-in variants (src/variants/, docs/variants.md):
  ${wrapIds()}

Writes OUT/summary.md, OUT/results.json and the self-contained OUT/report.html (Vega-Lite plots as inline
SVG), and prints the summary table. Deterministic for a seed (apart from completions/s).

Options:
${helpLines(BENCH_FLAG_FIELDS)}
  --variant-module FILE   an ES module exporting \`variants\` (an array of variant descriptors, the
                          built-ins' VariantDescriptor) or a default descriptor / array, registered
                          after the built-ins; repeatable

Exit codes: 0 ok, 1 a variant or an input line is malformed, 2 bad usage, 3 data not found or output not writable.
`;

async function loadVariantModule(file: string): Promise<RewardVariant[]> {
  const module = (await import(pathToFileURL(resolve(file)).href)) as { variants?: unknown; default?: unknown };
  const exported = module.variants ?? module.default;
  if (exported === undefined) throw new UsageError(`--variant-module ${file} exports neither \`variants\` nor a default`);
  return (Array.isArray(exported) ? exported : [exported]) as RewardVariant[];
}

async function run(argv: readonly string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...parseArgsOptions(BENCH_FLAG_FIELDS), 'variant-module': { type: 'string', multiple: true } }, false);
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const given = valuesFromFlags(BENCH_FLAG_FIELDS, values as Record<string, string | boolean | undefined>);
  // The same schema and words as benchVariants itself.
  const checked = checkOptions(benchVariantsSettingsSchema, given, BENCH_FLAG_FIELDS);
  if (!checked.ok) throw new UsageError(`--${checked.field?.meta.flag ?? checked.path.join('.')} ${checked.problem}`);
  const cli = benchVariantsCliSchema.parse(given);
  if (cli.data !== undefined && cli.completions !== undefined) throw new UsageError('--data and --completions exclude each other');
  const quiet = cli.quiet;
  const log = (message: string): void => {
    if (!quiet) io.stderr.write(`bench-variants: ${message}\n`);
  };

  // --embedder picks the embedder of the +embed variants; the choice is printed (scores from different embedders
  // are not comparable).
  const embedder = cli.embedder === undefined ? (cli.embeddings ? trigramHashEmbedder() : undefined) : (await chooseEmbedder(cli.embedder as EmbedderFlag, log)).embedder;
  const registry = defaultVariantRegistry(embedder === undefined ? undefined : { embedder });
  try {
    for (const file of values['variant-module'] ?? []) for (const variant of await loadVariantModule(file)) registry.register(variant);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    io.stderr.write(`ra-rft-rewards bench-variants: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
  let variants: RewardVariant[];
  try {
    variants = cli.variants === undefined ? registry.list() : registry.select(cli.variants.split(',').map((id) => id.trim()).filter(Boolean));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }

  const options = { ...checked.value, variants, onProgress: log };

  let result: BenchResult;
  try {
    if (cli.completions !== undefined) {
      result = await benchVariants({ ...options, modelCompletions: readModelCompletions(cli.completions) });
    } else {
      let data = cli.data?.split(',').map((path) => path.trim()).filter(Boolean);
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

  const out = cli.out;
  const command = ['ra-rft-rewards bench-variants', ...argv].join(' ');
  try {
    const written = await writeBenchReport(result, out, { html: cli.html, command, onProgress: log });
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
