import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { type AuditResult, type CuratedRow, auditDump } from '../../audit/audit-dump.js';
import { AuditInputError } from '../../audit/errors.js';
import type { RescoreEstimate } from '../../audit/estimate-rescore.js';
import type { AuditScoring } from '../../audit/measure-rollout.js';
import { auditOptionFields } from '../../audit/option-fields.js';
import type { AuditOptionsInput } from '../../audit/options.js';
import { renderAuditReport } from '../../audit/render-report.js';
import { renderAuditSummary } from '../../audit/render-summary.js';
import type { AuditPart } from '../../audit/types.js';
import { isEmbedderUnavailableError } from '../../embeddings/errors.js';
import { isEmbeddingServiceError } from '../../embeddings/openai-embedder.js';
import { isRaRftError } from '../../errors.js';
import { formatSeconds } from '../../internal/format-seconds.js';
import type { Embedder } from '../../types.js';
import { VARIANTS_BY_ID } from '../../variants/registry.js';
import { choiceOption, parseCommandArgs } from '../args.js';
import { type Command, type CommandIO, EXIT, UsageError } from '../command.js';
import { EMBEDDER_FLAG_HELP, chooseEmbedder, embedderFlag } from '../embedder-choice.js';

/** Exit code of `audit` when a finding at or above --fail-on fired. */
export const EXIT_FINDINGS = 4;

const FIELDS = auditOptionFields();
const PARTS: readonly AuditPart[] = ['format', 'refuseIoU', 'explain', 'correction'];

const thresholdHelp = FIELDS.map((f) => {
  const range = f.kind === 'choice' ? (f.choices ?? []).join('|') : `${f.min}..${f.max}`;
  return `  ${f.flag.padEnd(40)} ${f.description} (default ${f.default}; ${range})`;
}).join('\n');

const help = `Usage: ra-rft-rewards audit PATH --out DIR [options]

Finds reward hacking and dead signal in a training run from the trainer's own rollout dumps, one streaming
pass with bounded memory. Writes DIR/findings.json (one object per finding: detector, step = the first step
it fired, severity, evidence), DIR/summary.md and DIR/report.html (offline: per-step curves, findings marked).

PATH (the layout is detected):
  a folder of <step>.jsonl          verl's trainer.rollout_data_dir (input, output, gts, score, step, extras)
  a .jsonl file                     one verl step file; TRL's completions table as JSON lines; this package's
                                    score output with a step column; or {step, completion, target, score, group?}
  a .table.json file or folder      a W&B table: TRL's "completions", OpenRLHF's "train/generated_samples"
  a .parquet file or folder         TRL's completions_<step>.parquet (log_completions=True): a file, the
                                    completions/ folder or the output_dir (its train/ folder if any);
                                    needs the optional peer hyparquet (npm install hyparquet)
  generations.log (or its folder)   EasyR1's FileGenerationLogger (validation samples; blocks become steps)
Rollouts are grouped as the trainer grouped them: a group/uid column, else the prompt, within a step.

Options:
  --out DIR                 output folder (created when missing)
  --fail-on LEVEL           info | warning (default) | error | never: exit 4 when a finding at or above it fired
  --reward WHAT             what the logged score is, for score-mismatch: total (default: the weighted four
                            parts, checked where explain and correction are logged) or a variant id
  --weights LIST            the run's weights, e.g. format=1,refuseIoU=1,explain=0.5,correction=0.5
  --think-prefilled         the chat template opened <think>: prepend it before the format check
  --rescore PROFILE         replay: re-score under ra-rft | strict and compare detectors and advantages
  --variant ID              replay under a built-in variant (${[...VARIANTS_BY_ID.values()].filter((v) => v.extras.length === 0).map((v) => v.id).join(', ')})
  --replay-weights LIST     replay with these weights
  --embedder NAME           re-compute explain and correction with this embedder (opt-in; slow on a big dump):
                            ${EMBEDDER_FLAG_HELP.replace(/\n {26}/g, '\n                            ')}
                            Checked against the logged parts (score-mismatch: use the run's embedder), used where
                            the dump logged none, and in a replay. Before it starts, the first rollouts are
                            embedded and timed, and the time the whole will take is printed.
  --embedder-path DIR       a MiniLM model folder (or a folder of them), loaded offline, for --embedder minilm
  --curate OUT.jsonl        write the prompts kept by the difficulty rule (--curate-* thresholds), one per line
  --no-html                 skip report.html
  --quiet                   no progress lines (an --embedder estimate is still printed)
Thresholds (docs/audit.md):
${thresholdHelp}

Progress lines go to standard error (also when it is not a terminal).
Exit codes: 0 nothing fired at or above --fail-on, 4 something did, 2 bad usage or an unreadable layout,
3 a file could not be read or written.
`;

