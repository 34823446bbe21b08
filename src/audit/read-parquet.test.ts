import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type TrlRow, trlRows, writeTrlParquet, writeTrlRun } from '../../test/helpers/trl-parquet.js';
import { AuditInputError } from './errors.js';
import { openDump } from './open-dump.js';
import { parquetRollouts } from './read-parquet.js';
import { synthesizeRun } from './synthesize-run.js';
import type { AuditRollout } from './types.js';

const tmp = mkdtempSync(join(tmpdir(), 'ra-rft-audit-parquet-'));

async function all(path: string, batchSize = 7): Promise<AuditRollout[]> {
  const out: AuditRollout[] = [];
  for await (const batch of openDump(path).batches({ batchSize })) out.push(...batch);
  return out;
}

const withoutSource = (rollouts: AuditRollout[]) => rollouts.map(({ source: _, ...rest }) => rest);

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a rejection'),
    (error: unknown) => error,
  );
}

describe("TRL's completions parquet", () => {
  it('rows normalise exactly as the same records exported as JSON lines (targets, parts, advantage, NaN, skipped rows)', async () => {
    const steps = [...synthesizeRun({ steps: 4, prompts: 3, groupSize: 4 })];
    const rows: TrlRow[][] = steps.map((records) => trlRows(records, { target: true }));
    // A second reward function `format` that returned None (NaN; pandas' to_json writes null, so the part falls
    // through to rarft/format), and a row that is no rollout.
    for (const stepRows of rows) for (const row of stepRows) row.format = Number.NaN;
    rows[1]?.push({ ...(rows[1][0] as TrlRow), completion: null, rarft_reward: null, 'rarft/correction': null, 'rarft/explain': null, 'rarft/format': null, 'rarft/refuse_iou': null, format: Number.NaN, advantage: null });
    const dir = join(tmp, 'parity', 'completions');
    mkdirSync(dir, { recursive: true });
    rows.forEach((stepRows, k) => writeTrlParquet(join(dir, `completions_${String(k + 1).padStart(5, '0')}.parquet`), stepRows, { rowGroupSize: 5 }));
    const jsonl = join(tmp, 'parity.jsonl');
    writeFileSync(jsonl, `${rows.flat().map((row) => JSON.stringify(row)).join('\n')}\n`);

    const dump = openDump(join(tmp, 'parity'));
    expect(dump.format).toBe('trl-parquet');
    const fromParquet = [];
    for await (const batch of dump.batches({ batchSize: 7 })) fromParquet.push(...batch);
    const fromJson = await all(jsonl);
    expect(fromParquet).toHaveLength(4 * 3 * 4);
    expect(withoutSource(fromParquet)).toEqual(withoutSource(fromJson));
    const [first] = fromParquet;
    const [record] = steps[0] ?? [];
    expect(first).toEqual({
      step: 1,
      group: record?.input,
      prompt: record?.input,
      completion: record?.output,
      target: record?.gts,
      score: record?.score,
      parts: { format: record?.format, refuseIoU: record?.refuseIoU, explain: record?.explain, correction: record?.correction },
      advantage: expect.any(Number),
      source: `${join(dir, 'completions_00001.parquet')}:row 1`,
    });
    expect(typeof first?.step).toBe('number');
    expect(dump.skipped).toEqual([{ source: `${join(dir, 'completions_00002.parquet')}:row 13`, error: 'neither a completion nor a score' }]);
  });

  it('finds the files: one file, the completions/ folder, the output_dir, its train/ mode folder; in step order', async () => {
    const run = [...synthesizeRun({ steps: 3, prompts: 2, groupSize: 2 })];
    const out = join(tmp, 'layouts');
    const completions = writeTrlRun(out, run);
    expect(openDump(out).files).toEqual(['completions_00001.parquet', 'completions_00002.parquet', 'completions_00003.parquet'].map((f) => join(completions, f)));
    expect(openDump(completions).files).toEqual(openDump(out).files);
    const single = openDump(join(completions, 'completions_00002.parquet'));
    expect([single.format, (await all(join(completions, 'completions_00002.parquet'))).map((r) => r.step)]).toEqual(['trl-parquet', [2, 2, 2, 2]]);

    // Per-mode folders: train is audited, eval left out.
    const modes = join(tmp, 'modes');
    const train = writeTrlRun(modes, run, { mode: 'train' });
    writeTrlRun(modes, [...synthesizeRun({ steps: 1, prompts: 2, groupSize: 2, seed: 3 })], { mode: 'eval' });
    expect(openDump(modes).files).toEqual(openDump(train).files);
    expect(openDump(join(modes, 'completions')).files).toEqual(openDump(train).files);
    expect(openDump(modes).files.every((f) => f.startsWith(train))).toBe(true);

    // By the number in the name, not the text: 2 before 10, 99999 before 100000 (past the 5-digit padding).
    const order = join(tmp, 'order');
    mkdirSync(order);
    const rowsAt = (step: number) => trlRows(run[0] ?? []).map((row) => ({ ...row, step }));
    for (const step of [100000, 10, 99999, 2]) writeTrlParquet(join(order, `completions_${step}.parquet`), rowsAt(step));
    expect(openDump(order).files.map((f) => f.slice(order.length + 1))).toEqual(['completions_2.parquet', 'completions_10.parquet', 'completions_99999.parquet', 'completions_100000.parquet']);
    expect([...new Set((await all(order)).map((r) => r.step))]).toEqual([2, 10, 99999, 100000]);

    // An output_dir whose completions/ holds no parquet yet.
    const empty = join(tmp, 'no-completions');
    mkdirSync(join(empty, 'completions'), { recursive: true });
    expect(() => openDump(empty)).toThrow(/completions\/\*\.parquet \(TRL\)/);
  });

  it('streams: several row groups give several batches of batchSize, and the progress bytes grow to the total', async () => {
    const records = [...synthesizeRun({ steps: 1, prompts: 10, groupSize: 12 })][0] ?? [];
    const file = join(tmp, 'groups', 'completions_00001.parquet');
    mkdirSync(join(tmp, 'groups'));
    writeTrlParquet(file, trlRows(records), { rowGroupSize: 40 });
    const dump = openDump(file);
    const sizes: number[] = [];
    const bytes: number[] = [];
    for await (const batch of dump.batches({ batchSize: 16, onBytes: (b) => bytes.push(b) })) sizes.push(batch.length);
    expect(sizes).toEqual([16, 16, 16, 16, 16, 16, 16, 8]);
    expect(bytes.length).toBeGreaterThan(2);
    expect(bytes).toEqual([...bytes].sort((a, b) => a - b));
    expect(bytes[0]).toBeLessThan(dump.bytes);
    expect(bytes.at(-1)).toBe(dump.bytes);
  });

  it('reads a large row group in slices (with and without a page index), with the same rows', async () => {
    const rows = Array.from({ length: 140_000 }, (_, i): TrlRow => ({ step: 1 + Math.floor(i / 10_000), prompt: `p${i % 50}`, completion: `<answer>${i % 30} to ${(i % 30) + 2}</answer>`, rarft_reward: (i % 7) / 7, advantage: 0 }));
    const file = join(tmp, 'large.parquet');
    writeTrlParquet(file, rows, { rowGroupSize: 140_000 });
    const slices: number[] = [];
    const read: AuditRollout[] = [];
    for await (const slice of parquetRollouts(file, () => undefined)) slices.push(slice.rollouts.length), read.push(...slice.rollouts);
    // One row group of 140,000 rows is never decoded whole: slices of at most 65,536 rows.
    expect(slices).toEqual([65_536, 65_536, 8928]);
    expect(read.map((r) => r.completion)).toEqual(rows.map((r) => r.completion));
    expect(read.map((r) => r.step)).toEqual(rows.map((r) => r.step));
    // A file over the in-memory limit is read range by range from disk, with the same rows.
    const fromDisk: AuditRollout[] = [];
    for await (const slice of parquetRollouts(file, () => undefined, { readWholeUpTo: 0 })) fromDisk.push(...slice.rollouts);
    expect(fromDisk).toEqual(read);

    for (const pageIndex of [false, true]) {
      const small = join(tmp, `sliced-${pageIndex}.parquet`);
      writeTrlParquet(small, rows.slice(0, 300), { rowGroupSize: 120, pageIndex });
      const parts: AuditRollout[][] = [];
      for await (const slice of parquetRollouts(small, () => undefined, { sliceRows: 7 })) parts.push(slice.rollouts);
      expect(parts.length).toBe(18 + 18 + 9);
      expect(withoutSource(parts.flat())).toEqual(withoutSource(await all(small)));
      expect(parts.flat().map((r) => r.source)).toEqual(rows.slice(0, 300).map((_, i) => `${small}:row ${i + 1}`));
    }
  });

  it('reads gzip as well as snappy (pandas.to_parquet(compression="gzip"))', async () => {
    const rows = trlRows([...synthesizeRun({ steps: 1, prompts: 2, groupSize: 3 })][0] ?? []);
    const snappy = join(tmp, 'snappy.parquet');
    const gzip = join(tmp, 'gzip.parquet');
    writeTrlParquet(snappy, rows);
    writeTrlParquet(gzip, rows, { codec: 'GZIP', compressors: { GZIP: (input) => gzipSync(input) } });
    expect(readFileSync(gzip)).not.toEqual(readFileSync(snappy));
    expect(withoutSource(await all(gzip))).toEqual(withoutSource(await all(snappy)));
  });

  it('a file that is not parquet, or is cut short, is an AuditInputError naming it', async () => {
    const good = join(tmp, 'good.parquet');
    writeTrlParquet(good, trlRows([...synthesizeRun({ steps: 1, prompts: 2, groupSize: 3 })][0] ?? []));
    const bytes = readFileSync(good);
    const cases: Record<string, Buffer> = {
      'magic.parquet': Buffer.from('PAR1'),
      'text.parquet': Buffer.from('step,prompt,completion\n1,p,c\n'),
      'truncated.parquet': bytes.subarray(0, Math.floor(bytes.length / 2)),
      // The footer intact, the column chunks overwritten.
      'scrambled.parquet': Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(bytes.length - 4 - 2000, 0xab), bytes.subarray(bytes.length - 2000)]),
    };
    for (const [name, content] of Object.entries(cases)) {
      const file = join(tmp, 'corrupt', name);
      mkdirSync(join(tmp, 'corrupt'), { recursive: true });
      writeFileSync(file, content);
      const error = await rejection(all(file));
      expect(error, name).toBeInstanceOf(AuditInputError);
      expect((error as Error).message, name).toContain(`${file}: not a readable parquet file: `);
    }
  });
});
