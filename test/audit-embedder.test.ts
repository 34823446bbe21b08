// `audit --embedder`: explain and correction re-computed with an embedder, checked against the logged parts, used
// where none were logged and in a replay, with an estimate of the time before the pass starts.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditDump, pythonJsonDumps, synthesizeRun } from '../src/audit/index.js';
import type { RescoreEstimate } from '../src/audit/index.js';
import type { VerlRecord } from '../src/audit/synthesize-run.js';
import { main } from '../src/cli/index.js';
import { trigramHashEmbedder } from '../src/embeddings/trigram-hash-embedder.js';
import { raRftRewardBatch } from '../src/profiles/ra-rft-reward.js';
import type { Embedder, RaRftTarget, RewardProfile } from '../src/types.js';
import { captureIO } from './helpers/cli-io.js';

const tmp = mkdtempSync(join(tmpdir(), 'ra-rft-audit-embedder-'));
const trigram = trigramHashEmbedder();

/** A verl rollout_data_dir; `logged` decides what the reward function logged beside input/output/gts/step. */
async function verlRun(name: string, logged: 'trigram' | 'synthetic' | 'nothing', steps = 12): Promise<{ dir: string; records: VerlRecord[][] }> {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  const all: VerlRecord[][] = [];
  for (const records of synthesizeRun({ steps, prompts: 12, groupSize: 6 })) {
    all.push(records);
    let rows: object[] = records;
    if (logged === 'trigram') {
      // A run whose reward function used the trigram embedder: its logged parts are this library's.
      const scored = await raRftRewardBatch(
        records.map((r) => r.output),
        records.map((r) => r.gts as RaRftTarget),
        { embedder: trigram },
      );
      rows = records.map((r, i) => {
        const s = scored[i] as (typeof scored)[number];
        return { input: r.input, output: r.output, gts: r.gts, score: s.total, step: r.step, format: s.format, refuseIoU: s.refuseIoU, explain: s.explain, correction: s.correction };
      });
    } else if (logged === 'nothing') {
      rows = records.map((r) => ({ input: r.input, output: r.output, gts: r.gts, step: r.step }));
    }
    writeFileSync(join(dir, `${records[0]?.step}.jsonl`), `${rows.map((r) => pythonJsonDumps(r, ['step'])).join('\n')}\n`);
  }
  return { dir, records: all };
}

async function meanOf(records: VerlRecord[], part: 'explain' | 'correction', profile: RewardProfile): Promise<number> {
  const scored = await raRftRewardBatch(
    records.map((r) => r.output),
    records.map((r) => r.gts as RaRftTarget),
    { embedder: trigram, profile },
  );
  return scored.reduce((sum, s) => sum + s[part], 0) / scored.length;
}

/** An embedder that records what it was asked, in order, around the trigram one. */
function recording(events: string[]): Embedder {
  return {
    name: 'recording-trigram',
    async embed(texts) {
      events.push(`embed ${texts.length}`);
      return trigram.embed(texts);
    },
  };
}

