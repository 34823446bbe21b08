import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditInputError } from './errors.js';
import { openDump } from './open-dump.js';
import { pythonJsonDumps } from './python-json.js';
import { synthesizeRun } from './synthesize-run.js';
import type { AuditRollout } from './types.js';

const tmp = mkdtempSync(join(tmpdir(), 'ra-rft-audit-dump-'));

async function all(path: string): Promise<AuditRollout[]> {
  const out: AuditRollout[] = [];
  for await (const batch of openDump(path).batches({ batchSize: 7 })) out.push(...batch);
  return out;
}

/** A folder of step files exactly as verl's RayPPOTrainer._dump_generations writes them. */
function writeVerl(dir: string, steps: number): void {
  mkdirSync(dir, { recursive: true });
  for (const records of synthesizeRun({ steps, prompts: 2, groupSize: 3 })) {
    const step = records[0]?.step as number;
    // {input, output, gts, score, step} then the reward_extra_infos_dict keys; json.dumps(ensure_ascii=False); "\n".join(lines) + "\n".
    const lines = records.map(({ input, output, gts, score, format, refuseIoU, explain, correction, explainAndCorrection }) =>
      pythonJsonDumps({ input, output, gts, score, step, format, refuseIoU, explain, correction, explainAndCorrection, unit: score / 4 }, ['step']),
    );
    writeFileSync(join(dir, `${step}.jsonl`), `${lines.join('\n')}\n`);
  }
}

