import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/index.js';
import { evaluatePredictions, parseEvaluationInput } from '../src/evaluate/index.js';
import { trigramHashEmbedder } from '../src/index.js';
import { captureIO } from './helpers/cli-io.js';
import { repoRoot } from './helpers/shared.js';

const example = join(repoRoot, 'examples/inference_results.json');
const tmp = mkdtempSync(join(tmpdir(), 'ra-rft-evaluate-'));

describe('ra-rft-rewards evaluate', () => {
  it('writes metrics.json, items.jsonl, summary.md and report.html for the shipped example; numbers equal the API', async () => {
    const out = join(tmp, 'example');
    const run = captureIO();
    expect(await main(['evaluate', example, '--out', out, '--embedder', 'trigram'], run.io)).toBe(0);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    const want = await evaluatePredictions(parseEvaluationInput(readFileSync(example, 'utf8')).items, { embedder: trigramHashEmbedder() });
    const { command, input, ...rest } = metrics;
    expect(rest).toEqual(JSON.parse(JSON.stringify(want.metrics)));
    expect(command).toBe(`ra-rft-rewards evaluate ${example} --out ${out} --embedder trigram`);
    expect(input).toEqual({ file: example, format: 'json', kinds: ['inference-results'], records: 32, skipped: [] });
    // The keys the issue lists.
    const m = metrics;
    for (const value of [m.count, m.relevance.accuracy, m.raIoU.mean, m.raIoU['R@0.3'], m.raIoU['R@0.5'], m.raIoU['R@0.7'], m.relevantOnly.mIoU, m.relevantOnly['R@0.3'], m.relevantOnly['R@0.5'], m.relevantOnly['R@0.7']]) expect(value).toBeTypeOf('number');
    for (const cell of ['TP', 'FP', 'FN', 'TN']) expect(m.relevance.confusion[cell]).toBeTypeOf('number');
    for (const side of ['relevant', 'irrelevant']) for (const key of ['precision', 'recall', 'f1', 'accuracy']) expect(m.relevance[side][key]).toBeTypeOf('number');
    expect(Object.keys(m.byHardness)).toEqual(['easy', 'hard', 'medium', 'original']);
    expect(Object.keys(m.byCategory).length).toBeGreaterThan(3);
    expect(metrics.explanation.embedder).toBe('trigram-hash-256');

    const lines = readFileSync(join(out, 'items.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(32);
    expect(lines[0]).toMatchObject({ index: 0, decision: 'relevant', cell: 'TP', raIoU: 1, id: { video: expect.any(String), query: expect.any(String) } });

    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(summary).toMatch(/\| Acc \| F1 rel\. \| F1 irr\. \| RA-mIoU \| R@0\.3 \| R@0\.5 \| R@0\.7 \|/);
    expect(summary).toContain(`| ${(metrics.relevance.accuracy * 100).toFixed(1)} |`);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html.match(/<svg/g)).toHaveLength(3);
    expect(html).not.toMatch(/<script|https?:\/\/(?!vega\.github\.io|www\.w3\.org)/);
    expect(html).toContain('Confusion matrix');
    // The summary table goes to standard output; nothing drawn when stderr is not a terminal.
    expect(run.out()).toMatch(/Summary \(paper layout\)\nAcc\s+F1 rel\./);
    expect(run.out()).toContain(`TP ${metrics.relevance.confusion.TP}  FP ${metrics.relevance.confusion.FP}`);
    expect(run.err()).toBe('embedder: trigram-hash-256 (requested)\n');
  });

  it('draws a progress bar on a terminal', async () => {
    const run = captureIO();
    (run.io.stderr as unknown as { isTTY: boolean }).isTTY = true;
    expect(await main(['evaluate', example, '--out', join(tmp, 'tty'), '--embedder', 'trigram', '--no-html'], run.io)).toBe(0);
    expect(run.err()).toMatch(/\revaluating \[#+\.*\]\s+\d+% \d+ explanations/);
  });

  const bad = join(tmp, 'bad.json');
  const records = JSON.parse(readFileSync(example, 'utf8')) as Record<string, unknown>[];
  writeFileSync(bad, JSON.stringify([records[0], { ...records[1], gt_relevant: 'no' }, { ...records[2], gt_timestamp: null }, ...records.slice(3)]));

  it('--on-error fail (default): a bad item names its index and field, exit 1, nothing written', async () => {
    const run = captureIO();
    expect(await main(['evaluate', bad, '--out', join(tmp, 'fail'), '--embedder', 'none'], run.io)).toBe(1);
    expect(run.err()).toContain(`${bad}: item 1: gt_relevant: Invalid input: expected boolean, received string`);
    expect(run.err()).toContain(`${bad}: item 2: gt_timestamp: must be [start, end] when gt_relevant is true`);
    expect(run.err()).toMatch(/2 malformed record\(s\)/);
    expect(() => readFileSync(join(tmp, 'fail', 'metrics.json'))).toThrow();
  });

  it('--on-error skip: reports and lists the bad items, evaluates the rest', async () => {
    const run = captureIO();
    const out = join(tmp, 'skip');
    expect(await main(['evaluate', bad, '--out', out, '--embedder', 'none', '--no-html', '--quiet'], run.io)).toBe(1);
    const ok = captureIO();
    expect(await main(['evaluate', bad, '--out', out, '--embedder', 'none', '--no-html', '--quiet', '--on-error', 'skip'], ok.io)).toBe(0);
    expect(ok.err()).toContain('item 1: gt_relevant');
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.count).toBe(30);
    expect(metrics.input.skipped.map((s: { where: string }) => s.where)).toEqual(['item 1', 'item 2']);
    expect(metrics.explanation).toBeNull();
    expect(ok.out()).toContain('skipped records 2');
  });

  it('reads {completion, target} JSONL (the score input)', async () => {
    const input = join(tmp, 'score-input.jsonl');
    writeFileSync(input, readFileSync(join(repoRoot, 'examples/completions.jsonl'), 'utf8'));
    const run = captureIO();
    expect(await main(['evaluate', input, '--out', join(tmp, 'jsonl'), '--embedder', 'trigram', '--no-html', '--quiet'], run.io)).toBe(0);
    const metrics = JSON.parse(readFileSync(join(tmp, 'jsonl', 'metrics.json'), 'utf8'));
    expect(metrics.input.kinds).toEqual(['completion', 'hi-vtg']);
    expect(metrics.count).toBeGreaterThan(2);
  });

  it('--compare prints two runs side by side with B − A', async () => {
    const a = join(tmp, 'cmp-a');
    const b = join(tmp, 'cmp-b');
    expect(await main(['evaluate', example, '--out', a, '--embedder', 'none', '--no-html', '--quiet'], captureIO().io)).toBe(0);
    expect(await main(['evaluate', example, '--out', b, '--embedder', 'none', '--no-html', '--quiet', '--keep-end-tokens'], captureIO().io)).toBe(0);
    const A = JSON.parse(readFileSync(join(a, 'metrics.json'), 'utf8'));
    const B = JSON.parse(readFileSync(join(b, 'metrics.json'), 'utf8'));
    const run = captureIO();
    expect(await main(['evaluate', '--compare', join(a, 'metrics.json'), join(b, 'metrics.json'), '--out', join(tmp, 'cmp')], run.io)).toBe(0);
    // Kept end tokens break the format of the outputs that end with one; the decisions stay.
    const row = (name: string) => run.out().split('\n').find((line) => line.startsWith(`${name} `))?.split(/\s+/);
    const delta = B.formatRate - A.formatRate;
    expect(delta).toBeLessThan(0);
    expect(row('formatRate')).toEqual(['formatRate', A.formatRate.toFixed(4), B.formatRate.toFixed(4), `−${Math.abs(delta).toFixed(4)}`]);
    expect(row('relevance.confusion.TN')).toEqual(['relevance.confusion.TN', String(A.relevance.confusion.TN), String(B.relevance.confusion.TN), '+0']);
    expect(run.out()).toMatch(/^metric\s+cmp-a\s+cmp-b\s+Δ/m);
    expect(readFileSync(join(tmp, 'cmp', 'compare.md'), 'utf8')).toContain('| formatRate |');
  });

  it('usage and I/O errors', async () => {
    const missing = captureIO();
    expect(await main(['evaluate', example], missing.io)).toBe(2);
    expect(missing.err()).toMatch(/missing --out DIR/);
    const unreadable = captureIO();
    expect(await main(['evaluate', join(tmp, 'nope.json'), '--out', join(tmp, 'x')], unreadable.io)).toBe(3);
    expect(await main(['evaluate', example, '--out', join(tmp, 'y'), '--judge-url', 'http://127.0.0.1:1/v1'], captureIO().io)).toBe(2);
    expect(await main(['evaluate', '--compare', example], captureIO().io)).toBe(2);
  });
});
