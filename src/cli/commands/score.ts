import { readFileSync, truncateSync } from 'node:fs';
import { z } from 'zod';
import { classifyAnswer } from '../../grounding/classify-answer.js';
import { isRaRftError } from '../../errors.js';
import { type RaRftPart, type RaRftRewardResult, raRftRewardBatch } from '../../profiles/ra-rft-reward.js';
import type { RewardProfile } from '../../types.js';
import { END_TOKEN_HELP, END_TOKEN_OPTIONS, endTokensOption, parseCommandArgs } from '../args.js';
import { isEmbedderUnavailableError } from '../../embeddings/errors.js';
import { RA_RFT_PARTS } from '../../internal/reward-parts.js';
import { checkOptions, helpLines, optionFields, parseArgsOptions, valuesFromFlags } from '../../internal/option-schema.js';
import type { Embedder } from '../../types.js';
import { IoFault, LineOutput, isSystemError, openInput } from '../output.js';
import { endTokenStripper } from '../../format/end-token-stripper.js';
import { type Command, type CommandIO, EXIT, UsageError } from '../command.js';
import { EMBEDDER_CHOICES, type EmbedderFlag, chooseEmbedder, isOpenAIEmbedderFlag } from '../embedder-choice.js';
import { jsonLines } from '../../internal/edge/json-lines.js';
import { VARIANTS, VARIANTS_BY_ID } from '../../variants/registry.js';
import type { BuiltinVariant } from '../../variants/types.js';
import { ProgressBar } from '../progress.js';
import { type ScoreItem, parseScoreLine } from '../score-input.js';

const PARTS: readonly RaRftPart[] = RA_RFT_PARTS;

/** Parses `format=1,refuseIoU=0.5`. */
export function parseWeights(text: string | undefined): Partial<Record<RaRftPart, number>> | undefined {
  if (text === undefined) return undefined;
  const weights: Partial<Record<RaRftPart, number>> = {};
  for (const pair of text.split(',').filter(Boolean)) {
    const [key, value] = pair.split('=');
    if (key === undefined || !(PARTS as readonly string[]).includes(key)) throw new UsageError(`--weights: unknown part '${key ?? ''}' (parts: ${PARTS.join(', ')})`);
    const weight = Number(value);
    if (value === undefined || value.trim() === '' || !Number.isFinite(weight)) throw new UsageError(`--weights: ${key} needs a number, got '${value ?? ''}'`);
    weights[key as RaRftPart] = weight;
  }
  return weights;
}

/** Running means and counts for the summary table. */
class Summary {
  completions = 0;
  malformedLines = 0;
  readonly sums = { total: 0, format: 0, refuseIoU: 0, explain: 0, correction: 0 };
  readonly answers = { span: 0, refusal: 0, none: 0 };
  readonly byTarget = { relevant: 0, irrelevant: 0, refusedIrrelevant: 0, refusedRelevant: 0 };

  add(item: ScoreItem, result: RaRftRewardResult, answer: 'span' | 'refusal' | 'none'): void {
    this.completions++;
    for (const key of Object.keys(this.sums) as (keyof typeof this.sums)[]) this.sums[key] += result[key];
    this.answers[answer]++;
    if (item.target.relevant) {
      this.byTarget.relevant++;
      if (answer === 'refusal') this.byTarget.refusedRelevant++;
    } else {
      this.byTarget.irrelevant++;
      if (answer === 'refusal') this.byTarget.refusedIrrelevant++;
    }
  }

  table(embedder: string, profile: RewardProfile, seconds: number, skipped: readonly string[] = []): string {
    const n = Math.max(1, this.completions);
    const rate = (part: number, whole: number) => (whole === 0 ? 'n/a' : (part / whole).toFixed(4));
    const rows: [string, string][] = [
      ['completions', String(this.completions)],
      ...Object.entries(this.sums).map(([key, sum]): [string, string] => [`mean ${key}`, skipped.includes(key) ? 'skipped' : (sum / n).toFixed(4)]),
      ['refusal rate (all)', rate(this.answers.refusal, this.completions)],
      ['refusal rate (irrelevant targets)', rate(this.byTarget.refusedIrrelevant, this.byTarget.irrelevant)],
      ['refusal rate (relevant targets)', rate(this.byTarget.refusedRelevant, this.byTarget.relevant)],
      ['answers without span or refusal', String(this.answers.none)],
      ['malformed lines', String(this.malformedLines)],
      ['profile', profile],
      ['embedder', embedder],
      ['completions/s', (this.completions / Math.max(seconds, 1e-3)).toFixed(0)],
    ];
    const width = Math.max(...rows.map(([key]) => key.length));
    return `${rows.map(([key, value]) => `${key.padEnd(width)}  ${value}`).join('\n')}\n`;
  }
}

