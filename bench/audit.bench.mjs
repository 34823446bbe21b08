// Section `audit`: `ra-rft-rewards audit` over a 1M-rollout verl dump (rollout_data_dir: <step>.jsonl files,
// written here as verl writes them) with the detectors that need no embedder: rollouts per second and peak
// memory of the audit process. The issue asks for at least 100k rollouts/s and under 1 GB.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const name = 'audit';

const here = dirname(fileURLToPath(import.meta.url));
const STEPS = 1000;
const PROMPTS = 128;
const GROUP = 8;

async function writeDump(dir) {
  const { synthesizeRun, pythonJsonDumps } = await import(pathToFileURL(join(here, '../dist/audit.js')).href);
  let rollouts = 0;
  let bytes = 0;
  // A hack from step 600 on, so that the detectors have something to find and evidence to keep.
  for (const records of synthesizeRun({ steps: STEPS, prompts: PROMPTS, groupSize: GROUP, hack: 'span-out-of-video', onset: 600 })) {
    const text = `${records.map((r) => pythonJsonDumps(r, ['step'])).join('\n')}\n`;
    const out = createWriteStream(join(dir, `${records[0].step}.jsonl`));
    out.end(text);
    await once(out, 'finish');
    rollouts += records.length;
    bytes += Buffer.byteLength(text);
  }
  return { rollouts, bytes };
}

async function audit(dir, out, extra = []) {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', join(here, 'max-rss.mjs'), join(here, '../dist/bin.js'), 'audit', dir, '--out', out, '--quiet', '--fail-on', 'never', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`audit exited ${code}: ${stderr}`);
  return { seconds: (performance.now() - started) / 1000, maxRssMiB: Number(/max-rss-bytes (\d+)/.exec(stderr)?.[1]) / 2 ** 20, stdout };
}

export async function run({ log }) {
  const dir = mkdtempSync(join(tmpdir(), 'ra-rft-audit-bench-'));
  try {
    const t0 = performance.now();
    const { rollouts, bytes } = await writeDump(dir);
    log(`wrote ${rollouts.toLocaleString('en-US')} rollouts in ${STEPS} step files (${(bytes / 2 ** 20).toFixed(0)} MiB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const plain = await audit(dir, join(dir, 'out'));
    const rate = rollouts / plain.seconds;
    log(`audit (no embedder):        ${plain.seconds.toFixed(2)} s, ${Math.round(rate).toLocaleString('en-US')} rollouts/s, peak RSS ${plain.maxRssMiB.toFixed(0)} MiB (process start included)`);
    log(`  ${plain.stdout.split('\n')[0]}`);
    const replay = await audit(dir, join(dir, 'out-replay'), ['--rescore', 'strict']);
    log(`audit + replay --rescore strict: ${replay.seconds.toFixed(2)} s, ${Math.round(rollouts / replay.seconds).toLocaleString('en-US')} rollouts/s, peak RSS ${replay.maxRssMiB.toFixed(0)} MiB`);
    return {
      rollouts,
      dumpMiB: +(bytes / 2 ** 20).toFixed(1),
      seconds: +plain.seconds.toFixed(2),
      rolloutsPerSecond: Math.round(rate),
      maxRssMiB: +plain.maxRssMiB.toFixed(0),
      replayStrict: { seconds: +replay.seconds.toFixed(2), rolloutsPerSecond: Math.round(rollouts / replay.seconds), maxRssMiB: +replay.maxRssMiB.toFixed(0) },
      target: { rolloutsPerSecond: 100_000, maxRssMiB: 1024 },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