describe('openDump', () => {
  it("reads verl's rollout_data_dir: <global_steps>.jsonl files in step order (2 before 10), Python's JSON, extras as parts", async () => {
    const dir = join(tmp, 'verl');
    writeVerl(dir, 11);
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    const dump = openDump(dir);
    expect(dump.format).toBe('verl');
    expect(dump.files.map((f) => f.slice(dir.length + 1))).toEqual(['1.jsonl', '2.jsonl', '3.jsonl', '4.jsonl', '5.jsonl', '6.jsonl', '7.jsonl', '8.jsonl', '9.jsonl', '10.jsonl', '11.jsonl']);
    const rollouts = await all(dir);
    expect(rollouts).toHaveLength(11 * 6);
    expect(rollouts.map((r) => r.step)).toEqual([...rollouts.map((r) => r.step)].sort((a, b) => a - b));
    const [first] = rollouts;
    const [record] = [...synthesizeRun({ steps: 1, prompts: 2, groupSize: 3 })][0] ?? [];
    expect(first).toMatchObject({ step: 1, group: record?.input, prompt: record?.input, completion: record?.output, target: record?.gts, score: record?.score, parts: { format: record?.format, refuseIoU: record?.refuseIoU, explain: record?.explain, correction: record?.correction } });
    expect(first?.source).toBe(`${join(dir, '1.jsonl')}:1`);
    expect(dump.skipped).toEqual([]);
  });

  it("verl's gts as a JSON string, non-ASCII text, a uid column for the group", async () => {
    const file = join(tmp, 'one-step.jsonl');
    writeFileSync(file, `${pythonJsonDumps({ input: 'vidéo ½', output: '<answer>1 to 2</answer>', gts: JSON.stringify({ relevant: true, span: [1, 2], duration: 9 }), score: 1, step: 4, uid: 'u-1' }, ['step'])}\n`);
    const [rollout] = await all(file);
    expect(rollout).toMatchObject({ step: 4, group: 'u-1', prompt: 'vidéo ½', target: { relevant: true, span: [1, 2], duration: 9 }, score: 1 });
  });

  it("TRL's completions table as JSON lines (step, prompt, completion, reward columns, log_extra parts, advantage)", async () => {
    const file = join(tmp, 'trl.jsonl');
    const row = { step: 5, prompt: 'p', completion: '<answer>x</answer>', rarft_reward: 1.5, 'rarft/format': 1, 'rarft/refuse_iou': 0.5, advantage: -0.3 };
    writeFileSync(file, `${JSON.stringify(row)}\n${JSON.stringify({ ...row, completion: '<answer>y</answer>' })}\n`);
    const rollouts = await all(file);
    expect(rollouts[0]).toMatchObject({ step: 5, group: 'p', completion: '<answer>x</answer>', score: 1.5, parts: { format: 1, refuseIoU: 0.5 }, advantage: -0.3 });
    expect(rollouts).toHaveLength(2);
  });

  it("W&B tables: TRL's completions table and OpenRLHF's generated_samples (response after the assistant header)", async () => {
    const trl = join(tmp, 'completions_3_abc.table.json');
    writeFileSync(trl, JSON.stringify({ _type: 'table', columns: ['step', 'prompt', 'completion', 'rarft_reward', 'advantage'], data: [[3, 'q', '<answer>1 to 2</answer>', 2, 0.1]] }));
    expect(openDump(trl).format).toBe('wandb-table');
    expect((await all(trl))[0]).toMatchObject({ step: 3, prompt: 'q', completion: '<answer>1 to 2</answer>', score: 2, advantage: 0.1 });
    const openrlhf = join(tmp, 'generated_samples.table.json');
    writeFileSync(openrlhf, JSON.stringify({ columns: ['global_step', 'text', 'reward'], data: [[7, 'system\nYou are…\nuser\nq\nassistant\n<answer>3 to 4</answer>', 0.5]] }));
    expect((await all(openrlhf))[0]).toMatchObject({ step: 7, completion: '<answer>3 to 4</answer>', score: 0.5 });
  });

  it("EasyR1's generations.log: multi-line fields; a new block (step) starts when a prompt repeats", async () => {
    const dir = join(tmp, 'easyr1');
    mkdirSync(dir);
    const sample = (prompt: string, output: string, score: number) => `[prompt] ${prompt}\n[output] ${output}\n[ground_truth] {"relevant": false}\n[score] ${score}\n\n`;
    writeFileSync(join(dir, 'generations.log'), sample('a\nb', '<think>x\ny</think>', 1) + sample('c', 'z', 0) + sample('a\nb', 'w', 0.5) + sample('c', 'v', 2));
    const rollouts = await all(dir);
    expect(rollouts.map((r) => [r.step, r.prompt, r.completion, r.score])).toEqual([
      [1, 'a\nb', '<think>x\ny</think>', 1],
      [1, 'c', 'z', 0],
      [2, 'a\nb', 'w', 0.5],
      [2, 'c', 'v', 2],
    ]);
    expect(rollouts[0]?.target).toEqual({ relevant: false });
  });

  it("this package's score output with a step column: parts, answer kind and relevance", async () => {
    const file = join(tmp, 'scored.jsonl');
    writeFileSync(file, `${JSON.stringify({ line: 1, kind: 'relevant', index: 0, total: 2.5, format: 1, refuseIoU: 0.5, explain: 0.5, correction: 0.5, explainAndCorrection: 1, answer: 'span', step: 2 })}\n`);
    expect((await all(file))[0]).toMatchObject({ step: 2, group: 'line 1 relevant', relevant: true, score: 2.5, answer: 'span', parts: { format: 1, refuseIoU: 0.5, explain: 0.5, correction: 0.5 } });
  });

  it('lines of any length across read chunks and decode pieces: multi-byte text intact, CRLF, blank lines, no final newline', async () => {
    // Lengths around the 48 KiB decode piece and past the 1 MiB read; multi-byte characters land on every boundary.
    const lengths = [1, 10, 49_150, 49_151, 49_152, 49_153, 100_000, 1_048_570, 1_048_576, 1_600_000, 3, 70_000, 5];
    const alphabet = ['a', 'é', '😀', '中', '\u2028', ' '];
    const completions = lengths.map((n, k) => Array.from({ length: n }, (_, i) => alphabet[(i * 7 + k) % alphabet.length]).join(''));
    const lines = completions.map((completion, k) => JSON.stringify({ step: 1, completion, score: k }));
    const text = lines.map((line, k) => (k % 3 === 1 ? `${line}\r\n` : k % 4 === 2 ? `${line}\n\n` : `${line}\n`)).join('').trimEnd();
    const file = join(tmp, 'long-lines.jsonl');
    writeFileSync(file, text);
    const dump = openDump(file);
    const rollouts: AuditRollout[] = [];
    const progress: number[] = [];
    for await (const batch of dump.batches({ batchSize: 2, onBytes: (b) => progress.push(b) })) rollouts.push(...batch);
    expect(dump.skipped).toEqual([]);
    expect(rollouts.map((r) => r.completion)).toEqual(completions);
    expect(rollouts.map((r) => r.score)).toEqual(completions.map((_, k) => k));
    // Sources count the blank lines too.
    const expectedLines: number[] = [];
    let line = 0;
    lines.forEach((_, k) => {
      expectedLines.push(++line);
      if (k % 3 !== 1 && k % 4 === 2) line++;
    });
    expect(rollouts.map((r) => r.source)).toEqual(expectedLines.map((n) => `${file}:${n}`));
    expect(progress.at(-1)).toBe(Buffer.byteLength(text));
    expect(progress.every((b, k) => k === 0 || b >= (progress[k - 1] as number))).toBe(true);
  });

  it('malformed lines are skipped with their place; a broken parquet file and unknown folders are AuditInputErrors', async () => {
    const file = join(tmp, 'bad.jsonl');
    writeFileSync(file, 'not json\n[1]\n{"step": 1}\n{"step": 1, "completion": "c"}\n');
    const dump = openDump(file);
    const rollouts: AuditRollout[] = [];
    for await (const batch of dump.batches()) rollouts.push(...batch);
    expect(rollouts).toHaveLength(1);
    expect(dump.skipped.map((s) => s.source)).toEqual([`${file}:1`, `${file}:2`, `${file}:3`]);
    writeFileSync(join(tmp, 'completions_00001.parquet'), 'PAR1');
    const parquet = openDump(join(tmp, 'completions_00001.parquet'));
    expect(parquet.format).toBe('trl-parquet');
    await expect(parquet.batches().next()).rejects.toThrow(AuditInputError);
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    expect(() => openDump(empty)).toThrow(/no <step>.jsonl files/);
    expect(() => openDump(join(tmp, 'missing.jsonl'))).toThrow(/ENOENT/);
  });
});