function weightsOption(name: string, text: string | undefined): Partial<Record<AuditPart, number>> | undefined {
  if (text === undefined) return undefined;
  const weights: Partial<Record<AuditPart, number>> = {};
  for (const pair of text.split(',').filter(Boolean)) {
    const [key, value] = pair.split('=');
    if (key === undefined || !(PARTS as readonly string[]).includes(key)) throw new UsageError(`--${name}: unknown part '${key ?? ''}' (parts: ${PARTS.join(', ')})`);
    const weight = Number(value);
    if (value === undefined || value.trim() === '' || !Number.isFinite(weight)) throw new UsageError(`--${name}: ${key} needs a number, got '${value ?? ''}'`);
    weights[key as AuditPart] = weight;
  }
  return weights;
}

function thresholdsOf(values: Record<string, string | boolean | undefined>): AuditOptionsInput {
  const input: Record<string, unknown> = {};
  for (const f of FIELDS) {
    const raw = values[f.flag.slice(2)];
    if (typeof raw !== 'string') continue;
    let value: number | string = raw;
    if (f.kind === 'choice') {
      if (!(f.choices ?? []).includes(raw)) throw new UsageError(`${f.flag} must be one of ${(f.choices ?? []).join(', ')}, got '${raw}'`);
    } else {
      value = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(value) || (f.kind === 'integer' && !Number.isInteger(value)) || (f.min !== undefined && value < f.min) || (f.max !== undefined && value > f.max)) {
        throw new UsageError(`${f.flag} must be ${f.kind === 'integer' ? 'an integer' : 'a number'} in ${f.min}..${f.max}, got '${raw}'`);
      }
    }
    const [head, leaf] = f.path as [string, string | undefined];
    if (leaf === undefined) input[head] = value;
    else input[head] = { ...(input[head] as object | undefined), [leaf]: value };
  }
  return input as AuditOptionsInput;
}

const RANK = { info: 0, warning: 1, error: 2 } as const;

