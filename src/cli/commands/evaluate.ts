import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { escapeHtml, renderSvg } from '../../benchmark/report/html.js';
import { markdownTable } from '../../benchmark/report/markdown.js';
import { isRaRftError } from '../../errors.js';
import { evaluatePredictions } from '../../evaluate/evaluate-predictions.js';
import { parseEvaluationInput } from '../../evaluate/inputs.js';
import { openAIJudge } from '../../evaluate/judge.js';
import { type EvaluationChart, type EvaluationTable, compareTable, evaluationCharts, evaluationTables, paperTable } from '../../evaluate/report.js';
import type { EvaluationMetrics, EvaluationResult } from '../../evaluate/types.js';
import type { Embedder } from '../../types.js';
import { z } from 'zod';
import { isEmbedderUnavailableError } from '../../embeddings/errors.js';
import { checkOptions, helpLines, optionFields, parseArgsOptions, valuesFromFlags } from '../../internal/option-schema.js';
import { parseCommandArgs } from '../args.js';
import { type Command, type CommandIO, EXIT, UsageError } from '../command.js';
import { EMBEDDER_CHOICES, type EmbedderChoice, chooseEmbedder, isOpenAIEmbedderFlag } from '../embedder-choice.js';
import { ProgressBar } from '../progress.js';

/** The options of `ra-rft-rewards evaluate`: the one definition its flags, `--help` lines and the docs table come from. */
export const evaluateOptionsSchema = z.object({
  out: z.string().optional().describe('output folder (created when missing); with --compare, where compare.md goes').meta({ flag: 'out', arg: 'DIR' }),
  embedder: z
    .string()
    .refine((value) => [...EMBEDDER_CHOICES, 'none'].includes(value) || isOpenAIEmbedderFlag(value), { message: `must be one of ${[...EMBEDDER_CHOICES, 'none'].join(', ')} or openai:URL#MODEL` })
    .default('auto')
    .describe('auto | minilm | use-lite | trigram | openai:URL#MODEL | none (the one that ran is printed and recorded: the reference used all-mpnet-base-v2)')
    .meta({ flag: 'embedder', arg: 'NAME' }),
  embedderPath: z.string().optional().describe('a MiniLM model folder, or a folder of model folders, to load offline (never asks the hub)').meta({ flag: 'embedder-path', arg: 'DIR' }),
  profile: z.enum(['ra-rft', 'strict']).default('ra-rft').describe('how answers are read: ra-rft | strict').meta({ flag: 'profile', arg: 'NAME' }),
  noAnswer: z.enum(['wrong', 'irrelevant']).default('wrong').describe('an output without an answer: wrong (a wrong decision) | irrelevant').meta({ flag: 'no-answer', arg: 'MODE' }),
  keepEndTokens: z.boolean().default(false).describe('do not strip trailing end-of-turn / pad tokens').meta({ flag: 'keep-end-tokens' }),
  onError: z
    .enum(['fail', 'skip'])
    .default('fail')
    .describe('fail: a malformed record stops the run, exit 1; skip: report it, leave it out (listed in metrics.json "input.skipped"), go on')
    .meta({ flag: 'on-error', arg: 'MODE' }),
  judgeUrl: z.string().optional().describe('OpenAI-compatible API base, e.g. https://api.openai.com/v1 (judged metrics)').meta({ flag: 'judge-url', arg: 'URL' }),
  judgeModel: z.string().optional().describe('the judge model (required with --judge-url)').meta({ flag: 'judge-model', arg: 'NAME' }),
  judgeCache: z.string().optional().describe('judge reply cache').meta({ flag: 'judge-cache', arg: 'DIR', shownDefault: 'DIR/judge-cache' }),
  judgeConcurrency: z.number().int().min(1).default(4).describe('judge requests in flight').meta({ flag: 'judge-concurrency', arg: 'N' }),
  judgeRetries: z
    .number()
    .int()
    .min(0)
    .default(5)
    .describe('retries on 429 / 5xx / network errors, with back-off; the key comes from RA_RFT_JUDGE_KEY, else OPENAI_API_KEY (none: no header)')
    .meta({ flag: 'judge-retries', arg: 'N' }),
  html: z.boolean().default(true).describe('skip report.html (it needs the optional vega and vega-lite packages)').meta({ flag: 'no-html', invert: true }),
  compare: z.boolean().default(false).describe('print two metrics.json side by side with B - A (and write DIR/compare.md)').meta({ flag: 'compare' }),
  allowMixedEmbedders: z
    .boolean()
    .default(false)
    .describe('with --compare: subtract explanation scores of runs that used different embedders (their scales differ; refused otherwise)')
    .meta({ flag: 'allow-mixed-embedders' }),
  progressEvery: z.number().min(0).default(10).describe('when standard error is not a terminal: seconds between progress lines (0: every update)').meta({ flag: 'progress-every', arg: 'S' }),
  quiet: z.boolean().default(false).describe('no progress and no embedder line').meta({ flag: 'quiet' }),
});

