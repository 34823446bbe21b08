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

/** The same run as TRL's completions/ folder (completions_<step>.parquet, snappy, as pandas' to_parquet writes it). */
async function writeTrlDump(dir) {
  const { register } = await import('tsx/esm/api');
  const unregister = register();
  try {
    const { synthesizeRun } = await import(pathToFileURL(join(here, '../dist/audit.js')).href);
    const { writeTrlRun } = await import(pathToFileURL(join(here, '../test/helpers/trl-parquet.ts')).href);
    return writeTrlRun(dir, synthesizeRun({ steps: STEPS, prompts: PROMPTS, groupSize: GROUP, hack: 'span-out-of-video', onset: 600 }), { target: true });
  } finally {
    await unregister();
  }
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
  return { seconds: (performance.now() - started) / 1000, maxRssMiB: Number(/max-rss-bytes (\d+)/.exec(stderr)?.[1]) / 2 ** 20, stdout, stderr };
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
    // Re-scoring with an embedder: the estimate printed before the pass against the time the pass took (trigram:
    // the cheapest embedder, so that the section stays short; docs/audit.md has a USE-lite estimate).
    const embedded = await audit(dir, join(dir, 'out-embedder'), ['--embedder', 'trigram']);
    const estimated = /will take about (\S+):/.exec(embedded.stderr)?.[1] ?? '?';
    const took = /re-scored explain and correction with \S+ in (\S+) /.exec(embedded.stdout)?.[1] ?? '?';
    log(`audit --embedder trigram:    ${embedded.seconds.toFixed(2)} s, ${Math.round(rollouts / embedded.seconds).toLocaleString('en-US')} rollouts/s, peak RSS ${embedded.maxRssMiB.toFixed(0)} MiB; estimated before the pass ${estimated}, re-scoring took ${took}`);
    // TRL's completions parquet (1000 files of 1024 rows, one row group each).
    const t1 = performance.now();
    const trlDir = await writeTrlDump(join(dir, 'trl'));
    log(`wrote the same run as TRL parquet in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    const parquet = await audit(trlDir, join(dir, 'out-parquet'));
    log(`audit of TRL parquet:        ${parquet.seconds.toFixed(2)} s, ${Math.round(rollouts / parquet.seconds).toLocaleString('en-US')} rollouts/s, peak RSS ${parquet.maxRssMiB.toFixed(0)} MiB`);
    return {
      rollouts,
      dumpMiB: +(bytes / 2 ** 20).toFixed(1),
      seconds: +plain.seconds.toFixed(2),
      rolloutsPerSecond: Math.round(rate),
      maxRssMiB: +plain.maxRssMiB.toFixed(0),
      replayStrict: { seconds: +replay.seconds.toFixed(2), rolloutsPerSecond: Math.round(rollouts / replay.seconds), maxRssMiB: +replay.maxRssMiB.toFixed(0) },
      embedderTrigram: { seconds: +embedded.seconds.toFixed(2), maxRssMiB: +embedded.maxRssMiB.toFixed(0), estimated, took },
      trlParquet: { seconds: +parquet.seconds.toFixed(2), rolloutsPerSecond: Math.round(rollouts / parquet.seconds), maxRssMiB: +parquet.maxRssMiB.toFixed(0) },
      target: { rolloutsPerSecond: 100_000, maxRssMiB: 1024 },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
