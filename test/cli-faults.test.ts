// The CLI's faults with the real thing: a full file system (a 1 MiB tmpfs), a socket that cannot be opened,
// a long file through the real process; and the run-level features (progress without a terminal, --resume,
// --parts, --embedder-path) on real files.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/index.js';
import { resumePoint } from '../src/cli/commands/score.js';
import { type RaRftTarget, raRftRewardBatch } from '../src/index.js';
import { captureIO } from './helpers/cli-io.js';
import { repoRoot } from './helpers/shared.js';

const tmp = mkdtempSync(join(tmpdir(), 'ra-rft-faults-'));
const CI = process.env.CI === 'true';

const good = (i: number) =>
  JSON.stringify({ id: `c${i}`, completion: `<think>t</think><answer>${i % 7} to ${(i % 7) + 2}</answer><correction>NIL</correction>`, target: { relevant: true, span: [1, 5], duration: 60, answer: '1 to 5', contrast: 'no' } });

function writeInput(name: string, lines: number): string {
  const path = join(tmp, name);
  writeFileSync(path, `${Array.from({ length: lines }, (_, i) => good(i)).join('\n')}\n`);
  return path;
}

/** The real `ra-rft-rewards` process (bin.ts through tsx): exit code and standard error as a user sees them. */
function cli(args: string[]): { status: number | null; stderr: string; stdout: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/bin.ts'), ...args], { encoding: 'utf8', cwd: repoRoot, maxBuffer: 64 << 20 });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

const wholeLines = (text: string) => text.split('\n').slice(0, -1);

describe('score on a full disk (a 1 MiB tmpfs)', () => {
  const mountPoint = join(tmp, 'full');
  let mounted = false;
  beforeAll(() => {
    mkdirSync(mountPoint);
    const result = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint], { encoding: 'utf8' });
    mounted = result.status === 0;
    if (!mounted) {
      const why = (result.stderr || result.error?.message || 'mount failed').trim();
      if (CI) throw new Error(`CI=true: the full-disk test needs mount (CI runs as root): ${why}`);
      console.warn(`skipping the full-disk test: cannot mount a tmpfs here (${why})`);
    }
  });
  afterAll(() => {
    if (mounted) spawnSync('umount', [mountPoint]);
  });

  it('exits 3 with one line naming ENOSPC and the lines written; the file keeps exactly those whole lines', (context) => {
    if (!mounted) return context.skip();
    const input = writeInput('big.jsonl', 12_000); // ≈ 3.6 MB of results: more than the 1 MiB disk
    const out = join(mountPoint, 'scored.jsonl');
    const run = cli(['score', input, '--embedder', 'trigram', '--quiet', '--out', out]);
    expect(run.status).toBe(3);
    const lines = run.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('npm warn'));
    expect(lines).toHaveLength(1);
    const match = /^ra-rft-rewards score: cannot write .*: ENOSPC: no space left on device, write \((\d+) lines written to .*\)$/.exec(lines[0] as string);
    expect(match, lines[0]).not.toBeNull();
    const text = readFileSync(out, 'utf8');
    expect(text.endsWith('\n')).toBe(true); // no partial last line
    const written = wholeLines(text);
    expect(written.length).toBe(Number(match![1]));
    expect(written.length).toBeGreaterThan(1000);
    written.forEach((line, i) => expect(JSON.parse(line)).toMatchObject({ line: i + 1, id: `c${i}` }));
  });
});

describe('score I/O faults through the real process', () => {
  it('an input that cannot be opened (a socket: ENXIO) exits 3 with one line, no stack', async () => {
    const path = join(tmp, 'input.sock');
    const server = createServer().listen(path);
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const run = cli(['score', path, '--embedder', 'trigram']);
      expect(run.status).toBe(3);
      expect(run.stderr).toMatch(/^ra-rft-rewards score: cannot read .*input\.sock: ENXIO/m);
      expect(run.stderr).not.toMatch(/Unhandled|\n\s+at /);
    } finally {
      server.close();
    }
  });

  it.runIf(existsSync('/proc/self/mem'))('an input that fails while being read (EIO) exits 3 with one line', () => {
    const run = cli(['score', '/proc/self/mem', '--embedder', 'trigram', '--quiet']);
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/^ra-rft-rewards score: cannot read \/proc\/self\/mem: EIO/m);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('a long file with --quiet prints nothing on standard error (no MaxListenersExceededWarning)', () => {
    const input = writeInput('long.jsonl', 20_000);
    const run = cli(['score', input, '--embedder', 'trigram', '--quiet', '--out', join(tmp, 'long-scored.jsonl')]);
    expect(run.status).toBe(0);
    expect(run.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('npm warn'))).toEqual([]);
    expect(wholeLines(readFileSync(join(tmp, 'long-scored.jsonl'), 'utf8'))).toHaveLength(20_000);
  });
});

