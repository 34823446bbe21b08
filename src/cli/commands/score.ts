import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { classifyAnswer } from '../../grounding/classify-answer.js';
import { isRaRftError } from '../../errors.js';
import { type RaRftPart, type RaRftRewardResult, raRftRewardBatch } from '../../profiles/ra-rft-reward.js';
import type { RewardProfile } from '../../types.js';
import { END_TOKEN_HELP, END_TOKEN_OPTIONS, choiceOption, endTokensOption, numberOption, parseCommandArgs } from '../args.js';
import { endTokenStripper } from '../../format/end-token-stripper.js';
import { type Command, type CommandIO, EXIT, UsageError } from '../command.js';
import { EMBEDDER_CHOICES, chooseEmbedder } from '../embedder-choice.js';
import { jsonLines } from '../lines.js';
import { ProgressBar } from '../progress.js';
import { type ScoreItem, parseScoreLine } from '../score-input.js';

const help = `Usage: ra-rft-rewards score IN.jsonl [options]

Scores every completion of IN.jsonl (use - for standard input) with the four RA-RFT rewards and writes
one JSON line per completion: {"line", "id"?, "kind"?, "index"?, "total", "format", "refuseIoU",
"explain", "correction", "explainAndCorrection", "answer": "span"|"refusal"|"none"}.

Input lines:
  {"completion": "<think>…</think><answer>…</answer><correction>…</correction>", "target": {…}, "id"?: …}
  or a HI-VTG item with "completions": {"relevant": ["…"], "irrelevant": ["…"]}
Target: {"relevant": bool, "span"?: [s, e], "duration"?: s, "answer"?, "contrast"?, "query"?}

Options:
  --out FILE              write results to FILE (default: standard output)
  --embedder NAME         auto | minilm | use-lite | trigram (default auto: MiniLM when its files are
                          available, else the offline USE-lite; the choice is always printed)
  --profile NAME          ra-rft (reference, default) | strict
  --weights LIST          weights of the total, e.g. format=1,refuseIoU=1,explain=0.5,correction=0.5
  --think-prefilled       the chat template opened <think>: prepend it before the format check
  --on-error MODE         fail (default): stop at the first malformed line, exit 1;
                          skip: report it, write {"line", "error"} in its place, go on
  --batch-size N          completions per embedding call (default 64)
${END_TOKEN_HELP}
  --quiet                 no progress bar and no summary

A progress bar is drawn on a terminal; a summary table (mean of each reward, refusal rate, embedder)
goes to standard error at the end.
Exit codes: 0 ok, 1 a malformed line under --on-error fail, 2 bad usage, 3 unreadable input or unwritable output.
`;

