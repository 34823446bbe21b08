import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/index.js';
import { captureIO } from './helpers/cli-io.js';

const tmp = mkdtempSync(join(tmpdir(), 'ra-rft-train-'));

describe('ra-rft-rewards train', () => {
  it('runs a tiny training and writes the report, summary and curves', { timeout: 120_000 }, async () => {
    const out = join(tmp, 'run');
    const argv = ['train', '--backend', 'wasm', '--seed', '2', '--sft-steps', '3', '--sft-batch', '4', '--grpo-steps', '2', '--prompts', '2', '--group-size', '3', '--eval-relevant', '3', '--eval-irrelevant', '3', '--eval-every', '1', '--out', out];
    const run = captureIO();
    expect(await main(argv, run.io), run.err()).toBe(0);
    expect(run.err()).toMatch(/backend: wasm/);
    expect(run.err()).toMatch(/grpo +2\/2 +reward /);
    expect(run.out()).toMatch(/\| refusal accuracy \(hard-irrelevant\) ↑ \| \d\.\d{3} \| \d\.\d{3} \|/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.backend.name).toBe('wasm');
    expect(report.config.seed).toBe(2);
    expect(report.config.grpo.groupSize).toBe(3);
    expect(report.grpo.steps).toHaveLength(2);
    expect(report.grpo.evaluations.map((e: { step: number }) => e.step)).toEqual([0, 1, 2]);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('ra-rft-rewards train --backend wasm --seed 2');
    expect(readFileSync(join(out, 'curves.svg'), 'utf8')).toMatch(/^<svg/);
    expect(existsSync(join(out, 'curves.png'))).toBe(true);
  });

  it('rejects bad usage before training', async () => {
    const cases: [string[], number, RegExp][] = [
      [['train', '--backend', 'tpu'], 2, /--backend must be one of auto, webgpu, wasm, cpu/],
      [['train', '--group-size', '1'], 2, /--group-size/],
      [['train', '--prompt-weighting', 'hard'], 2, /--prompt-weighting must be one of uniform, difficulty/],
      [['train', '--bogus'], 2, /Unknown option '--bogus'/],
    ];
    for (const [argv, code, message] of cases) {
      const run = captureIO();
      expect(await main(argv, run.io), argv.join(' ')).toBe(code);
      expect(run.err()).toMatch(message);
    }
  });
});
