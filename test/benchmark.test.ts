// bench-variants: the library run on a small sample of the shipped HI-VTG data, and the command end to end.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BenchResult, benchVariants } from '../src/benchmark/bench-variants.js';
import type { ModelCompletion } from '../src/benchmark/model-completions.js';
import { strictVariant } from '../src/benchmark/variants.js';
import { VARIANTS } from '../src/variants/registry.js';
import { main } from '../src/cli/index.js';
import { sharedPath } from './helpers/shared.js';

const data = [sharedPath('data/hi-vtg')];

function withoutTiming(result: BenchResult): unknown {
  return { ...result, elapsedSeconds: 0, variants: result.variants.map((variant) => ({ ...variant, completionsPerSecond: 0 })) };
}

describe('benchVariants on HI-VTG', () => {
  let result: BenchResult;
  beforeAll(async () => {
    result = await benchVariants({ data, itemsPerFile: 4, seed: 3, minTimeSeconds: 0 });
  });

  it('measures every built-in variant', () => {
    expect(result.variants.map((v) => v.id)).toEqual(VARIANTS.map((v) => v.id));
    expect(result.data.files.map((f) => f.sampled)).toEqual([4, 4, 4, 4]);
    for (const variant of result.variants) {
      expect(variant.completionsPerSecond, variant.id).toBeGreaterThan(0);
      expect(variant.auc.all, variant.id).toBeGreaterThanOrEqual(0.5);
      expect(variant.distribution.correct?.n, variant.id).toBe(result.completions.byBucket.correct);
      expect(variant.zeroVariance.map((z) => z.skill)).toEqual([0.2, 0.5, 0.8]);
    }
  });

  it('finds what the variants are known for', () => {
    const v = Object.fromEntries(result.variants.map((variant) => [variant.id, variant]));
    // The reference ranks genuine answers above every failure; plain IoU cannot tell refusals apart.
    expect(v['ra-rft']?.auc.all).toBe(1);
    expect(v['plain-iou']?.auc.irrelevant).toBeLessThan(1);
    // TimeLens pays nothing on irrelevant targets: every such group has zero variance.
    expect(v.timelens?.zeroVariance.every((z) => z.irrelevant === 1)).toBe(true);
    // The reference pays a hedge with two answer blocks like the genuine answer; strict pays it nothing.
    expect(v['ra-rft']?.hacks.find((h) => h.hack === 'multiple-answers')?.maxGain).toBe(0);
    expect(v.strict?.hacks.find((h) => h.hack === 'multiple-answers')?.max).toBe(0);
    // Correction hacks are not counted against variants without a correction reward.
    expect(v['ra-rft']?.hacks.find((h) => h.hack === 'nil-in-word')?.counted).toBe(false);
    expect(v['ra-rft']?.spearman).toBeGreaterThan(0.9);
  });

  it('is deterministic for a seed, apart from the timing', async () => {
    const again = await benchVariants({ data, itemsPerFile: 4, seed: 3, minTimeSeconds: 0 });
    expect(withoutTiming(again)).toEqual(withoutTiming(result));
  });

  it('strict gives no hack more than the genuine answer on the same target', async () => {
    const strict = await benchVariants({ data, itemsPerFile: 60, seed: 9, minTimeSeconds: 0, variants: [strictVariant] });
    const [variant] = strict.variants;
    for (const hack of variant?.hacks ?? []) expect(hack.maxGain ?? -Infinity, hack.hack).toBeLessThanOrEqual(1e-12);
  });
});

describe('benchVariants with model completions and user variants', () => {
  const target = { relevant: true, span: [2, 6], duration: 20 } as const;
  const irrelevant = { relevant: false, duration: 20 } as const;
  const completions: ModelCompletion[] = [
    { completion: '<think>a</think><answer>2 to 6</answer><correction>NIL</correction>', target, kind: 'correct', iou: 1, group: 'p1' },
    { completion: '<think>a</think><answer>3 to 6</answer><correction>NIL</correction>', target, kind: 'near-miss', iou: 0.75, group: 'p1' },
    { completion: '<think>a</think><answer>10 to 12</answer><correction>NIL</correction>', target, kind: 'wrong-span', iou: 0, group: 'p1' },
    { completion: '<think>a</think><answer>Nothing like it happens here.</answer><correction>x</correction>', target: irrelevant, label: 'good', group: 'p2' },
    { completion: '<think>a</think><answer>2 to 6</answer><correction>NIL</correction>', target: irrelevant, label: 'bad', group: 'p2' },
  ];

  it('scores the texts as given, with their labels and groups', async () => {
    const result = await benchVariants({
      modelCompletions: completions,
      minTimeSeconds: 0,
      variants: [strictVariant, { id: 'constant', name: 'Constant', source: 'test', formula: '1', parser: 'none', format: 'r1', score: () => 1 }],
    });
    expect(result.mode).toBe('model');
    const [strict, constant] = result.variants;
    expect(strict?.auc.all).toBe(1);
    expect(strict?.spearman).toBeCloseTo(1, 12);
    expect(strict?.zeroVariance).toEqual([{ skill: null, groups: 2, all: 0, relevant: 0, irrelevant: 0 }]);
    expect(constant?.auc.all).toBe(0.5);
    expect(constant?.zeroVariance[0]?.all).toBe(1);
  });

  it('rejects a variant whose score is missing or a run without data', async () => {
    await expect(benchVariants({ modelCompletions: completions, variants: [{ id: 'x', name: 'x', source: '', formula: '', parser: '', format: 'r1' }] })).rejects.toThrow(/score/);
    await expect(benchVariants({})).rejects.toThrow(/exactly one of data, targets or modelCompletions/);
  });
});