const PARTS: readonly RaRftPart[] = ['format', 'refuseIoU', 'explain', 'correction'];

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

  table(embedder: string, profile: RewardProfile, seconds: number): string {
    const n = Math.max(1, this.completions);
    const rate = (part: number, whole: number) => (whole === 0 ? 'n/a' : (part / whole).toFixed(4));
    const rows: [string, string][] = [
      ['completions', String(this.completions)],
      ...Object.entries(this.sums).map(([key, sum]): [string, string] => [`mean ${key}`, (sum / n).toFixed(4)]),
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

async function runScore(argv: readonly string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    out: { type: 'string' },
    embedder: { type: 'string' },
    profile: { type: 'string' },
    weights: { type: 'string' },
    'think-prefilled': { type: 'boolean' },
    'on-error': { type: 'string' },
    'batch-size': { type: 'string' },
    quiet: { type: 'boolean' },
    ...END_TOKEN_OPTIONS,
  });
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'missing IN.jsonl (use - for standard input)' : `expected one input file, got ${positionals.length}`);
  const input = positionals[0] as string;
  const embedderChoice = choiceOption('embedder', values.embedder, EMBEDDER_CHOICES, 'auto');
  const profile = choiceOption('profile', values.profile, ['ra-rft', 'strict'] as const, 'ra-rft');
  const onError = choiceOption('on-error', values['on-error'], ['fail', 'skip'] as const, 'fail');
  const batchSize = numberOption('batch-size', values['batch-size'], 64, { min: 1, integer: true });
  const weights = parseWeights(values.weights);
  const clean = endTokenStripper(endTokensOption(values));
  const quiet = values.quiet === true;
  const log = (line: string) => {
    if (!quiet) io.stderr.write(`${line}\n`);
  };

  const fail = (message: string) => io.stderr.write(`ra-rft-rewards score: ${message}\n`);
  let totalBytes: number | null = null;
  let source: NodeJS.ReadableStream & { bytesRead?: number };
  if (input === '-') {
    source = io.stdin;
  } else {
    try {
      const stat = statSync(input);
      if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      totalBytes = stat.size;
    } catch (error) {
      fail(`cannot read ${input}: ${ioMessage(error)}`);
      return EXIT.io;
    }
    source = createReadStream(input);
  }
  const output: NodeJS.WritableStream = values.out === undefined ? io.stdout : createWriteStream(values.out);
  // An output error (ENOSPC, EPIPE when the reader went away…) is kept and ends the run with exit 3.
  let outputError: unknown = null;
  const onOutputError = (error: unknown) => {
    outputError ??= error;
  };
  output.on('error', onOutputError);
  if (values.out !== undefined) {
    try {
      await Promise.race([once(output, 'open'), once(output, 'error').then(([error]) => Promise.reject(error))]);
    } catch (error) {
      fail(`cannot write ${values.out}: ${ioMessage(error)}`);
      return EXIT.io;
    }
  }
  const write = async (text: string): Promise<void> => {
    if (outputError !== null) throw new OutputError(outputError);
    if (!output.write(text)) await Promise.race([once(output, 'drain'), once(output, 'error')]).catch(onOutputError);
    if (outputError !== null) throw new OutputError(outputError);
  };

  const chosen = await chooseEmbedder(embedderChoice, log);
  const options = { embedder: chosen.embedder, profile, thinkPrefilled: values['think-prefilled'] === true, ...(weights === undefined ? {} : { weights }) };
  const summary = new Summary();
  const progress = new ProgressBar(io.stderr, 'scoring');
  const started = Date.now();
  let pending: ScoreItem[] = [];
  // Records of lines skipped under --on-error skip, written in input order between the scored ones; at most a
  // batch of them is held before they are written.
  let pendingOutput: { line: number; text: string }[] = [];

  const flush = async () => {
    const results = pending.length === 0 ? [] : await raRftRewardBatch(pending.map((i) => i.completion), pending.map((i) => i.target), options);
    const lines: { line: number; text: string }[] = pendingOutput;
    results.forEach((result, k) => {
      const item = pending[k] as ScoreItem;
      const answer = classifyAnswer(item.completion, { profile });
      summary.add(item, result, answer);
      const record = {
        line: item.line,
        ...(item.id === undefined ? {} : { id: item.id }),
        ...(item.kind === undefined ? {} : { kind: item.kind, index: item.index }),
        ...result,
        answer,
      };
      lines.push({ line: item.line, text: JSON.stringify(record) });
    });
    lines.sort((a, b) => a.line - b.line);
    pending = [];
    pendingOutput = [];
    if (lines.length > 0) await write(`${lines.map((l) => l.text).join('\n')}\n`);
    progress.update(totalBytes === null ? null : Math.min(1, (source.bytesRead ?? 0) / Math.max(1, totalBytes)), summary.completions, 'completions');
  };

  let lineNumber = 0;
  let failed = false;
  let exit: number = EXIT.ok;
  try {
    for await (const text of jsonLines(source as AsyncIterable<Buffer>)) {
      lineNumber++;
      if (text.trim() === '') continue;
      const parsed = parseScoreLine(text, lineNumber);
      if (!parsed.ok) {
        summary.malformedLines++;
        progress.done();
        fail(`line ${lineNumber}: ${parsed.error}`);
        if (onError === 'fail') {
          failed = true;
          break;
        }
        pendingOutput.push({ line: lineNumber, text: JSON.stringify({ line: lineNumber, error: parsed.error }) });
        if (pendingOutput.length >= batchSize) await flush();
        continue;
      }
      for (const item of parsed.items) pending.push({ ...item, completion: clean(item.completion) });
      if (pending.length >= batchSize) await flush();
    }
    // Under --on-error fail too: every line scored before the bad one is written.
    await flush();
  } catch (error) {
    progress.done();
    if (error instanceof OutputError) {
      fail(`cannot write ${values.out ?? 'standard output'}: ${ioMessage(error.cause)}`);
      exit = EXIT.io;
    } else if (isRaRftError(error)) {
      fail(error.message);
      failed = true;
    } else if (isIoError(error)) {
      fail(`cannot read ${input === '-' ? 'standard input' : input}: ${ioMessage(error)}`);
      exit = EXIT.io;
    } else {
      throw error;
    }
  } finally {
    if ('destroy' in source && typeof source.destroy === 'function' && source !== io.stdin) source.destroy();
    if (output !== io.stdout) {
      output.end();
      await Promise.race([once(output, 'finish'), once(output, 'error')]).catch(() => undefined);
    }
    output.off('error', onOutputError);
  }
  progress.done();
  if (exit !== EXIT.ok) return exit;
  if (outputError !== null) {
    fail(`cannot write ${values.out ?? 'standard output'}: ${ioMessage(outputError)}`);
    return EXIT.io;
  }
  if (failed) {
    fail(`stopped at line ${lineNumber} (use --on-error skip to go on past malformed lines)`);
    return EXIT.failed;
  }
  if (!quiet) io.stderr.write(summary.table(chosen.name, profile, (Date.now() - started) / 1000));
  return EXIT.ok;
}

/** An error of the output stream, raised out of the scoring loop. */
class OutputError extends Error {
  constructor(override readonly cause: unknown) {
    super('output failed');
  }
}

function isIoError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}

/** One line for an I/O error: its message without a stack, e.g. `ENOSPC: no space left on device`. */
function ioMessage(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const message = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
  return code !== undefined && !message.includes(code) ? `${code}: ${message}` : message;
}

export const command: Command = {
  summary: 'score a JSONL file of completions with every RA-RFT reward',
  help,
  run: runScore,
};