/**
 * The options of `ra-rft-rewards score`: the one definition its flags, `--help` lines and the docs table come from.
 * Fields without a `flag` in their meta are positional or library-side.
 */
export const scoreOptionsSchema = z.object({
  out: z.string().optional().describe('write results to FILE').meta({ flag: 'out', arg: 'FILE', shownDefault: 'standard output' }),
  resume: z
    .boolean()
    .default(false)
    .describe('continue a killed run: keep --out FILE up to its last whole line, drop the records of that last input line, score from there on')
    .meta({ flag: 'resume' }),
  variant: z
    .string()
    .refine((id) => VARIANTS_BY_ID.has(id), { message: `must be a built-in variant (${VARIANTS.map((v) => v.id).join(', ')})` })
    .optional()
    .describe("score with a built-in variant instead of the RA-RFT reward; a line's `extras` object passes the variant's extra inputs by name (e.g. TaRO's diffLogProb)")
    .meta({ flag: 'variant', arg: 'ID' }),
  groupSize: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('with a group variant (video-r1-t-grpo): completions per group, on consecutive lines; a group input comes from its first line')
    .meta({ flag: 'group-size', arg: 'G' }),
  embedder: z
    .string()
    .refine((value) => (EMBEDDER_CHOICES as readonly string[]).includes(value) || isOpenAIEmbedderFlag(value), { message: `must be one of ${EMBEDDER_CHOICES.join(', ')} or openai:URL#MODEL` })
    .default('auto')
    .describe(
      'auto | minilm | use-lite | trigram | openai:URL#MODEL (auto: MiniLM when its files are found or the hub answers, else the offline USE-lite; openai: any server that speaks OpenAI\'s /v1/embeddings, key from RA_RFT_EMBEDDINGS_API_KEY; the choice is printed)',
    )
    .meta({ flag: 'embedder', arg: 'NAME' }),
  embedderPath: z.string().optional().describe('a MiniLM model folder, or a folder of model folders, to load offline (never asks the hub)').meta({ flag: 'embedder-path', arg: 'DIR' }),
  profile: z.enum(['ra-rft', 'strict']).default('ra-rft').describe('ra-rft (the reference) | strict').meta({ flag: 'profile', arg: 'NAME' }),
  parts: z
    .string()
    .optional()
    .describe(`the parts to score, e.g. format,refuseIoU (default all: ${RA_RFT_PARTS.join(',')}); a part left out, or weighted 0, is not computed, written as null, and its target fields are not required`)
    .meta({ flag: 'parts', arg: 'LIST' }),
  weights: z.string().optional().describe('weights of the total, e.g. format=1,refuseIoU=1,explain=0.5,correction=0.5 (default 1 each)').meta({ flag: 'weights', arg: 'LIST' }),
  thinkPrefilled: z.boolean().default(false).describe('the chat template opened <think>: prepend it before the format check').meta({ flag: 'think-prefilled' }),
  onError: z.enum(['fail', 'skip']).default('fail').describe('fail: stop at the first malformed line, exit 1; skip: report it, write {"line", "error"} in its place, go on').meta({ flag: 'on-error', arg: 'MODE' }),
  batchSize: z.number().int().min(1).default(64).describe('completions per embedding call').meta({ flag: 'batch-size', arg: 'N' }),
  progressEvery: z.number().min(0).default(10).describe('when standard error is not a terminal: seconds between progress lines (0: every batch)').meta({ flag: 'progress-every', arg: 'S' }),
  quiet: z.boolean().default(false).describe('no progress and no summary').meta({ flag: 'quiet' }),
});

const SCORE_FIELDS = optionFields(scoreOptionsSchema);

