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
import { choiceOption, numberOption, parseCommandArgs } from '../args.js';
import { type Command, type CommandIO, EXIT, UsageError } from '../command.js';
import { EMBEDDER_CHOICES, chooseEmbedder } from '../embedder-choice.js';
import { ProgressBar } from '../progress.js';

const help = `Usage: ra-rft-rewards evaluate IN --out DIR [options]
       ra-rft-rewards evaluate --compare A/metrics.json B/metrics.json [--out DIR]

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
  --out DIR                 output folder (created when missing)
  --embedder NAME           auto | minilm | use-lite | trigram | none (default auto; the one that ran is
                            printed and recorded: the reference used all-mpnet-base-v2)
  --profile NAME            how answers are read: ra-rft (default) | strict
  --no-answer MODE          an output without an answer: wrong (default, a wrong decision) | irrelevant
  --keep-end-tokens         do not strip trailing end-of-turn / pad tokens
  --on-error MODE           fail (default): a malformed record stops the run, exit 1;
                            skip: report it, leave it out (listed in metrics.json "input.skipped"), go on
  --judge-url URL           OpenAI-compatible API base, e.g. https://api.openai.com/v1 (judged metrics)
  --judge-model NAME        the judge model (required with --judge-url)
  --judge-cache DIR         judge reply cache (default DIR/judge-cache)
  --judge-concurrency N     requests in flight (default 4)
  --judge-retries N         retries on 429 / 5xx / network errors, with back-off (default 5)
                            The key comes from RA_RFT_JUDGE_KEY, else OPENAI_API_KEY (none: no header).
  --no-html                 skip report.html (needs the optional vega and vega-lite packages)
  --compare A B             print two metrics.json side by side with B - A (and write DIR/compare.md)
  --quiet                   no progress bar and no embedder line
Exit codes: 0 ok, 1 a malformed record under --on-error fail or a failed judge, 2 bad usage, 3 unreadable
input or unwritable output.
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

function runCompare(files: readonly string[], out: string | undefined, io: CommandIO): number {
  if (files.length !== 2) throw new UsageError(`--compare needs two metrics.json files, got ${files.length}`);
  const [a, b] = files as [string, string];
  const left = readJson(a, io);
  const right = readJson(b, io);
  if (left === undefined || right === undefined) return EXIT.io;
  const metricsOf = (value: unknown) => (value !== null && typeof value === 'object' && 'metrics' in value ? (value as { metrics: unknown }).metrics : value);
  const name = (path: string) => basename(dirname(path)) || path;
  const table = compareTable(metricsOf(left), metricsOf(right), [name(a), name(b)]);
  io.stdout.write(`${textTable(table)}\n`);
  if (out !== undefined) {
    try {
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, 'compare.md'), `# RA-RFT evaluation: comparison\n\nA: \`${a}\`, B: \`${b}\`.\n\n${markdownTable(table)}\n`);
    } catch (error) {
      io.stderr.write(`ra-rft-rewards evaluate: cannot write ${out}: ${(error as Error).message}\n`);
      return EXIT.io;
    }
  }
  return EXIT.ok;
}

async function runEvaluate(argv: readonly string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    out: { type: 'string' },
    embedder: { type: 'string' },
    profile: { type: 'string' },
    'no-answer': { type: 'string' },
    'keep-end-tokens': { type: 'boolean' },
    'on-error': { type: 'string' },
    'judge-url': { type: 'string' },
    'judge-model': { type: 'string' },
    'judge-cache': { type: 'string' },
    'judge-concurrency': { type: 'string' },
    'judge-retries': { type: 'string' },
    'no-html': { type: 'boolean' },
    compare: { type: 'boolean' },
    quiet: { type: 'boolean' },
  });
  if (values.compare === true) return runCompare(positionals, values.out, io);
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'missing IN (the model outputs to evaluate)' : `expected one input file, got ${positionals.length}`);
  if (values.out === undefined) throw new UsageError('missing --out DIR');
  const input = positionals[0] as string;
  const out = values.out;
  const embedderChoice = choiceOption('embedder', values.embedder, [...EMBEDDER_CHOICES, 'none'] as const, 'auto');
  const profile = choiceOption('profile', values.profile, ['ra-rft', 'strict'] as const, 'ra-rft');
  const noAnswer = choiceOption('no-answer', values['no-answer'], ['wrong', 'irrelevant'] as const, 'wrong');
  const onError = choiceOption('on-error', values['on-error'], ['fail', 'skip'] as const, 'fail');
  const judgeUrl = values['judge-url'];
  const judgeModel = values['judge-model'];
  if ((judgeUrl === undefined) !== (judgeModel === undefined)) throw new UsageError('--judge-url and --judge-model go together');
  const concurrency = numberOption('judge-concurrency', values['judge-concurrency'], 4, { min: 1, integer: true });
  const retries = numberOption('judge-retries', values['judge-retries'], 5, { min: 0, integer: true });
  const quiet = values.quiet === true;
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
    const chosen = await chooseEmbedder(embedderChoice, log);
    embedder = chosen.embedder;
    embedderName = chosen.name;
  }
  const judge =
    judgeUrl === undefined || judgeModel === undefined
      ? undefined
      : openAIJudge({ url: judgeUrl, model: judgeModel, apiKey: process.env.RA_RFT_JUDGE_KEY ?? process.env.OPENAI_API_KEY, cacheDir: values['judge-cache'] ?? join(out, 'judge-cache'), concurrency, retries });
  const progress = new ProgressBar(io.stderr, 'evaluating');
  let result: EvaluationResult;
  try {
    result = await evaluatePredictions(parsed.items, {
      profile,
      noAnswer,
      stripEndTokens: values['keep-end-tokens'] !== true,
      embedder,
      embedderName,
      judge,
      onProgress: (stage, done, total) => (quiet ? undefined : progress.update(done / Math.max(1, total), done, stage === 'judge' ? 'judged' : 'explanations')),
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
    if (values['no-html'] !== true) writeFileSync(join(out, 'report.html'), await renderHtml(result, input, command));
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
      `wrote ${join(out, 'metrics.json')}, items.jsonl, summary.md${values['no-html'] === true ? '' : ', report.html'}\n`,
  );
  return EXIT.ok;
}

export const command: Command = {
  summary: "evaluate model outputs with the RA-RFT paper's protocol (relevance, RA-IoU, R@k, judged metrics)",
  help,
  run: runEvaluate,
};
