import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { PassThrough, Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/index.js';
import { type RaRftTarget, raRftRewardBatch, trigramHashEmbedder } from '../src/index.js';
import { captureIO } from './helpers/cli-io.js';
import { repoRoot } from './helpers/shared.js';

const capture = captureIO;

const example = join(repoRoot, 'examples/completions.jsonl');
const tmp = mkdtempSync(join(tmpdir(), 'ra-rft-cli-'));

describe('ra-rft-rewards score', () => {
  it('scores the shipped example file with numbers equal to the library', async () => {
    const run = capture();
    const out = join(tmp, 'scored.jsonl');
    expect(await main(['score', example, '--embedder', 'trigram', '--out', out], run.io)).toBe(0);
    const results = readFileSync(out, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    const inputs = readFileSync(example, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { completion?: string; target?: RaRftTarget; id?: string });
    const simple = inputs.filter((input) => input.completion !== undefined);
    const want = await raRftRewardBatch(simple.map((i) => i.completion as string), simple.map((i) => i.target as RaRftTarget), { embedder: trigramHashEmbedder() });
    expect(results).toHaveLength(simple.length + 2); // the last line is a HI-VTG item with 2 completions
    simple.forEach((input, i) => {
      expect(results[i]).toMatchObject({ line: i + 1, id: input.id, ...want[i] });
      expect(['span', 'refusal', 'none']).toContain(results[i].answer);
    });
    expect(results.at(-2)).toMatchObject({ line: inputs.length, kind: 'relevant', index: 0, refuseIoU: 1 });
    expect(results.at(-1)).toMatchObject({ line: inputs.length, kind: 'irrelevant', index: 0, refuseIoU: 1 });
    expect(run.err()).toMatch(/embedder: trigram-hash-256/);
    expect(run.err()).toMatch(/mean refuseIoU\s+\d\.\d{4}/);
    expect(run.err()).toMatch(/refusal rate \(irrelevant targets\)\s+\d\.\d{4}/);
  });

  it('scores raw outputs ending in end tokens as the clean text, unless --keep-end-tokens', async () => {
    const inputs = readFileSync(example, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { completion?: string; target?: RaRftTarget });
    const simple = inputs.filter((input) => input.completion !== undefined);
    const ends = ['<|im_end|>', '<|im_end|>\n<|endoftext|>', '<|eot_id|>', '<end_of_turn>'];
    const raw = join(tmp, 'raw.jsonl');
    writeFileSync(raw, simple.map((input, i) => JSON.stringify({ ...input, completion: `${input.completion}${ends[i % ends.length]}` })).join('\n'));
    const read = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, number>);
    const clean = join(tmp, 'clean-scored.jsonl');
    expect(await main(['score', example, '--embedder', 'trigram', '--quiet', '--out', clean], capture().io)).toBe(0);
    const stripped = join(tmp, 'raw-scored.jsonl');
    expect(await main(['score', raw, '--embedder', 'trigram', '--quiet', '--out', stripped], capture().io)).toBe(0);
    const kept = join(tmp, 'raw-kept.jsonl');
    expect(await main(['score', raw, '--embedder', 'trigram', '--quiet', '--keep-end-tokens', '--out', kept], capture().io)).toBe(0);
    const want = read(clean).slice(0, simple.length);
    expect(read(stripped)).toEqual(want);
    expect(want.some((r) => r.format === 1)).toBe(true);
    expect(read(kept).map((r) => r.format)).toEqual(want.map(() => 0));
    const custom = join(tmp, 'raw-custom.jsonl');
    expect(await main(['score', raw, '--embedder', 'trigram', '--quiet', '--end-tokens', '<|im_end|>,<|endoftext|>', '--out', custom], capture().io)).toBe(0);
    expect(read(custom).map((r) => r.format)).toEqual(want.map((r, i) => (i % ends.length < 2 ? r.format : 0)));
    const bad = capture();
    expect(await main(['score', raw, '--keep-end-tokens', '--end-tokens', 'x'], bad.io)).toBe(2);
  });

  it('reads standard input and writes standard output', async () => {
    const line = JSON.stringify({ completion: '<answer>1 to 2</answer>', target: { relevant: true, span: [1, 2], duration: 9, answer: '1 to 2', contrast: 'no' } });
    const run = capture(`${line}\n\n${line}\n`);
    expect(await main(['score', '-', '--embedder', 'trigram', '--quiet'], run.io)).toBe(0);
    const lines = run.out().trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.line)).toEqual([1, 3]);
    expect(lines[0].refuseIoU).toBe(1);
    expect(run.err()).toBe('');
  });

  it('reports a malformed line with its number: fails by default, skips on request without losing it', async () => {
    const good = JSON.stringify({ completion: 'x', target: { relevant: false, answer: 'a', contrast: 'b' } });
    const input = join(tmp, 'mixed.jsonl');
    writeFileSync(input, [good, '{"completion": 3', JSON.stringify({ completion: 'x', target: { relevant: true, answer: 'a', contrast: 'b' } }), good].join('\n'));

    const failing = capture();
    expect(await main(['score', input, '--embedder', 'trigram'], failing.io)).toBe(1);
    expect(failing.err()).toMatch(/line 2: invalid JSON/);

    const skipping = capture();
    expect(await main(['score', input, '--embedder', 'trigram', '--on-error', 'skip'], skipping.io)).toBe(0);
    const lines = skipping.out().trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.line)).toEqual([1, 2, 3, 4]);
    expect(lines[1].error).toMatch(/invalid JSON/);
    expect(lines[2].error).toBe('target.span: is required when relevant is true; target.duration: is required when relevant is true');
    expect(skipping.err()).toMatch(/line 3: target\.span: is required/);
    expect(skipping.err()).toMatch(/malformed lines\s+2/);
  });

  it('names the missing reference text', async () => {
    const run = capture(`${JSON.stringify({ completion: 'x', target: { relevant: false, answer: 'a' } })}\n`);
    expect(await main(['score', '-', '--embedder', 'trigram'], run.io)).toBe(1);
    expect(run.err()).toMatch(/line 1: target\.contrast: is required: the explain reward compares the answer with it/);
  });

  it('applies --profile and --weights', async () => {
    const line = JSON.stringify({ completion: '<think>a</think><answer></answer><correction>x</correction>', target: { relevant: false, answer: 'no', contrast: '1 to 2', query: 'q' } });
    const ref = capture(`${line}\n`);
    await main(['score', '-', '--embedder', 'trigram', '--quiet', '--weights', 'format=0,explain=0,correction=0'], ref.io);
    expect(JSON.parse(ref.out())).toMatchObject({ refuseIoU: 1, total: 1 });
    const strict = capture(`${line}\n`);
    await main(['score', '-', '--embedder', 'trigram', '--quiet', '--profile', 'strict'], strict.io);
    expect(JSON.parse(strict.out())).toMatchObject({ refuseIoU: 0, answer: 'none' });
  });

  it('exits 2 on bad usage and 3 on an unreadable file', async () => {
    const cases: [string[], number, RegExp][] = [
      [['score'], 2, /missing IN\.jsonl/],
      [['score', example, '--profile', 'lenient'], 2, /--profile must be one of ra-rft, strict/],
      [['score', example, '--weights', 'style=1'], 2, /unknown part 'style'/],
      [['score', example, '--bogus'], 2, /Unknown option '--bogus'/],
      [['score', join(tmp, 'missing.jsonl')], 3, /cannot read/],
      [['nope'], 2, /unknown command 'nope'/],
    ];
    for (const [argv, code, message] of cases) {
      const run = capture();
      expect(await main(argv, run.io), argv.join(' ')).toBe(code);
      expect(run.err()).toMatch(message);
    }
  });

  it('prints help for every command', async () => {
    for (const name of ['score', 'serve', 'bench-variants', 'train']) {
      const run = capture();
      expect(await main([name, '--help'], run.io)).toBe(0);
      expect(run.out()).toMatch(/^Usage: ra-rft-rewards /);
    }
    const run = capture();
    expect(await main(['--help'], run.io)).toBe(0);
    expect(run.out()).toMatch(/Exit codes/);
  });
});