describe('audit with an embedder', () => {
  it('fills in the parts a dump did not log, equal to raRftRewardBatch, under the run profile and, in a replay, the replay profile', async () => {
    const { dir, records } = await verlRun('nothing-logged', 'nothing', 6);
    const plain = await auditDump(dir);
    expect(plain.steps[0]?.means.explain).toBeNull();
    const result = await auditDump(dir, { embedder: trigram, replay: { profile: 'strict' } });
    for (const [k, step] of result.steps.entries()) {
      const own = records[k] as VerlRecord[];
      expect(step.means.explain).toBeCloseTo(await meanOf(own, 'explain', 'ra-rft'), 12);
      expect(step.means.correction).toBeCloseTo(await meanOf(own, 'correction', 'ra-rft'), 12);
      expect(result.replay?.steps[k]?.means.explain).toBeCloseTo(await meanOf(own, 'explain', 'strict'), 12);
      expect(result.replay?.steps[k]?.means.correction).toBeCloseTo(await meanOf(own, 'correction', 'strict'), 12);
    }
    // With all four parts known, the total is their sum: the detectors that need it now see it.
    expect(result.steps[0]?.means.total).not.toBeNull();
    expect(result.rescore).toMatchObject({ embedder: trigram.name, rollouts: 6 * 72 });
  });

  it('estimates before the pass: the estimate comes before the pass embeds anything, and scales by bytes to the dump', async () => {
    const { dir } = await verlRun('estimate', 'trigram', 40);
    const events: string[] = [];
    let estimate: RescoreEstimate | undefined;
    const result = await auditDump(dir, {
      embedder: recording(events),
      onEstimate: (e) => {
        estimate = e;
        events.push('estimate');
      },
    });
    expect(estimate).toBeDefined();
    const e = estimate as RescoreEstimate;
    // The warm-up call and one call per sample batch come first, then the estimate, then one call per batch of the pass.
    expect(events.slice(0, 4)).toEqual(['embed 1', expect.stringMatching(/^embed \d+$/), expect.stringMatching(/^embed \d+$/), 'estimate']);
    expect(events.length).toBeGreaterThan(4);
    expect(e.wholeDump).toBe(false);
    expect(e.sampleRollouts).toBeGreaterThanOrEqual(512);
    expect(e.sampleTexts).toBeGreaterThan(0);
    expect(e.textsPerSecond).toBeGreaterThan(0);
    // The timed batch's seconds per rollout, times the rollouts expected.
    expect(e.seconds).toBeCloseTo((e.rollouts * e.sampleTexts) / e.textsPerSecond / e.sampleRollouts, 6);
    // 40 steps × 72 rollouts, estimated from the first 8 files' bytes.
    expect(e.rollouts).toBeGreaterThan(0.8 * 2880);
    expect(e.rollouts).toBeLessThan(1.2 * 2880);
    expect(result.rollouts).toBe(2880);
    expect(result.findings).toEqual([]);
  });

  it('a dump smaller than the sample is estimated exactly', async () => {
    const { dir } = await verlRun('small', 'trigram', 3);
    let estimate: RescoreEstimate | undefined;
    await auditDump(dir, { embedder: trigram, onEstimate: (e) => (estimate = e) });
    expect(estimate).toMatchObject({ wholeDump: true, rollouts: 216, sampleRollouts: 216 });
  });

  it('CLI: a run logged with the same embedder passes; the estimate is printed before the first progress line', async () => {
    const { dir } = await verlRun('cli-same', 'trigram', 40);
    const out = join(tmp, 'cli-same-out');
    const run = captureIO();
    expect(await main(['audit', dir, '--out', out, '--embedder', 'trigram'], run.io)).toBe(0);
    const err = run.err();
    const estimateAt = err.search(/^audit: re-scoring explain and correction with trigram-hash-\d+ will take about \d+(m\d\ds|s): about [\d,]+ rollouts, [\d,]+ distinct texts at [\d,]+ texts\/s \(timed on [\d,]+ of the first rollouts; the first call took \d+\.\d s\)$/m);
    expect(estimateAt).toBeGreaterThanOrEqual(0);
    const progressAt = err.search(/^audit: [\d,]+ rollouts/m);
    if (progressAt >= 0) expect(progressAt).toBeGreaterThan(estimateAt);
    expect(run.out()).toMatch(/re-scored explain and correction with trigram-hash-\d+ in \d+/);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toMatch(/Explain and correction re-computed with `trigram-hash-\d+` for 2880 rollouts/);
    // --quiet keeps the estimate: it is what the run will cost, not progress.
    const quiet = captureIO();
    expect(await main(['audit', dir, '--out', out, '--embedder', 'trigram', '--quiet'], quiet.io)).toBe(0);
    expect(quiet.err()).toMatch(/^audit: re-scoring explain and correction/m);
  });

  it('CLI: parts logged with another embedder are a score-mismatch only when the audit re-computes them', async () => {
    const { dir } = await verlRun('cli-other', 'synthetic', 12);
    const out = join(tmp, 'cli-other-out');
    expect(await main(['audit', dir, '--out', out, '--quiet'], captureIO().io)).toBe(0);
    expect(await main(['audit', dir, '--out', out, '--quiet', '--embedder', 'trigram'], captureIO().io)).toBe(4);
    const findings = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8'));
    expect(findings.map((f: { detector: string }) => f.detector)).toContain('score-mismatch');
    const mismatch = findings.find((f: { detector: string }) => f.detector === 'score-mismatch');
    expect(mismatch.step).toBe(findings[0].step);
    expect(mismatch.evidence.examples[0].note).toMatch(/"explain":/);
  });

  it('a failing embedder fails the audit (no part becomes 0): the library rejects, the CLI exits 3 with one line', async () => {
    const { dir } = await verlRun('failing', 'trigram', 12);
    let calls = 0;
    const flaky: Embedder = {
      name: 'flaky',
      async embed(texts) {
        calls++;
        if (calls > 3) throw new Error('the embedding service went away');
        return trigram.embed(texts);
      },
    };
    await expect(auditDump(dir, { embedder: flaky })).rejects.toThrow(/went away/);
    const run = captureIO();
    // A port that was free a moment ago: nothing answers there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    expect(await main(['audit', dir, '--out', join(tmp, 'failing-out'), '--quiet', '--embedder', `openai:http://127.0.0.1:${port}/v1#model`], run.io)).toBe(3);
    expect(run.err().trim().split('\n')).toHaveLength(1);
    expect(run.err()).toMatch(/^ra-rft-rewards audit: the embedder failed: .*could not be reached \((?!bad port)/);
  });

  it('CLI usage: a bad --embedder and --embedder-path without MiniLM exit 2', async () => {
    const { dir } = await verlRun('usage', 'trigram', 2);
    const bad = captureIO();
    expect(await main(['audit', dir, '--out', join(tmp, 'usage-out'), '--embedder', 'word2vec'], bad.io)).toBe(2);
    expect(bad.err()).toMatch(/--embedder must be one of/);
    const path = captureIO();
    expect(await main(['audit', dir, '--out', join(tmp, 'usage-out'), '--embedder', 'trigram', '--embedder-path', tmp], path.io)).toBe(2);
    expect(path.err()).toMatch(/--embedder-path is a MiniLM folder/);
  });
});
