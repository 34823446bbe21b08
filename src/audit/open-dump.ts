import { closeSync, createReadStream, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { jsonLines } from '../internal/edge/json-lines.js';
import { AuditInputError } from './errors.js';
import { normalizeRecord } from './normalize-record.js';
import { parquetRollouts } from './read-parquet.js';
import { trlParquetFiles } from './trl-parquet-files.js';
import type { AuditRollout } from './types.js';

/**
 * The layouts `audit` reads:
 * - `verl`: `trainer.rollout_data_dir`, a folder of `<global_step>.jsonl` (verl's `_dump_generations`);
 * - `jsonl`: one file of records (a verl step file, TRL's completions table exported as JSON lines, this
 *   project's `score` output with a step column, or `{step, completion, target, score, group?}` records);
 * - `wandb-table`: a W&B `*.table.json` (`{columns, data}`): TRL's `completions` table, OpenRLHF's
 *   `train/generated_samples`;
 * - `easyr1-log`: EasyR1's `generations.log` (FileGenerationLogger: validation samples, no step: a new block
 *   starts when a prompt repeats);
 * - `trl-parquet`: TRL's `completions_<step>.parquet` (GRPOTrainer with `log_completions=True`): one file, the
 *   `completions/` folder, or the `output_dir` holding it (a `train/` mode folder is taken when there is one);
 *   read with the optional peer `hyparquet`.
 */
export type DumpFormat = 'verl' | 'jsonl' | 'wandb-table' | 'easyr1-log' | 'trl-parquet';

/** An opened dump: its layout, files and size, and its rollouts in batches (streamed: one batch in memory). */
export interface RolloutDump {
  format: DumpFormat;
  files: string[];
  bytes: number;
  /** Records that were not rollouts (no completion and no score) or not JSON, with where. */
  readonly skipped: { source: string; error: string }[];
  /** The rollouts in batches of `batchSize`; `onBytes` reports the bytes read so far. */
  batches(options?: { batchSize?: number | undefined; onBytes?: ((bytes: number) => void) | undefined }): AsyncGenerator<AuditRollout[]>;
}

const STEP_FILE = /^(\d+)\.jsonl$/;
const MAX_SKIPPED = 100;
const DECODE_PIECE = 48 * 1024;
const READ_SIZE = 1 << 20;

function detect(path: string): { format: DumpFormat; files: string[] } {
  const stat = statSync(path);
  if (stat.isDirectory()) {
    const entries = readdirSync(path);
    const steps = entries.filter((name) => STEP_FILE.test(name)).sort((a, b) => Number(STEP_FILE.exec(a)?.[1]) - Number(STEP_FILE.exec(b)?.[1]));
    if (steps.length > 0) return { format: 'verl', files: steps.map((name) => join(path, name)) };
    if (entries.includes('generations.log')) return { format: 'easyr1-log', files: [join(path, 'generations.log')] };
    const tables = entries.filter((name) => name.endsWith('.table.json')).sort();
    if (tables.length > 0) return { format: 'wandb-table', files: tables.map((name) => join(path, name)) };
    const parquet = trlParquetFiles(path);
    if (parquet !== null) return { format: 'trl-parquet', files: parquet };
    throw new AuditInputError('audit', 'PATH', `${path} holds no <step>.jsonl files (verl's rollout_data_dir), generations.log (EasyR1), *.table.json (W&B) or completions/*.parquet (TRL)`);
  }
  if (path.endsWith('.parquet')) return { format: 'trl-parquet', files: [path] };
  if (path.endsWith('.table.json')) return { format: 'wandb-table', files: [path] };
  if (basename(path).endsWith('.log')) return { format: 'easyr1-log', files: [path] };
  return { format: 'jsonl', files: [path] };
}

/**
 * Opens a rollout dump: detects its layout from the path (see {@link DumpFormat}) and streams its rollouts.
 * Throws an {@link AuditInputError} for a layout it does not read, and Node's own error (ENOENT…) for a path
 * that cannot be read. For TRL's parquet, `batches()` rejects with an `OptionalDependencyError` when
 * `hyparquet` is not installed, and with an {@link AuditInputError} naming a file that is not parquet.
 *
 * @example
 * const dump = openDump('checkpoints/rollouts'); // verl's trainer.rollout_data_dir (or TRL's output_dir)
 * for await (const batch of dump.batches()) monitor.add(batch);
 */
export function openDump(path: string): RolloutDump {
  const { format, files } = detect(path);
  const bytes = files.reduce((sum, file) => sum + statSync(file).size, 0);
  const skipped: { source: string; error: string }[] = [];
  const skip = (source: string, error: string) => {
    if (skipped.length < MAX_SKIPPED) skipped.push({ source, error });
  };
  return {
    format,
    files,
    bytes,
    skipped,
    async *batches({ batchSize = 1024, onBytes } = {}) {
      let batch: AuditRollout[] = [];
      const buffer = Buffer.allocUnsafe(READ_SIZE);
      let done = 0;
      for (const [index, file] of files.entries()) {
        const fileStep = format === 'verl' ? Number(STEP_FILE.exec(basename(file))?.[1]) : format === 'wandb-table' ? index : 0;
        if (format === 'wandb-table') {
          // One JSON document: its bytes count as read once it is parsed.
          const rows = tableRows(file, fileStep, skip);
          for (const [k, rollout] of rows.entries()) {
            batch.push(rollout);
            if (batch.length >= batchSize && k + 1 < rows.length) {
              onBytes?.(done + Math.round((statSync(file).size * (k + 1)) / rows.length));
              yield batch;
              batch = [];
            }
          }
        } else if (format === 'trl-parquet') {
          // A row group (or a slice of a large one) at a time, cut into batches of batchSize.
          for await (const slice of parquetRollouts(file, skip)) {
            for (const rollout of slice.rollouts) {
              batch.push(rollout);
              if (batch.length >= batchSize) {
                onBytes?.(done + slice.bytes);
                yield batch;
                batch = [];
              }
            }
          }
        } else if (format === 'easyr1-log') {
          const stream = createReadStream(file);
          for await (const item of easyR1Records(jsonLines(stream), file)) {
            const rollout = normalizeRecord(item.record, item.step, item.source);
            if (rollout === null) skip(item.source, 'neither a completion nor a score');
            else batch.push(rollout);
            if (batch.length >= batchSize) {
              onBytes?.(done + stream.bytesRead);
              yield batch;
              batch = [];
            }
          }
        } else {
          // JSON lines, split on the newline byte inside each chunk (0x0a never occurs inside a UTF-8 sequence) and
          // decoded a chunk at a time, with no per-line promise: the hot path of a 1M-rollout dump.
          let read = 0;
          let carry: Buffer | null = null;
          let line = 0;
          const take = (text: string) => {
            line++;
            const rollout = parseLine(line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, fileStep, file, line, skip);
            if (rollout !== null) batch.push(rollout);
          };
          for (const chunk of fileChunks(file, buffer)) {
            read += chunk.length;
            const first = chunk.indexOf(10);
            if (first === -1) {
              carry = carry === null ? Buffer.from(chunk) : Buffer.concat([carry, chunk]);
              continue;
            }
            take((carry === null ? chunk.subarray(0, first) : Buffer.concat([carry, chunk.subarray(0, first)])).toString('utf8'));
            const last = chunk.lastIndexOf(10);
            // Decoded in pieces of about 48 KiB that end on a newline: a string past V8's regular object size
            // goes to the large-object space, and decoding 1 MiB at once ran 20–30 times slower per byte.
            let start = first + 1;
            while (last > first && start <= last) {
              let end = start + DECODE_PIECE >= last ? last : chunk.lastIndexOf(10, start + DECODE_PIECE);
              if (end < start) end = chunk.indexOf(10, start + DECODE_PIECE);
              for (const text of chunk.toString('utf8', start, end).split('\n')) take(text);
              start = end + 1;
            }
            carry = last + 1 < chunk.length ? Buffer.from(chunk.subarray(last + 1)) : null;
            if (batch.length >= batchSize) {
              onBytes?.(done + read);
              yield batch;
              batch = [];
            }
          }
          if (carry !== null && carry.length > 0) take(carry.toString('utf8'));
        }
        done += statSync(file).size;
        onBytes?.(done);
      }
      if (batch.length > 0) yield batch;
    },
  };
}

/**
 * A file's bytes in chunks read synchronously into one reused buffer: each chunk is valid until the next is read.
 * Synchronous because the stream's asynchronous reads left the audit idle for a tenth of its time; each read of
 * a warm page cache blocks for well under a millisecond.
 */
function* fileChunks(file: string, buffer: Buffer): Generator<Buffer> {
  const fd = openSync(file, 'r');
  try {
    for (;;) {
      const length = readSync(fd, buffer, 0, buffer.length, null);
      if (length === 0) return;
      yield buffer.subarray(0, length);
    }
  } finally {
    closeSync(fd);
  }
}

function parseLine(raw: string, fileStep: number, file: string, line: number, skip: (source: string, error: string) => void): AuditRollout | null {
  const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (text.length === 0 || text.trim() === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    skip(`${file}:${line}`, `invalid JSON: ${(error as Error).message}`);
    return null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    skip(`${file}:${line}`, 'expected a JSON object');
    return null;
  }
  const rollout = normalizeRecord(value as Record<string, unknown>, fileStep, `${file}:${line}`);
  if (rollout === null) skip(`${file}:${line}`, 'neither a completion nor a score');
  return rollout;
}

/** EasyR1's generations.log: `[prompt] …\n[output] …\n[ground_truth] …\n[score] …\n\n` per sample, appended at each validation. */
async function* easyR1Records(lines: AsyncIterable<string>, file: string): AsyncGenerator<{ record: Record<string, unknown>; source: string; step: number }> {
  const FIELDS: Record<string, string> = { '[prompt] ': 'input', '[output] ': 'output', '[ground_truth] ': 'gts', '[score] ': 'score' };
  let record: Record<string, string> = {};
  let field: string | null = null;
  let step = 1;
  let seen = new Set<string>();
  let line = 0;
  let start = 0;
  const finish = function* (): Generator<{ record: Record<string, unknown>; source: string; step: number }> {
    if (record.input === undefined) return;
    if (seen.has(record.input)) {
      step++;
      seen = new Set();
    }
    seen.add(record.input);
    const trimmed: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) trimmed[key] = key === 'input' || key === 'output' ? value : value.trim();
    yield { record: trimmed, source: `${file}:${start}`, step };
    record = {};
    field = null;
  };
  for await (const text of lines) {
    line++;
    const prefix = Object.keys(FIELDS).find((p) => text.startsWith(p));
    if (prefix !== undefined && (prefix !== '[prompt] ' || field === null || field === 'score' || record.score !== undefined)) {
      if (prefix === '[prompt] ') {
        yield* finish();
        start = line;
      }
      field = FIELDS[prefix] as string;
      record[field] = text.slice(prefix.length);
    } else if (field !== null) {
      if (field === 'score' && text === '') continue;
      record[field] += `\n${text}`;
    }
  }
  yield* finish();
}

function tableRows(file: string, fileStep: number, skip: (source: string, error: string) => void): AuditRollout[] {
  let table: unknown;
  try {
    table = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== undefined) throw error;
    throw new AuditInputError('audit', 'PATH', `${file}: invalid JSON: ${(error as Error).message}`);
  }
  const { columns, data } = (table ?? {}) as { columns?: unknown; data?: unknown };
  if (!Array.isArray(columns) || !Array.isArray(data)) throw new AuditInputError('audit', 'PATH', `${file}: a W&B table has "columns" and "data"`);
  const rollouts: AuditRollout[] = [];
  data.forEach((row, index) => {
    const source = `${file}:row ${index + 1}`;
    if (!Array.isArray(row)) return skip(source, 'a table row must be an array');
    const record: Record<string, unknown> = {};
    columns.forEach((column, k) => (record[String(column)] = row[k]));
    const rollout = normalizeRecord(record, fileStep, source);
    if (rollout === null) skip(source, 'neither a completion nor a score');
    else rollouts.push(rollout);
  });
  return rollouts;
}