const EVALUATE_FIELDS = optionFields(evaluateOptionsSchema);

const help = `Usage: ra-rft-rewards evaluate IN --out DIR [options]
       ra-rft-rewards evaluate --compare A/metrics.json B/metrics.json [--out DIR] [--allow-mixed-embedders]

Evaluates model outputs with the RA-RFT paper's protocol (docs/evaluate.md): relevance accuracy and
confusion (relevant = positive class), per-class precision/recall/F1, RA-IoU mean and R@0.3/0.5/0.7, mIoU
and R@k of relevant items, hardness levels, refusal accuracy per mismatch category, explanation
similarity, and with a judge the judge-dependent reasoning score (0-5) and RT-IoU.

IN: RA-RFT inference results (a JSON array of {video, query, model_output, gt_relevant, gt_timestamp,
gt_output, hardness_level | irrelevance_level, gt_categories}), JSONL of {completion, target}, or HI-VTG
items with "completions" (JSON array or JSONL).

Writes DIR/metrics.json, DIR/items.jsonl (one line per item: decision, RA-IoU…), DIR/summary.md and
DIR/report.html (offline, charts drawn with vega-lite); prints the summary table to standard output.

Options:
${helpLines(EVALUATE_FIELDS, 26)}
Exit codes: 0 ok, 1 a malformed record under --on-error fail, a failed judge, or --compare across embedders,
2 bad usage, 3 unreadable input, unwritable output or missing model files (one line).
`;