describe('score run features', () => {
  it('writes plain progress lines when standard error is not a terminal', async () => {
    const input = writeInput('progress.jsonl', 300);
    const run = captureIO();
    expect(await main(['score', input, '--embedder', 'trigram', '--batch-size', '64', '--progress-every', '0', '--out', join(tmp, 'p.jsonl')], run.io)).toBe(0);
    const progress = run.err().split('\n').filter((line) => line.startsWith('scoring: '));
    expect(progress.length).toBe(5); // 4 full batches and the rest
    expect(progress[0]).toMatch(/^scoring: 64 completions, \d+% of input, [\d,]+\/s$/);
    expect(run.err()).not.toContain('\r');
    const quiet = captureIO();
    expect(await main(['score', input, '--embedder', 'trigram', '--progress-every', '0', '--quiet', '--out', join(tmp, 'p.jsonl')], quiet.io)).toBe(0);
    expect(quiet.err()).toBe('');
  });

  it('--resume continues a cut-off run from its last whole line and ends with the same file', async () => {
    const hiVtg = readFileSync(join(repoRoot, 'examples/completions.jsonl'), 'utf8').trim().split('\n').at(-1) as string; // 2 records
    const input = join(tmp, 'resume-in.jsonl');
    writeFileSync(input, `${[good(0), good(1), hiVtg, good(3), hiVtg, good(5)].join('\n')}\n`);
    const full = join(tmp, 'resume-full.jsonl');
    expect(await main(['score', input, '--embedder', 'trigram', '--quiet', '--out', full], captureIO().io)).toBe(0);
    const want = readFileSync(full, 'utf8');
    expect(wholeLines(want)).toHaveLength(8);
    // Killed after the first record of line 5's HI-VTG item, in the middle of the next record.
    const records = wholeLines(want);
    const cut = `${records.slice(0, 6).join('\n')}\n${records[6]!.slice(0, 20)}`;
    expect(resumePoint(cut)).toMatchObject({ fromLine: 5, kept: 5 });
    const partial = join(tmp, 'resume-partial.jsonl');
    writeFileSync(partial, cut);
    const run = captureIO();
    expect(await main(['score', input, '--embedder', 'trigram', '--resume', '--out', partial], run.io)).toBe(0);
    expect(run.err()).toMatch(/resuming .*: kept 5 record\(s\), scoring from input line 5/);
    expect(readFileSync(partial, 'utf8')).toBe(want);
    // A missing output: --resume starts from the top.
    const fresh = join(tmp, 'resume-fresh.jsonl');
    expect(await main(['score', input, '--embedder', 'trigram', '--quiet', '--resume', '--out', fresh], captureIO().io)).toBe(0);
    expect(readFileSync(fresh, 'utf8')).toBe(want);
    expect(await main(['score', input, '--resume'], captureIO().io)).toBe(2);
  });

  it('--parts and a weight of 0 skip a part and its target fields: spans only score format and refuseIoU', async () => {
    const spansOnly = [
      { completion: '<think>t</think><answer>1 to 5</answer><correction>NIL</correction>', target: { relevant: true, span: [1, 5], duration: 60 } },
      { completion: '<think>t</think><answer>2 to 4</answer>', target: { relevant: true, span: [1, 5], duration: 60 } },
    ];
    const input = join(tmp, 'spans.jsonl');
    writeFileSync(input, spansOnly.map((line) => JSON.stringify(line)).join('\n'));
    const all = captureIO();
    expect(await main(['score', input, '--embedder', 'trigram', '--quiet'], all.io)).toBe(1);
    expect(all.err()).toMatch(/target\.answer: is required/);
    for (const flags of [['--parts', 'format,refuseIoU'], ['--weights', 'explain=0,correction=0']]) {
      const run = captureIO();
      // No --embedder: nothing is embedded, so none is resolved (no model files, no hub).
      expect(await main(['score', input, ...flags], run.io), flags.join(' ')).toBe(0);
      const results = run.out().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(results[0]).toMatchObject({ format: 1, refuseIoU: 1, explain: null, correction: null, explainAndCorrection: null, total: 2 });
      const [second] = await raRftRewardBatch([spansOnly[1]!.completion], [spansOnly[1]!.target as unknown as RaRftTarget], { parts: ['format', 'refuseIoU'] });
      expect(second!.refuseIoU).toBeGreaterThan(0);
      expect(results[1]).toMatchObject({ format: 0, refuseIoU: second!.refuseIoU, explain: null, correction: null, total: second!.refuseIoU });
      expect(run.err()).toMatch(/mean explain\s+skipped/);
      expect(run.err()).toMatch(/embedder\s+none/);
    }
    // Without refuseIoU a relevant target needs no span.
    const noSpan = join(tmp, 'nospan.jsonl');
    writeFileSync(noSpan, JSON.stringify({ completion: '<think>t</think><answer>x</answer>', target: { relevant: true } }));
    const run = captureIO();
    expect(await main(['score', noSpan, '--parts', 'format', '--quiet'], run.io)).toBe(0);
    expect(JSON.parse(run.out())).toMatchObject({ format: 0, refuseIoU: null, total: 0 });
    const bad = captureIO();
    expect(await main(['score', noSpan, '--parts', 'style'], bad.io)).toBe(2);
    expect(bad.err()).toMatch(/--parts: unknown part 'style'/);
  });

  it('--embedder-path: a model folder loads offline; a folder without the model exits 3 with one line', async () => {
    const input = writeInput('embed.jsonl', 3);
    const missing = captureIO();
    expect(await main(['score', input, '--embedder', 'minilm', '--embedder-path', join(tmp, 'no-model')], missing.io)).toBe(3);
    expect(missing.err().trim().split('\n')).toHaveLength(1);
    expect(missing.err()).toMatch(/^ra-rft-rewards score: transformersEmbedder: .*no-model/);
    const fixture = join(repoRoot, 'test/fixtures/tiny-bert');
    const run = captureIO();
    expect(await main(['score', input, '--embedder', 'minilm', '--embedder-path', fixture], run.io)).toBe(0);
    expect(run.err()).toMatch(/embedder: .*tiny-bert/);
    expect(await main(['score', input, '--embedder', 'trigram', '--embedder-path', fixture], captureIO().io)).toBe(2);
  });

  it('rejects bad option values with the flag and what it must be', async () => {
    const input = writeInput('usage.jsonl', 1);
    const cases: [string[], RegExp][] = [
      [['--batch-size', '0'], /--batch-size must be an integer >= 1, got 0/],
      [['--batch-size', 'x'], /--batch-size must be an integer >= 1, got 'x'/],
      [['--progress-every=-1'], /--progress-every must be a number >= 0, got -1/],
      [['--profile', 'lenient'], /--profile must be one of ra-rft, strict, got 'lenient'/],
    ];
    for (const [flags, message] of cases) {
      const run = captureIO();
      expect(await main(['score', input, ...flags], run.io), flags.join(' ')).toBe(2);
      expect(run.err()).toMatch(message);
    }
  });
});