describe('ra-rft-rewards bench-variants', () => {
  function capture() {
    const out = { stdout: '', stderr: '' };
    const io = {
      stdout: { write: (chunk: string) => ((out.stdout += chunk), true) },
      stderr: { write: (chunk: string) => ((out.stderr += chunk), true) },
      stdin: process.stdin,
    } as unknown as Parameters<typeof main>[1];
    return { out, io };
  }

  it('runs end to end on a small sample and writes the Markdown, JSON and self-contained HTML report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-variants-'));
    const module = join(dir, 'mine.mjs');
    writeFileSync(module, "export const variants = [{ id: 'always-one', name: 'Always 1', source: 'test', formula: '1', parser: 'none', format: 'r1', scores: ['span'], score: () => 1 }];\n");
    const { out, io } = capture();
    const code = await main(['bench-variants', '--data', data.join(','), '--items', '2', '--min-time', '0', '--variant-module', module, '--out', join(dir, 'report')], io);
    expect(code, out.stderr).toBe(0);
    expect(out.stderr).toMatch(new RegExp(`\\[${VARIANTS.length + 1}/${VARIANTS.length + 1}\\] always-one`));
    expect(out.stdout).toMatch(/\| strict \| ra-rft \|/);
    expect(out.stdout).toMatch(/\| always-one \| r1 \|/);
    for (const file of ['summary.md', 'results.json', 'report.html']) expect(existsSync(join(dir, 'report', file)), file).toBe(true);
    const html = readFileSync(join(dir, 'report', 'report.html'), 'utf8');
    expect(html.match(/<svg/g)?.length).toBe(5);
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
    const summary = readFileSync(join(dir, 'report', 'summary.md'), 'utf8');
    expect(summary).toMatch(/^# Reward-variant benchmark/);
    expect(summary).toMatch(/## Reward hacks/);
    expect(JSON.parse(readFileSync(join(dir, 'report', 'results.json'), 'utf8')).variants).toHaveLength(VARIANTS.length + 1);
  });

  it('scores a JSONL file of model completions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-variants-'));
    const file = join(dir, 'completions.jsonl');
    const target = { relevant: true, span: [2, 6], duration: 20 };
    writeFileSync(file, [`{"completion": "<think>a</think><answer>2 to 6</answer><correction>NIL</correction>", "target": ${JSON.stringify(target)}, "kind": "correct"}`, `{"completion": "<answer>9 to 12</answer>", "target": ${JSON.stringify(target)}, "kind": "wrong-span"}`, ''].join('\n'));
    const { out, io } = capture();
    expect(await main(['bench-variants', '--completions', file, '--no-html', '--quiet', '--min-time', '0', '--out', join(dir, 'r')], io)).toBe(0);
    expect(existsSync(join(dir, 'r', 'report.html'))).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'r', 'results.json'), 'utf8')).variants[0].auc.all).toBe(1);
    expect(out.stdout).toBe('');
  });

  it('fails clearly on missing data, bad usage and malformed input', async () => {
    const missing = capture();
    expect(await main(['bench-variants', '--data', '/nonexistent/hi-vtg', '--quiet'], missing.io)).toBe(3);
    expect(missing.out.stderr).toMatch(/no file or folder \/nonexistent\/hi-vtg/);
    const usage = capture();
    expect(await main(['bench-variants', '--variants', 'nope'], usage.io)).toBe(2);
    expect(usage.out.stderr).toMatch(/unknown variant 'nope'/);
    const dir = mkdtempSync(join(tmpdir(), 'bench-variants-'));
    writeFileSync(join(dir, 'bad.jsonl'), '{"completion": 3}\n');
    const malformed = capture();
    expect(await main(['bench-variants', '--completions', join(dir, 'bad.jsonl'), '--quiet'], malformed.io)).toBe(1);
    expect(malformed.out.stderr).toMatch(/line 1: completion must be a string/);
  });
});