const help = `Usage: ra-rft-rewards score IN.jsonl [options]

Scores every completion of IN.jsonl (use - for standard input) with the four RA-RFT rewards and writes
one JSON line per completion: {"line", "id"?, "kind"?, "index"?, "total", "format", "refuseIoU",
"explain", "correction", "explainAndCorrection", "answer": "span"|"refusal"|"none"}.

Input lines:
  {"completion": "<think>…</think><answer>…</answer><correction>…</correction>", "target": {…}, "id"?: …}
  or a HI-VTG item with "completions": {"relevant": ["…"], "irrelevant": ["…"]}
Target: {"relevant": bool, "span": [s, e], "duration": s, "answer": "…", "contrast": "…", "query"?: "…"}
  span and duration are required for relevant targets when refuseIoU is scored; answer and contrast
  whenever explain is scored (see --parts). query is the correction reward's reference (irrelevant targets).

Options:
${helpLines(SCORE_FIELDS)}
${END_TOKEN_HELP}

On a terminal a progress bar is drawn; otherwise a progress line goes to standard error every
--progress-every seconds. A summary table (mean of each reward, refusal rate, embedder) follows at the end.
Exit codes: 0 ok, 1 a malformed line under --on-error fail, 2 bad usage, 3 unreadable input, unwritable
output or missing model files (one line, with the count of lines written).
`;

/** Which parts a run scores: `--parts` (default all) less the ones weighted 0. */
export function scoredParts(parts: string | undefined, weights: Partial<Record<RaRftPart, number>> | undefined): RaRftPart[] {
  let chosen: RaRftPart[] = [...PARTS];
  if (parts !== undefined) {
    const names = parts.split(',').filter(Boolean);
    for (const name of names) if (!(PARTS as readonly string[]).includes(name)) throw new UsageError(`--parts: unknown part '${name}' (parts: ${PARTS.join(', ')})`);
    chosen = PARTS.filter((part) => names.includes(part));
  }
  chosen = chosen.filter((part) => weights?.[part] !== 0);
  if (chosen.length === 0) throw new UsageError('--parts and --weights leave no part to score');
  return chosen;
}

/**
 * For `--resume`: the output's bytes to keep and the input line to restart from. Keeps whole lines only (a
 * killed run can leave half a line) and drops the records of the last input line seen, which a HI-VTG item
 * spreads over several records that may not all have been written; that line is scored again (scores are
 * deterministic, so nothing changes).
 */
export function resumePoint(text: string): { keepBytes: number; fromLine: number; kept: number } {
  const whole = text.lastIndexOf('\n') + 1;
  const lines = text.slice(0, whole).split('\n').slice(0, -1);
  const inputLineOf = (record: string): number | null => {
    try {
      const line = (JSON.parse(record) as { line?: unknown }).line;
      return typeof line === 'number' && Number.isInteger(line) ? line : null;
    } catch {
      return null;
    }
  };
  const last = lines.length === 0 ? null : inputLineOf(lines.at(-1) as string);
  if (last === null) {
    if (lines.length > 0) throw new UsageError('--resume: the last whole line of --out is not a score record; is it the right file?');
    return { keepBytes: 0, fromLine: 1, kept: 0 };
  }
  let keep = lines.length;
  while (keep > 0 && inputLineOf(lines[keep - 1] as string) === last) keep--;
  const keepBytes = Buffer.byteLength(lines.slice(0, keep).map((line) => `${line}\n`).join(''));
  return { keepBytes, fromLine: last, kept: keep };
}