describe('evaluate run features', () => {
  const example = join(repoRoot, 'examples/completions.jsonl');

  it('--compare refuses to subtract explanation scores of two embedders unless --allow-mixed-embedders', async () => {
    const a = join(tmp, 'eval-trigram');
    const b = join(tmp, 'eval-tiny-bert');
    expect(await main(['evaluate', example, '--out', a, '--embedder', 'trigram', '--no-html', '--quiet'], captureIO().io)).toBe(0);
    expect(await main(['evaluate', example, '--out', b, '--embedder', 'minilm', '--embedder-path', join(repoRoot, 'test/fixtures/tiny-bert'), '--no-html', '--quiet'], captureIO().io)).toBe(0);
    const files = [join(a, 'metrics.json'), join(b, 'metrics.json')];
    const refused = captureIO();
    expect(await main(['evaluate', '--compare', ...files], refused.io)).toBe(1);
    expect(refused.err()).toMatch(/scored explanations with trigram-hash-256, .* with .*tiny-bert.*--allow-mixed-embedders/);
    expect(refused.out()).toBe('');
    const allowed = captureIO();
    expect(await main(['evaluate', '--compare', ...files, '--allow-mixed-embedders', '--out', join(tmp, 'cmp-mixed')], allowed.io)).toBe(0);
    expect(allowed.err()).toMatch(/warning: explanation rows compare trigram-hash-256 with/);
    expect(readFileSync(join(tmp, 'cmp-mixed', 'compare.md'), 'utf8')).toMatch(/different embedders .*not comparable/);
    // The same embedder twice compares without a word.
    const same = captureIO();
    expect(await main(['evaluate', '--compare', files[0]!, files[0]!], same.io)).toBe(0);
    expect(same.err()).toBe('');
  });

  it('writes plain progress lines when standard error is not a terminal', async () => {
    const run = captureIO();
    expect(await main(['evaluate', example, '--out', join(tmp, 'eval-progress'), '--embedder', 'trigram', '--no-html', '--progress-every', '0'], run.io)).toBe(0);
    expect(run.err()).toMatch(/^evaluating: \d+ explanations, 100% of input, [\d,]+\/s$/m);
    expect(run.err()).not.toContain('\r');
  });

  it('an unwritable --out exits 3 with one line', async () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, '');
    const run = captureIO();
    expect(await main(['evaluate', example, '--out', join(file, 'sub'), '--embedder', 'trigram', '--quiet'], run.io)).toBe(3);
    expect(run.err().trim().split('\n')).toEqual([expect.stringMatching(/^ra-rft-rewards evaluate: cannot write .*: ENOTDIR/)]);
  });
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));