describe('ra-rft-rewards score under faults', () => {
  const good = (i: number) => JSON.stringify({ completion: `<think>t</think><answer>${i} to ${i + 2}</answer><correction>NIL</correction>`, target: { relevant: true, span: [1, 5], duration: 60, answer: '1 to 5', contrast: 'no' } });
  const linesOf = (text: string) => text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { line: number; error?: string });

  it.each([[10], [100]])('--on-error fail writes all %i valid lines before the bad one, then exits 1', async (n) => {
    const input = join(tmp, `fail-${n}.jsonl`);
    writeFileSync(input, [...Array.from({ length: n }, (_, i) => good(i)), '{"completion": 3'].join('\n'));
    const run = capture();
    expect(await main(['score', input, '--embedder', 'trigram', '--quiet'], run.io)).toBe(1);
    expect(linesOf(run.out()).map((l) => l.line)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(run.err()).toMatch(new RegExp(`line ${n + 1}: `));
  });

  it('--on-error skip writes skipped-line records as it goes, not at the end', async () => {
    const stdin = new PassThrough();
    const run = capture();
    const io = { ...run.io, stdin };
    const done = main(['score', '-', '--embedder', 'trigram', '--quiet', '--on-error', 'skip', '--batch-size', '4'], io);
    for (let i = 0; i < 8; i++) stdin.write('{"bad": true}\n');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const before = linesOf(run.out());
    expect(before.length).toBeGreaterThanOrEqual(4); // written while the input is still open
    stdin.end(`${good(1)}\n`);
    expect(await done).toBe(0);
    const all = linesOf(run.out());
    expect(all.map((l) => l.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(all.slice(0, 8).every((l) => typeof l.error === 'string')).toBe(true);
  });

  it('accepts a UTF-8 BOM on line 1 and splits lines only on \\n and \\r\\n', async () => {
    const input = join(tmp, 'bom.jsonl');
    const withCr = good(2).replace('"target":', '\r"target":'); // a lone CR is JSON whitespace inside the line
    writeFileSync(input, `\uFEFF${good(1)}\r\n${withCr}\n${good(3)}`);
    const run = capture();
    expect(await main(['score', input, '--embedder', 'trigram', '--quiet'], run.io)).toBe(0);
    expect(linesOf(run.out()).map((l) => l.line)).toEqual([1, 2, 3]);
  });

  it('exits 3 with one line, no stack, on I/O errors: a directory, a full disk, a closed pipe, a missing file', async () => {
    const input = join(tmp, 'io.jsonl');
    writeFileSync(input, `${good(1)}\n`);
    const cases: [string[], RegExp][] = [
      [['score', tmp, '--embedder', 'trigram'], /cannot read .*: EISDIR/],
      [['score', input, '--embedder', 'trigram', '--out', tmp], /cannot write .*EISDIR/],
      [['score', join(tmp, 'missing.jsonl'), '--embedder', 'trigram'], /cannot read .*ENOENT/],
    ];
    if (existsSync('/dev/full')) cases.push([['score', input, '--embedder', 'trigram', '--quiet', '--out', '/dev/full'], /cannot write \/dev\/full: ENOSPC/]);
    for (const [argv, message] of cases) {
      const run = capture();
      expect(await main(argv, run.io), argv.join(' ')).toBe(3);
      const lines = run.err().trim().split('\n').filter((l) => l.startsWith('ra-rft-rewards score:'));
      expect(lines.at(-1)).toMatch(message);
      expect(run.err()).not.toMatch(/\n\s+at /);
    }
    // A reader that went away: stdout fails with EPIPE.
    const broken = new Writable({ write: (_chunk, _encoding, callback) => callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })) });
    const run = capture();
    expect(await main(['score', input, '--embedder', 'trigram', '--quiet'], { ...run.io, stdout: broken })).toBe(3);
    expect(run.err()).toMatch(/cannot write standard output: write EPIPE/);
  });
});