/** A table as aligned plain text (stdout). */
function textTable(table: EvaluationTable): string {
  const widths = table.headers.map((header, column) => Math.max(header.length, ...table.rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [table.title, line(table.headers), line(widths.map((width) => '-'.repeat(width))), ...table.rows.map(line)].join('\n');
}

function htmlTable(table: EvaluationTable): string {
  const head = `<tr>${table.headers.map((cell) => `<th>${escapeHtml(cell)}</th>`).join('')}</tr>`;
  const body = table.rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
  return `<section><h2>${escapeHtml(table.title)}</h2>${table.note === undefined ? '' : `<p class="note">${escapeHtml(table.note)}</p>`}<table>${head}\n${body}</table></section>`;
}

async function htmlChart(chart: EvaluationChart): Promise<string> {
  return `<section id="${chart.id}"><h2>${escapeHtml(chart.title)}</h2><p class="note">${escapeHtml(chart.caption)}</p><figure>${await renderSvg(chart.spec)}</figure></section>`;
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}p.note{color:#555;font-size:.9rem}
table{border-collapse:collapse;font-size:.85rem}th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left}
th{background:#f4f4f4}figure{margin:0}code{background:#f4f4f4;padding:0 .2rem}`;

function describeRun(metrics: EvaluationMetrics, input: string, command: string): string[] {
  const s = metrics.settings;
  return [
    `Command: \`${command}\``,
    `Input: \`${input}\`, ${metrics.count} items. Answers read with the \`${s.profile}\` profile${s.stripEndTokens ? ' after stripping end tokens' : ''}; an output without an answer counts as ${s.noAnswer === 'wrong' ? 'a wrong decision' : 'decided irrelevant'}.`,
    `Explanation similarity: ${metrics.explanation === null ? 'no embedder ran' : `embedder ${metrics.explanation.embedder}`}. Judge: ${metrics.judged === null ? 'none (judge-dependent metrics are n/a)' : metrics.judged.judge}.`,
  ];
}

function renderMarkdown(metrics: EvaluationMetrics, input: string, command: string): string {
  const lines = ['# RA-RFT evaluation', '', ...describeRun(metrics, input, command).flatMap((line) => [line, '']), ...evaluationTables(metrics).flatMap((table) => [markdownTable(table), ''])];
  return `${lines.join('\n').trimEnd()}\n`;
}

async function renderHtml(result: EvaluationResult, input: string, command: string): Promise<string> {
  const [summary, ...rest] = evaluationTables(result.metrics);
  const charts: string[] = [];
  for (const chart of evaluationCharts(result.metrics, result.items)) charts.push(await htmlChart(chart));
  const description = describeRun(result.metrics, input, command)
    .map((line) => `<p>${escapeHtml(line).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>RA-RFT evaluation</title><style>${STYLE}</style></head>
<body><h1>RA-RFT evaluation</h1>
${description}
${summary === undefined ? '' : htmlTable(summary)}
${charts.join('\n')}
${rest.map(htmlTable).join('\n')}
</body></html>
`;
}

function readJson(path: string, io: CommandIO): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    io.stderr.write(`ra-rft-rewards evaluate: cannot read ${path}: ${(error as Error).message}\n`);
    return undefined;
  }
}

/** The embedder a metrics.json's explanation scores came from (null: none ran). */
function embedderOf(metrics: unknown): string | null {
  const explanation = (metrics as { explanation?: { embedder?: unknown } | null } | null)?.explanation;
  return typeof explanation?.embedder === 'string' ? explanation.embedder : null;
}

function runCompare(files: readonly string[], out: string | undefined, allowMixed: boolean, io: CommandIO): number {
  if (files.length !== 2) throw new UsageError(`--compare needs two metrics.json files, got ${files.length}`);
  const [a, b] = files as [string, string];
  const left = readJson(a, io);
  const right = readJson(b, io);
  if (left === undefined || right === undefined) return EXIT.io;
  const metricsOf = (value: unknown) => (value !== null && typeof value === 'object' && 'metrics' in value ? (value as { metrics: unknown }).metrics : value);
  const name = (path: string) => basename(dirname(path)) || path;
  // Explanation similarities of two embedders are on different scales (MiniLM's cosines are not USE-lite's):
  // their difference measures the embedders, not the models.
  const [embedderA, embedderB] = [embedderOf(metricsOf(left)), embedderOf(metricsOf(right))];
  const mixed = embedderA !== null && embedderB !== null && embedderA !== embedderB;
  if (mixed && !allowMixed) {
    io.stderr.write(
      `ra-rft-rewards evaluate: ${a} scored explanations with ${embedderA}, ${b} with ${embedderB}: their difference is not comparable; ` +
        're-run one with the same --embedder, or pass --allow-mixed-embedders\n',
    );
    return EXIT.failed;
  }
  const table = compareTable(metricsOf(left), metricsOf(right), [name(a), name(b)]);
  if (mixed) {
    table.note = `${table.note ?? ''} Explanation rows compare different embedders (${embedderA} → ${embedderB}): not comparable.`.trim();
    io.stderr.write(`ra-rft-rewards evaluate: warning: explanation rows compare ${embedderA} with ${embedderB} (--allow-mixed-embedders)\n`);
  }
  io.stdout.write(`${textTable(table)}\n${mixed ? `${table.note}\n` : ''}`);
  if (out !== undefined) {
    try {
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, 'compare.md'), `# RA-RFT evaluation: comparison\n\nA: \`${a}\`, B: \`${b}\`.${mixed ? ` ${table.note}` : ''}\n\n${markdownTable(table)}\n`);
    } catch (error) {
      io.stderr.write(`ra-rft-rewards evaluate: cannot write ${out}: ${(error as Error).message}\n`);
      return EXIT.io;
    }
  }
  return EXIT.ok;
}

