// `ra-rft-rewards audit` on TRL's output_dir: synthesized runs written as GRPOTrainer writes its completions
// parquet (one completions_<step>.parquet a logging step), each injected hack found within a few steps of onset.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthesizeRun } from '../src/audit/index.js';
import type { DetectorId } from '../src/audit/options.js';
import { main } from '../src/cli/index.js';
import { captureIO } from './helpers/cli-io.js';
import { writeTrlRun } from './helpers/trl-parquet.js';

const tmp = mkdtempSync(join(tmpdir(), 'ra-rft-audit-parquet-cli-'));
const ONSET = 12;

/** A 24-step run as TRL's output_dir; `target` logs the ground truth as a log_extra column (TRL has none). */
function trlRun(name: string, hack: DetectorId | undefined, target: boolean): string {
  const outputDir = join(tmp, name);
  writeTrlRun(outputDir, synthesizeRun({ steps: 24, prompts: 12, groupSize: 6, hack, onset: ONSET }), { target, rowGroupSize: 50 });
  return outputDir;
}

async function audit(dir: string): Promise<{ code: number; findings: { detector: string; step: number }[]; out: string; err: string }> {
  const out = join(dir, 'audit');
  const run = captureIO();
  const code = await main(['audit', dir, '--out', out, '--quiet'], run.io);
  const findings = code === 0 || code === 4 ? JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) : [];
  return { code, findings, out: run.out(), err: run.err() };
}

describe("ra-rft-rewards audit on TRL's completions parquet", () => {
  it.each([false, true])('a clean run flags nothing (target column: %s)', async (target) => {
    const result = await audit(trlRun(`clean-${target}`, undefined, target));
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.findings).toEqual([]);
    expect(result.out).toContain('1728 rollouts, 24 steps (trl-parquet)');
  });

  // TRL's table holds the texts, the reward and its logged parts, no ground truth: these hacks show without one.
  it.each(['length-drift', 'format-only', 'zero-signal-groups', 'part-dominance'] as const)('%s is found within a few steps of its onset, without targets', async (hack) => {
    const result = await audit(trlRun(hack, hack, false));
    expect(result.code).toBe(4);
    const finding = result.findings.find((f) => f.detector === hack);
    expect(finding, JSON.stringify(result.findings)).toBeDefined();
    expect(finding?.step).toBeGreaterThanOrEqual(ONSET);
    expect(finding?.step).toBeLessThanOrEqual(ONSET + 4);
  });

  // With the target logged through log_extra, the detectors that need one work too.
  it.each(['span-out-of-video', 'refusal-collapse', 'whole-video-span'] as const)('%s is found within a few steps of its onset, with a target column', async (hack) => {
    const result = await audit(trlRun(`${hack}-target`, hack, true));
    expect(result.code).toBe(4);
    const finding = result.findings.find((f) => f.detector === hack);
    expect(finding, JSON.stringify(result.findings)).toBeDefined();
    expect(finding?.step).toBeGreaterThanOrEqual(ONSET);
    expect(finding?.step).toBeLessThanOrEqual(ONSET + 4);
  });
});
