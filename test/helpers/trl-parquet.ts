// TRL's completions parquet as GRPOTrainer.log writes it (huggingface/trl f2cd577): per logging step,
// pd.DataFrame({step, prompt, completion, **rewards, **extra, advantage}).to_parquet(
// output_dir/completions/completions_<global_step:05d>.parquet) through pyarrow: snappy, no page index, step
// INT64, texts UTF8, rewards, log_extra values and advantage DOUBLE (None → NaN → null: pyarrow's from_pandas).
// Written here with hyparquet-writer, with several row groups when asked.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parquetWriteFile } from 'hyparquet-writer';
import type { VerlRecord } from '../../src/audit/index.js';

/** One row of TRL's completions table. */
export type TrlRow = Record<string, string | number | null>;

/**
 * A synthesized step as TRL's table holds it with this package's TRL reward (`RaRftReward()`, logging its parts
 * through log_extra as `rarft/<part>`): the reward column `rarft_reward`, the parts, the group-normalised
 * advantage. TRL has no ground-truth column; `target: true` adds one as a user's log_extra("target", json) would.
 */
export function trlRows(records: readonly VerlRecord[], options: { target?: boolean } = {}): TrlRow[] {
  const byPrompt = new Map<string, number[]>();
  for (const r of records) byPrompt.set(r.input, [...(byPrompt.get(r.input) ?? []), r.score]);
  return records.map((r) => {
    const scores = byPrompt.get(r.input) as number[];
    const mean = scores.reduce((s, x) => s + x, 0) / scores.length;
    const std = Math.sqrt(scores.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, scores.length - 1));
    const row: TrlRow = { step: r.step, prompt: r.input, completion: r.output, rarft_reward: r.score, 'rarft/correction': r.correction, 'rarft/explain': r.explain, 'rarft/format': r.format, 'rarft/refuse_iou': r.refuseIoU };
    if (options.target === true) row.target = JSON.stringify(r.gts);
    row.advantage = (r.score - mean) / (std + 1e-4);
    return row;
  });
}

/** Options of {@link writeTrlParquet}. */
export interface TrlParquetOptions {
  /** Rows per row group (hyparquet-writer's default otherwise: 1000, then 100000). */
  rowGroupSize?: number;
  /** A page index (pyarrow writes none by default). */
  pageIndex?: boolean;
  codec?: 'SNAPPY' | 'GZIP' | 'UNCOMPRESSED';
  compressors?: Record<string, (input: Uint8Array) => Uint8Array>;
}

/** Writes rows as one TRL completions parquet file: `step` INT64, numbers DOUBLE, the rest UTF8 strings. */
export function writeTrlParquet(file: string, rows: readonly TrlRow[], options: TrlParquetOptions = {}): void {
  const columns = Object.keys(rows[0] ?? { step: 0, prompt: '', completion: '', advantage: 0 });
  parquetWriteFile({
    filename: file,
    columnData: columns.map((name) => {
      const values = rows.map((row) => row[name] ?? null);
      if (name === 'step') return { name, data: values.map((v) => (v === null ? null : BigInt(v as number))), type: 'INT64' as const, offsetIndex: options.pageIndex === true };
      const numeric = values.some((v) => typeof v === 'number');
      return { name, data: values, type: numeric ? ('DOUBLE' as const) : ('STRING' as const), offsetIndex: options.pageIndex === true };
    }),
    codec: options.codec ?? 'SNAPPY',
    ...(options.compressors === undefined ? {} : { compressors: options.compressors }),
    ...(options.rowGroupSize === undefined ? {} : { rowGroupSize: options.rowGroupSize }),
    createdBy: 'parquet-cpp-arrow version 21.0.0',
  });
}

/** Writes a synthesized run as TRL's `completions/` folder under `outputDir`; returns the folder. */
export function writeTrlRun(outputDir: string, run: Iterable<VerlRecord[]>, options: TrlParquetOptions & { target?: boolean; mode?: string } = {}): string {
  const dir = options.mode === undefined ? join(outputDir, 'completions') : join(outputDir, 'completions', options.mode);
  mkdirSync(dir, { recursive: true });
  for (const records of run) {
    const step = records[0]?.step as number;
    writeTrlParquet(join(dir, `completions_${String(step).padStart(5, '0')}.parquet`), trlRows(records, options), options);
  }
  return dir;
}