async function runScore(argv: readonly string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...parseArgsOptions(SCORE_FIELDS), ...END_TOKEN_OPTIONS });
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'missing IN.jsonl (use - for standard input)' : `expected one input file, got ${positionals.length}`);
  const input = positionals[0] as string;
  const checked = checkOptions(scoreOptionsSchema, valuesFromFlags(SCORE_FIELDS, values), SCORE_FIELDS);
  if (!checked.ok) throw new UsageError(`--${checked.field?.meta.flag ?? checked.path.join('.')} ${checked.problem}`);
  const o = checked.value;
  const weights = parseWeights(o.weights);
  const variant = o.variant === undefined ? undefined : VARIANTS_BY_ID.get(o.variant);
  if (variant?.scoreGroup !== undefined && o.groupSize === undefined) throw new UsageError(`--variant ${variant.id} scores whole groups: give --group-size G (its completions on consecutive lines)`);
  if (variant !== undefined && variant.scoreGroup === undefined && o.groupSize !== undefined) throw new UsageError(`--group-size goes with a group variant; ${variant.id} scores each completion alone`);
  // A variant reads the span and the refusal only: its targets need relevant, span and duration.
  const parts = variant === undefined ? scoredParts(o.parts, weights) : (['format', 'refuseIoU'] as RaRftPart[]);
  const clean = endTokenStripper(endTokensOption(values));
  if (o.resume && o.out === undefined) throw new UsageError('--resume needs --out FILE (the run to continue)');
  if (o.embedderPath !== undefined && o.embedder !== 'auto' && o.embedder !== 'minilm') throw new UsageError(`--embedder-path is a MiniLM folder; it does not go with --embedder ${o.embedder}`);
  const log = (line: string) => {
    if (!o.quiet) io.stderr.write(`${line}\n`);
  };
  const fail = (message: string) => io.stderr.write(`ra-rft-rewards score: ${message}\n`);

  let resumeFrom = 1;
  let append: number | undefined;
  if (o.resume && o.out !== undefined) {
    let previous = '';
    try {
      previous = readFileSync(o.out, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        fail(new IoFault('read', o.out, error).message);
        return EXIT.io;
      }
    }
    const point = resumePoint(previous);
    resumeFrom = point.fromLine;
    append = point.keepBytes;
    try {
      truncateSync(o.out, point.keepBytes);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        fail(new IoFault('write', o.out, error).message);
        return EXIT.io;
      }
      append = undefined;
    }
    log(`resuming ${o.out}: kept ${point.kept} record(s), scoring from input line ${resumeFrom}`);
  }

  let output: LineOutput | null = null;
  let opened: Awaited<ReturnType<typeof openInput>> | null = null;
  const summary = new Summary();
  const progress = new ProgressBar(io.stderr, 'scoring', { quiet: o.quiet, lineIntervalMs: o.progressEvery * 1000 });
  const started = Date.now();
  let lineNumber = 0;
  let failed = false;
  let embedderName = 'none';
  try {
    opened = await openInput(input, io.stdin);
    output = o.out === undefined ? LineOutput.stream(io.stdout) : await LineOutput.file(o.out, append);
    const embeds = variant === undefined && (parts.includes('explain') || parts.includes('correction'));
    let embedder: Embedder | undefined;
    if (embeds) {
      const chosen = await chooseEmbedder(o.embedder as EmbedderFlag, log, o.embedderPath);
      embedder = chosen.embedder;
      embedderName = chosen.name;
    }
    const options = { embedder: embedder as Embedder, profile: o.profile, thinkPrefilled: o.thinkPrefilled, parts, ...(weights === undefined ? {} : { weights }) };
    const skipped = PARTS.filter((part) => !parts.includes(part));
    const source = opened;
    const sink = output;
    let pending: ScoreItem[] = [];
    // Records of lines skipped under --on-error skip, written in input order between the scored ones; at most
    // a batch of them is held before they are written.
    let pendingOutput: { line: number; text: string }[] = [];
    const flush = async () => {
      if (variant !== undefined) return flushVariant(variant);
      const results = pending.length === 0 ? [] : await raRftRewardBatch(pending.map((i) => i.completion), pending.map((i) => i.target), options);
      const lines: { line: number; text: string }[] = pendingOutput;
      results.forEach((result, k) => {
        const item = pending[k] as ScoreItem;
        const answer = classifyAnswer(item.completion, { profile: o.profile });
        summary.add(item, result, answer);
        const scores: Record<string, number | null> = { ...result };
        for (const part of skipped) scores[part] = null;
        if (skipped.includes('explain') && skipped.includes('correction')) scores.explainAndCorrection = null;
        const record = {
          line: item.line,
          ...(item.id === undefined ? {} : { id: item.id }),
          ...(item.kind === undefined ? {} : { kind: item.kind, index: item.index }),
          ...scores,
          answer,
        };
        lines.push({ line: item.line, text: JSON.stringify(record) });
      });
      lines.sort((a, b) => a.line - b.line);
      pending = [];
      pendingOutput = [];
      await sink.write(lines.map((l) => l.text));
      progress.update(source.size === null ? null : Math.min(1, source.bytesRead() / Math.max(1, source.size)), summary.completions, 'completions');
    };

    /** `--variant`: each item's reward (or each group's) under the registry descriptor, its extras passed by name. */
    const flushVariant = async (descriptor: BuiltinVariant) => {
      const lines: { line: number; text: string }[] = pendingOutput;
      const known = new Set(descriptor.extras.map((extra) => extra.name));
      const write = (item: ScoreItem, reward: number, format: number | null, iou: number | null) => {
        const answer = classifyAnswer(item.completion, { profile: o.profile });
        summary.add(item, { total: reward, format: format ?? 0, refuseIoU: iou ?? 0, explain: 0, correction: 0, explainAndCorrection: 0 }, answer);
        const record = { line: item.line, ...(item.id === undefined ? {} : { id: item.id }), variant: descriptor.id, reward, format, iou, answer };
        lines.push({ line: item.line, text: JSON.stringify(record) });
      };
      const bad = pending.flatMap((item) => Object.keys(item.extras ?? {}).filter((name) => !known.has(name)).map((name) => `line ${item.line}: extras.${name} is not an input of ${descriptor.id} (${[...known].join(', ') || 'it takes none'})`));
      if (bad.length > 0) throw new UsageError(bad[0] as string);
      if (descriptor.scoreGroup !== undefined) {
        const size = o.groupSize as number;
        for (let start = 0; start < pending.length; start += size) {
          const group = pending.slice(start, start + size);
          const first = group[0] as ScoreItem;
          const rewards = descriptor.scoreGroup(group.map((item) => item.completion), first.target, first.extras);
          group.forEach((item, k) => write(item, rewards[k] as number, null, null));
        }
      } else {
        for (const item of pending) {
          const scored = descriptor.parts(item.completion, item.target, item.extras);
          write(item, descriptor.score(item.completion, item.target, item.extras), scored.format, scored.iou);
        }
      }
      lines.sort((a, b) => a.line - b.line);
      pending = [];
      pendingOutput = [];
      await sink.write(lines.map((l) => l.text));
      progress.update(source.size === null ? null : Math.min(1, source.bytesRead() / Math.max(1, source.size)), summary.completions, 'completions');
    };
    // A group variant's groups are never split across two flushes.
    const full = () => pending.length >= o.batchSize && (o.groupSize === undefined || pending.length % o.groupSize === 0);

    for await (const text of readLines(jsonLines(source.source), input)) {
      lineNumber++;
      if (lineNumber < resumeFrom || text.trim() === '') continue;
      const parsed = parseScoreLine(text, lineNumber, parts);
      if (!parsed.ok) {
        summary.malformedLines++;
        progress.done();
        fail(`line ${lineNumber}: ${parsed.error}`);
        if (o.onError === 'fail') {
          failed = true;
          break;
        }
        pendingOutput.push({ line: lineNumber, text: JSON.stringify({ line: lineNumber, error: parsed.error }) });
        if (pendingOutput.length >= o.batchSize) await flush();
        continue;
      }
      for (const item of parsed.items) pending.push({ ...item, completion: clean(item.completion) });
      if (full()) await flush();
    }
    // Under --on-error fail too: every line scored before the bad one is written.
    await flush();
    await output.close();
  } catch (error) {
    progress.done();
    opened?.close();
    // Close (and on a file, cut back to the last whole line) before counting what is on disk.
    await output?.close().catch(() => undefined);
    const written = output === null ? '' : ` (${output.linesWritten} line${output.linesWritten === 1 ? '' : 's'} written${o.out === undefined ? '' : ` to ${o.out}`})`;
    if (error instanceof IoFault) {
      fail(`${error.message}${written}`);
      return EXIT.io;
    }
    if (isEmbedderUnavailableError(error)) {
      fail(`${error.message.split('\n')[0] ?? ''}${o.embedderPath === undefined ? '; point --embedder-path DIR at a model folder' : ''}`);
      return EXIT.io;
    }
    if (isRaRftError(error)) {
      fail(`${error.message}${written}`);
      return EXIT.failed;
    }
    throw error;
  }
  opened.close();
  progress.done();
  if (failed) {
    fail(`stopped at line ${lineNumber} (use --on-error skip to go on past malformed lines); ${output.linesWritten} line(s) written`);
    return EXIT.failed;
  }
  if (!o.quiet) io.stderr.write(summary.table(embedderName, o.profile, (Date.now() - started) / 1000, PARTS.filter((part) => !parts.includes(part))));
  return EXIT.ok;
}

/** The lines of `source`, with a read error turned into an {@link IoFault} naming the input. */
async function* readLines(lines: AsyncIterable<string>, input: string): AsyncGenerator<string> {
  try {
    yield* lines;
  } catch (error) {
    if (isSystemError(error)) throw new IoFault('read', input === '-' ? 'standard input' : input, error);
    throw error;
  }
}

export const command: Command = {
  summary: 'score a JSONL file of completions with every RA-RFT reward',
  help,
  run: runScore,
};
