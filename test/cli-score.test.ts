import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
