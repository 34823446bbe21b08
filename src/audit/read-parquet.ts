// TRL's completions parquet, read with hyparquet (an optional peer, imported on the first parquet file only, so
// that neither the root entry nor ra-rft-rewards/audit loads it). Checked against huggingface/trl f2cd577
// (v1.9.0-26, trl/trainer/grpo_trainer.py, GRPOTrainer.log): with log_completions=True, every logging step writes
// pd.DataFrame({step, prompt, completion, **rewards, **extra, advantage}).to_parquet(
// os.path.join(output_dir, "completions", f"completions_{global_step:05d}.parquet")), pyarrow's defaults: snappy,
// one row group up to 1Mi rows, no page index; step INT64, the texts UTF8, rewards and advantage DOUBLE.
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import * as zlib from 'node:zlib';
import type { AsyncBuffer, Compressors, FileMetaData, ParquetRow } from 'hyparquet';
import { importOptionalPackage } from '../internal/edge/optional-dependency.js';
import { AuditInputError } from './errors.js';
import { normalizeRecord } from './normalize-record.js';
import type { AuditRollout } from './types.js';

type Hyparquet = typeof import('hyparquet');

/** The rollouts of one slice of a parquet file, and how far into the file (bytes, by rows read) it reaches. */
export interface ParquetSlice {
  rollouts: AuditRollout[];
  bytes: number;
}

/**
 * Rows of a row group decoded at once: at most this many, and at most about this many uncompressed bytes. Each
 * slice decodes the pages it overlaps whole (a dictionary-encoded column can be one page), so smaller slices cost
 * time: a 1M-row group of short rows reads in 16 slices, in about 8 s with 0.5 GB resident, against 6 s and
 * 1 GB whole.
 */
const SLICE_ROWS = 65_536;
const SLICE_BYTES = 32 * 2 ** 20;
const STEP_IN_NAME = /(\d+)\.parquet$/;
const SMALL_FILE = 64 * 2 ** 20;

let loading: Promise<Hyparquet> | undefined;
function hyparquet(): Promise<Hyparquet> {
  loading ??= importOptionalPackage<Hyparquet>('openDump', 'hyparquet', "npm install hyparquet (it reads TRL's completions_<step>.parquet)");
  return loading;
}

// Snappy is hyparquet's own; the other codecs pandas.to_parquet(compression=…) offers come from node:zlib where
// this Node has them (zstd since Node 22.15).
const zstd = (zlib as { zstdDecompressSync?: (input: Uint8Array) => Uint8Array }).zstdDecompressSync;
const COMPRESSORS: Compressors = {
  GZIP: (input) => zlib.gunzipSync(input),
  BROTLI: (input) => zlib.brotliDecompressSync(input),
  ...(zstd === undefined ? {} : { ZSTD: (input: Uint8Array) => zstd(input) }),
};

/**
 * The file's byte ranges, each fetched once while one row group is read (its slices ask for the same column
 * chunks when the file has no page index, as pyarrow writes it); `clear` drops them before the next group.
 */
function groupCache(file: AsyncBuffer): AsyncBuffer & { clear(): void } {
  let ranges = new Map<string, Promise<ArrayBuffer>>();
  return {
    byteLength: file.byteLength,
    slice(start, end) {
      const key = `${start}:${end ?? ''}`;
      let range = ranges.get(key);
      if (range === undefined) {
        range = Promise.resolve(file.slice(start, end));
        ranges.set(key, range);
      }
      return range;
    },
    clear() {
      ranges = new Map();
    },
  };
}

/** A file's bytes in memory as hyparquet's AsyncBuffer. */
function memoryBuffer(bytes: Buffer): AsyncBuffer {
  return { byteLength: bytes.byteLength, slice: (start, end) => bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + (end ?? bytes.byteLength)) as ArrayBuffer };
}

/** A parquet failure as an AuditInputError naming the file; Node's own errors (ENOENT, EACCES…) pass through. */
function unreadable(file: string, error: unknown): unknown {
  if (typeof (error as { code?: unknown } | null)?.code === 'string') return error;
  return new AuditInputError('audit', 'PATH', `${file}: not a readable parquet file: ${(error as Error).message}`);
}

/** A row as the JSON-lines export of the same table gives it: int64 (bigint) as numbers, NaN as null (pandas' to_json). */
function plainRecord(row: ParquetRow): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const key of Object.keys(row)) {
    const value: unknown = row[key];
    record[key] = typeof value === 'bigint' ? Number(value) : typeof value === 'number' && Number.isNaN(value) ? null : value;
  }
  return record;
}

/**
 * Streams one parquet file's rows (TRL's `completions_<step>.parquet`) as audit rollouts, through
 * {@link normalizeRecord} as the JSON-lines layouts are, a row group at a time and a large group in slices
 * (memory: one slice's rows, and one row group's compressed column chunks when the file has no page index). The
 * step is the row's `step` column, else the number in the file name. Rows that are not rollouts go to `skip`
 * with `file:row N`. Throws an {@link AuditInputError} naming the file when it is not readable parquet, and an
 * `OptionalDependencyError` when hyparquet is not installed.
 *
 * @example
 * for await (const { rollouts, bytes } of parquetRollouts('out/completions/completions_00010.parquet', skip)) monitor.add(rollouts);
 */
export async function* parquetRollouts(
  file: string,
  skip: (source: string, error: string) => void,
  options: { sliceRows?: number | undefined; readWholeUpTo?: number | undefined } = {},
): AsyncGenerator<ParquetSlice> {
  const { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } = await hyparquet();
  const size = statSync(file).size;
  const fallbackStep = Number(STEP_IN_NAME.exec(basename(file))?.[1] ?? 0);
  // A file up to SMALL_FILE is read at once (TRL's are a few MB a step): no asynchronous read to wait for per range.
  const buffer = groupCache(size <= (options.readWholeUpTo ?? SMALL_FILE) ? memoryBuffer(readFileSync(file)) : await asyncBufferFromFile(file));
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(buffer);
  } catch (error) {
    throw unreadable(file, error);
  }
  buffer.clear();
  const totalRows = Number(metadata.num_rows);
  let groupStart = 0;
  let read = 0;
  for (const group of metadata.row_groups) {
    const groupRows = Number(group.num_rows);
    const bySize = Math.floor((groupRows * SLICE_BYTES) / Math.max(1, Number(group.total_byte_size)));
    const sliceRows = Math.max(1, options.sliceRows ?? Math.min(SLICE_ROWS, bySize));
    for (let start = 0; start < groupRows; start += sliceRows) {
      const end = Math.min(groupRows, start + sliceRows);
      let rows: ParquetRow[];
      try {
        rows = await parquetReadObjects({ file: buffer, metadata, rowStart: groupStart + start, rowEnd: groupStart + end, useOffsetIndex: true, compressors: COMPRESSORS });
      } catch (error) {
        throw unreadable(file, error);
      }
      const rollouts: AuditRollout[] = [];
      rows.forEach((row, k) => {
        const source = `${file}:row ${groupStart + start + k + 1}`;
        const rollout = normalizeRecord(plainRecord(row), fallbackStep, source);
        if (rollout === null) skip(source, 'neither a completion nor a score');
        else rollouts.push(rollout);
      });
      read += end - start;
      yield { rollouts, bytes: totalRows > 0 ? Math.round((size * read) / totalRows) : size };
    }
    groupStart += groupRows;
    buffer.clear();
  }
}
