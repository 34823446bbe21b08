import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditOptionFields, auditOptionsMarkdown, pythonJsonDumps, synthesizeRun } from '../src/audit/index.js';
import type { DetectorId } from '../src/audit/options.js';
import { main } from '../src/cli/index.js';
import { captureIO } from './helpers/cli-io.js';
import { repoRoot } from './helpers/shared.js';

const tmp = mkdtempSync(join(tmpdir(), 'ra-rft-audit-cli-'));

function verlRun(name: string, hack?: DetectorId): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  for (const records of synthesizeRun({ steps: 24, prompts: 12, groupSize: 6, hack, onset: 12 })) {
    const lines = records.map((r) => pythonJsonDumps(r, ['step']));
    writeFileSync(join(dir, `${records[0]?.step}.jsonl`), `${lines.join('\n')}\n`);
  }
  return dir;
}

describe('ra-rft-rewards audit', () => {
  it('a clean verl run: exit 0, empty findings.json, summary.md and an offline report.html', async () => {
    const out = join(tmp, 'clean-out');
    const run = captureIO();
    expect(await main(['audit', verlRun('clean'), '--out', out], run.io)).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8'))).toEqual([]);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('**No detector fired.**');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(run.out()).toContain('1728 rollouts, 24 steps (verl)');
    // Progress lines on stderr although it is not a terminal.
    expect(run.err()).toMatch(/^audit: [\d,]+ rollouts/m);
  });

  it('a hacked run: exit 4, the finding with its first step, evidence and severity; --fail-on error ignores warnings', async () => {
    const dir = verlRun('span-out', 'span-out-of-video');
    const out = join(tmp, 'span-out-out');
    const run = captureIO();
    expect(await main(['audit', dir, '--out', out, '--quiet'], run.io)).toBe(4);
    const findings = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8'));
    expect(findings[0]).toMatchObject({ detector: 'span-out-of-video', severity: 'warning', step: expect.any(Number), evidence: { counts: { spans: expect.any(Number) } } });
    expect(findings[0].step).toBeGreaterThanOrEqual(12);
    expect(findings[0].step).toBeLessThanOrEqual(16);
    expect(findings[0].evidence.examples[0].note).toMatch(/past the end/);
    expect(run.err()).toBe('');
    expect(await main(['audit', dir, '--out', out, '--quiet', '--fail-on', 'error'], captureIO().io)).toBe(0);
    // Option flags from the schema: its severity lowered to info passes under --fail-on warning.
    expect(await main(['audit', dir, '--out', out, '--quiet', '--span-out-of-video-severity', 'info'], captureIO().io)).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8'))[0].severity).toBe('info');
  });

  it('replay under another variant writes replay.json with each detector and the advantage changes; --curate writes kept prompts', async () => {
    const dir = verlRun('replay');
    const out = join(tmp, 'replay-out');
    const curated = join(tmp, 'curated.jsonl');
    expect(await main(['audit', dir, '--out', out, '--quiet', '--variant', 'plain-iou', '--curate', curated], captureIO().io)).toBe(0);
    const replay = JSON.parse(readFileSync(join(out, 'replay.json'), 'utf8'));
    expect(replay.scoring).toMatchObject({ variant: 'plain-iou' });
    expect(replay.detectors.map((d: { detector: string }) => d.detector)).toContain('zero-signal-groups');
    expect(replay.advantages.groups).toBe(24 * 12);
    expect(replay.advantages.meanAbsChange).toBeGreaterThan(0);
    const rows = readFileSync(curated, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.spread).toBeGreaterThan(1e-6);
      expect(row.accuracy).toBeGreaterThanOrEqual(0.1);
      expect(row.accuracy).toBeLessThanOrEqual(0.9);
      expect(row.target).toHaveProperty('relevant');
    }
    expect(new Set(rows.map((r) => r.prompt)).size).toBe(rows.length);
  });

  it('exit codes: 2 for bad usage and unreadable layouts, 3 for a missing path', async () => {
    const run = captureIO();
    expect(await main(['audit', verlRun('usage'), '--out', join(tmp, 'u'), '--window', '0'], run.io)).toBe(2);
    expect(run.err()).toMatch(/--window must be an integer in 1\.\.1000/);
    expect(await main(['audit', join(tmp, 'usage')], captureIO().io)).toBe(2);
    expect(await main(['audit', join(tmp, 'usage'), '--out', join(tmp, 'u'), '--variant', 'taro'], captureIO().io)).toBe(2);
    const parquet = join(tmp, 'c.parquet');
    writeFileSync(parquet, 'PAR1');
    const p = captureIO();
    expect(await main(['audit', parquet, '--out', join(tmp, 'u')], p.io)).toBe(2);
    expect(p.err()).toMatch(new RegExp(`^ra-rft-rewards audit: ${parquet}: not a readable parquet file: [^\\n]+\\n$`));
    expect(await main(['audit', join(tmp, 'nope'), '--out', join(tmp, 'u')], captureIO().io)).toBe(3);
  });

  it('--help lists every threshold flag of the schema, and docs/audit.md holds the generated table', async () => {
    const run = captureIO();
    expect(await main(['audit', '--help'], run.io)).toBe(0);
    for (const field of auditOptionFields()) expect(run.out()).toContain(field.flag);
    const docs = readFileSync(join(repoRoot, 'docs/audit.md'), 'utf8');
    expect(docs).toContain(`<!-- audit-options:start -->\n${auditOptionsMarkdown()}\n<!-- audit-options:end -->`);
  });
});