async function runAudit(argv: readonly string[], io: CommandIO): Promise<number> {
  const thresholdFlags = Object.fromEntries(FIELDS.map((f) => [f.flag.slice(2), { type: 'string' as const }]));
  const { values, positionals } = parseCommandArgs(argv, {
    out: { type: 'string' },
    'fail-on': { type: 'string' },
    reward: { type: 'string' },
    weights: { type: 'string' },
    'think-prefilled': { type: 'boolean' },
    rescore: { type: 'string' },
    variant: { type: 'string' },
    'replay-weights': { type: 'string' },
    curate: { type: 'string' },
    embedder: { type: 'string' },
    'embedder-path': { type: 'string' },
    'no-html': { type: 'boolean' },
    quiet: { type: 'boolean' },
    ...thresholdFlags,
  });
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'missing PATH (a rollout dump)' : `expected one PATH, got ${positionals.length}`);
  if (values.out === undefined) throw new UsageError('missing --out DIR');
  const path = positionals[0] as string;
  const out = values.out;
  const failOn = choiceOption('fail-on', values['fail-on'], ['info', 'warning', 'error', 'never'] as const, 'warning');
  const reward = values.reward ?? 'total';
  if (reward !== 'total' && !VARIANTS_BY_ID.has(reward)) throw new UsageError(`--reward must be total or a variant id (${[...VARIANTS_BY_ID.keys()].join(', ')}), got '${reward}'`);
  const thresholds = thresholdsOf(values as Record<string, string | boolean | undefined>);
  const scoring: AuditScoring = { weights: weightsOption('weights', values.weights), thinkPrefilled: values['think-prefilled'] === true, ...(reward === 'total' ? {} : { variant: reward }) };
  let replay: AuditScoring | undefined;
  if (values.rescore !== undefined || values.variant !== undefined || values['replay-weights'] !== undefined) {
    const profile = values.rescore === undefined ? undefined : choiceOption('rescore', values.rescore, ['ra-rft', 'strict'] as const, 'ra-rft');
    if (values.variant !== undefined && !VARIANTS_BY_ID.has(values.variant)) throw new UsageError(`--variant must be a variant id (${[...VARIANTS_BY_ID.keys()].join(', ')}), got '${values.variant}'`);
    replay = { ...(profile === undefined ? {} : { profile }), variant: values.variant, weights: weightsOption('replay-weights', values['replay-weights']) };
  }
  const embedderChoice = values.embedder === undefined ? undefined : embedderFlag(values.embedder, 'auto');
  if (values['embedder-path'] !== undefined && embedderChoice !== 'minilm' && embedderChoice !== 'auto') {
    throw new UsageError(`--embedder-path is a MiniLM folder; it goes with --embedder minilm${embedderChoice === undefined ? '' : `, not ${embedderChoice}`}`);
  }
  const quiet = values.quiet === true;
  const fail = (message: string) => io.stderr.write(`ra-rft-rewards audit: ${message}\n`);

  try {
    mkdirSync(out, { recursive: true });
  } catch (error) {
    fail(`cannot write ${out}: ${(error as Error).message}`);
    return EXIT.io;
  }
  let curateStream: NodeJS.WritableStream | null = null;
  let curateError: unknown = null;
  if (values.curate !== undefined) {
    const stream = createWriteStream(values.curate);
    stream.on('error', (error) => (curateError ??= error));
    try {
      await Promise.race([once(stream, 'open'), once(stream, 'error').then(([error]) => Promise.reject(error))]);
    } catch (error) {
      fail(`cannot write ${values.curate}: ${(error as Error).message}`);
      return EXIT.io;
    }
    curateStream = stream;
  }

  let embedder: Embedder | undefined;
  if (embedderChoice !== undefined) {
    try {
      embedder = (await chooseEmbedder(embedderChoice, (line) => quiet || io.stderr.write(`audit: ${line}\n`), values['embedder-path'])).embedder;
    } catch (error) {
      if (!isEmbedderUnavailableError(error)) throw error;
      fail(`${error.message.split('\n')[0] ?? ''}${values['embedder-path'] === undefined ? '; point --embedder-path DIR at a model folder' : ''}`);
      return EXIT.io;
    }
  }

  const started = Date.now();
  let passStarted = started;
  let lastLine = 0;
  const progress = ({ rollouts, bytes, totalBytes }: { rollouts: number; bytes: number; totalBytes: number }) => {
    if (quiet) return;
    const now = Date.now();
    if (now - lastLine < 1000) return;
    lastLine = now;
    const seconds = Math.max(1e-3, (now - passStarted) / 1000);
    const rate = rollouts / seconds;
    const share = totalBytes > 0 ? ` (${Math.min(100, (100 * bytes) / totalBytes).toFixed(0)}% of ${(totalBytes / 2 ** 20).toFixed(0)} MiB)` : '';
    const left = totalBytes > 0 && bytes > 0 ? `, about ${formatSeconds((seconds * (totalBytes - bytes)) / bytes)} left` : '';
    io.stderr.write(`audit: ${rollouts.toLocaleString('en-US')} rollouts${share}, ${Math.round(rate).toLocaleString('en-US')}/s${left}\n`);
  };
  // Said before the re-scoring starts, also under --quiet: it is the one line that says what the run will cost.
  const estimated = (e: RescoreEstimate) => {
    passStarted = Date.now();
    const count = (n: number) => Math.round(n).toLocaleString('en-US');
    io.stderr.write(
      `audit: re-scoring explain and correction with ${e.embedder} will take about ${formatSeconds(e.seconds)}: ` +
        `${e.wholeDump ? '' : 'about '}${count(e.rollouts)} rollouts, ${count(e.texts)} distinct texts at ${count(e.textsPerSecond)} texts/s ` +
        `(timed on ${count(e.sampleRollouts)} of the first rollouts; the first call took ${e.loadSeconds.toFixed(1)} s)\n`,
    );
  };
  let result: AuditResult;
  try {
    result = await auditDump(path, {
      thresholds,
      scoring,
      replay,
      onProgress: progress,
      ...(embedder === undefined ? {} : { embedder, onEstimate: estimated }),
      ...(curateStream === null ? {} : { onCurated: (row: CuratedRow) => void curateStream?.write(`${JSON.stringify(row)}\n`) }),
    });
  } catch (error) {
    curateStream?.end();
    if (isEmbeddingServiceError(error)) {
      fail(`the embedder failed: ${error.message.split('\n')[0] ?? ''}`);
      return EXIT.io;
    }
    if (error instanceof AuditInputError) {
      fail(error.message.replace(/^audit: PATH /, ''));
      return EXIT.usage;
    }
    if (isRaRftError(error)) {
      fail(error.message);
      return EXIT.usage;
    }
    const code = (error as NodeJS.ErrnoException | null)?.code;
    if (error instanceof Error && typeof code === 'string') {
      fail(`cannot read ${path}: ${error.message.split('\n')[0]}`);
      return EXIT.io;
    }
    throw error;
  }
  if (curateStream !== null) {
    curateStream.end();
    await Promise.race([once(curateStream, 'finish'), once(curateStream, 'error')]).catch(() => undefined);
    if (curateError !== null) {
      fail(`cannot write ${values.curate}: ${(curateError as Error).message}`);
      return EXIT.io;
    }
  }
  const seconds = (Date.now() - started) / 1000;
  try {
    writeFileSync(join(out, 'findings.json'), `${JSON.stringify(result.findings, null, 2)}\n`);
    writeFileSync(join(out, 'summary.md'), renderAuditSummary(result));
    if (values['no-html'] !== true) writeFileSync(join(out, 'report.html'), renderAuditReport(result));
    if (result.replay !== null) writeFileSync(join(out, 'replay.json'), `${JSON.stringify({ scoring: result.replay.scoring, detectors: result.replay.detectors, advantages: result.replay.advantages, findings: result.replay.findings }, null, 2)}\n`);
  } catch (error) {
    fail(`cannot write ${out}: ${(error as Error).message}`);
    return EXIT.io;
  }
  for (const skipped of result.skipped.slice(0, 5)) fail(`skipped ${skipped.source}: ${skipped.error}`);
  const lines = result.findings.map((f) => `  ${f.severity.padEnd(7)} ${f.detector.padEnd(24)} from step ${f.step}: ${f.message}`);
  io.stdout.write(
    `${result.rollouts} rollouts, ${result.steps.length} steps (${result.format}) in ${seconds.toFixed(1)} s: ` +
      `${result.findings.length === 0 ? 'no detector fired' : `${result.findings.length} finding(s)`}\n` +
      (lines.length === 0 ? '' : `${lines.join('\n')}\n`) +
      (result.curated === null ? '' : `curated ${result.curated} prompts into ${values.curate}\n`) +
      (result.rescore === null ? '' : `re-scored explain and correction with ${result.rescore.embedder} in ${formatSeconds(result.rescore.seconds)} (estimated ${formatSeconds(result.rescore.estimate.seconds)} for the embedding)\n`) +
      `wrote ${join(out, 'findings.json')}, summary.md${values['no-html'] === true ? '' : ', report.html'}${result.replay === null ? '' : ', replay.json'}\n`,
  );
  if (failOn === 'never') return EXIT.ok;
  return result.findings.some((f) => RANK[f.severity] >= RANK[failOn]) ? EXIT_FINDINGS : EXIT.ok;
}

export const command: Command = {
  summary: 'find reward hacking and dead signal in a run from its rollout dumps (verl, TRL, OpenRLHF, EasyR1)',
  help,
  run: runAudit,
};