async function runEvaluate(argv: readonly string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, parseArgsOptions(EVALUATE_FIELDS));
  const checked = checkOptions(evaluateOptionsSchema, valuesFromFlags(EVALUATE_FIELDS, values), EVALUATE_FIELDS);
  if (!checked.ok) throw new UsageError(`--${checked.field?.meta.flag ?? checked.path.join('.')} ${checked.problem}`);
  const o = checked.value;
  if (o.compare) return runCompare(positionals, o.out, o.allowMixedEmbedders, io);
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'missing IN (the model outputs to evaluate)' : `expected one input file, got ${positionals.length}`);
  if (o.out === undefined) throw new UsageError('missing --out DIR');
  const input = positionals[0] as string;
  const out = o.out;
  const embedderChoice = o.embedder as EmbedderChoice | 'none';
  const { profile, noAnswer, onError, judgeUrl, judgeModel, quiet } = o;
  if ((judgeUrl === undefined) !== (judgeModel === undefined)) throw new UsageError('--judge-url and --judge-model go together');
  if (o.embedderPath !== undefined && embedderChoice !== 'auto' && embedderChoice !== 'minilm') throw new UsageError(`--embedder-path is a MiniLM folder; it does not go with --embedder ${embedderChoice}`);
  const concurrency = o.judgeConcurrency;
  const retries = o.judgeRetries;
  const log = (line: string) => {
    if (!quiet) io.stderr.write(`${line}\n`);
  };

  let text: string;
  try {
    text = readFileSync(input, 'utf8');
  } catch (error) {
    io.stderr.write(`ra-rft-rewards evaluate: cannot read ${input}: ${(error as Error).message}\n`);
    return EXIT.io;
  }
  const parsed = parseEvaluationInput(text);
  for (const { where, error } of parsed.errors) io.stderr.write(`ra-rft-rewards evaluate: ${input}: ${where}: ${error}\n`);
  if (parsed.errors.length > 0 && onError === 'fail') {
    io.stderr.write(`ra-rft-rewards evaluate: ${parsed.errors.length} malformed record(s); fix them or use --on-error skip\n`);
    return EXIT.failed;
  }
  try {
    mkdirSync(out, { recursive: true });
  } catch (error) {
    io.stderr.write(`ra-rft-rewards evaluate: cannot write ${out}: ${(error as Error).message}\n`);
    return EXIT.io;
  }

  let embedder: Embedder | undefined;
  let embedderName: string | undefined;
  if (embedderChoice !== 'none') {
    try {
      const chosen = await chooseEmbedder(embedderChoice, log, o.embedderPath);
      embedder = chosen.embedder;
      embedderName = chosen.name;
    } catch (error) {
      if (!isEmbedderUnavailableError(error)) throw error;
      io.stderr.write(`ra-rft-rewards evaluate: ${error.message.split('\n')[0] ?? ''}${o.embedderPath === undefined ? '; point --embedder-path DIR at a model folder' : ''}\n`);
      return EXIT.io;
    }
  }
  const judge =
    judgeUrl === undefined || judgeModel === undefined
      ? undefined
      : openAIJudge({ url: judgeUrl, model: judgeModel, apiKey: process.env.RA_RFT_JUDGE_KEY ?? process.env.OPENAI_API_KEY, cacheDir: o.judgeCache ?? join(out, 'judge-cache'), concurrency, retries });
  const progress = new ProgressBar(io.stderr, 'evaluating', { quiet, lineIntervalMs: o.progressEvery * 1000 });
  let result: EvaluationResult;
  try {
    result = await evaluatePredictions(parsed.items, {
      profile,
      noAnswer,
      stripEndTokens: !o.keepEndTokens,
      embedder,
      embedderName,
      judge,
      onProgress: (stage, done, total) => progress.update(done / Math.max(1, total), done, stage === 'judge' ? 'judged' : 'explanations'),
    });
  } catch (error) {
    progress.done();
    if (!isRaRftError(error)) throw error;
    io.stderr.write(`ra-rft-rewards evaluate: ${error.message}\n`);
    return EXIT.failed;
  }
  progress.done();
  if (judge !== undefined) log(`judge: ${judge.name}: ${judge.stats.requests} requests (${judge.stats.retries} retries), ${judge.stats.cacheHits} cached answers`);

  const command = ['ra-rft-rewards', 'evaluate', ...argv].join(' ');
  const record = {
    command,
    input: { file: input, format: parsed.format, kinds: parsed.kinds, records: parsed.records, skipped: parsed.errors },
    ...result.metrics,
  };
  try {
    writeFileSync(join(out, 'metrics.json'), `${JSON.stringify(record, null, 2)}\n`);
    writeFileSync(join(out, 'items.jsonl'), result.items.map((item) => JSON.stringify(item)).join('\n') + (result.items.length > 0 ? '\n' : ''));
    writeFileSync(join(out, 'summary.md'), renderMarkdown(result.metrics, input, command));
    if (o.html) writeFileSync(join(out, 'report.html'), await renderHtml(result, input, command));
  } catch (error) {
    if (error instanceof Error && error.name === 'ReportDependencyError') {
      io.stderr.write(`ra-rft-rewards evaluate: ${error.message}\n`);
      return EXIT.failed;
    }
    io.stderr.write(`ra-rft-rewards evaluate: cannot write ${out}: ${(error as Error).message}\n`);
    return EXIT.io;
  }
  const m = result.metrics;
  io.stdout.write(
    `${textTable(paperTable(m))}\n` +
      `confusion TP ${m.relevance.confusion.TP}  FP ${m.relevance.confusion.FP}  FN ${m.relevance.confusion.FN}  TN ${m.relevance.confusion.TN}; ` +
      `skipped records ${parsed.errors.length}; embedder ${m.explanation?.embedder ?? 'none'}; judge ${m.judged?.judge ?? 'none'}\n` +
      `wrote ${join(out, 'metrics.json')}, items.jsonl, summary.md${!o.html ? '' : ', report.html'}\n`,
  );
  return EXIT.ok;
}

export const command: Command = {
  summary: "evaluate model outputs with the RA-RFT paper's protocol (relevance, RA-IoU, R@k, judged metrics)",
  help,
  run: runEvaluate,
};
