// Section `python`: the pip package (the engine as a child process over stdio) on a GRPO batch of 512
// completions, against the same batch in Node in-process and against the pure-Python restatement of the rules
// (bench/reference.py) in-process, all measured in this run. Also: the pipe's cost per call and per completion,
// the engine's resident memory (verl starts one per reward worker), and the wheel's size.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatReward, raRftRewardBatch, refuseIoU } from '../dist/index.js';

export const name = 'python';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const vectorsPath = resolve(process.env.RA_RFT_SHARED ?? join(here, '../../shared'), 'spec/vectors/public.jsonl');
const BATCH = 512;
const GROUP = 8;
const USE_LITE_BATCHES = 3;
const median = (values) => values.slice().sort((a, b) => a - b)[values.length >> 1];
const ms = (seconds) => `${(seconds * 1000).toFixed(2)} ms`;
const mb = (bytes) => `${(bytes / 1e6).toFixed(0)} MB`;

/** Batch k of USE-lite work: the vectors' targets with new completion text each time (nothing cached). */
function useLiteBatch(cases, k) {
  const completions = [];
  const targets = [];
  for (let i = 0; i < BATCH; i++) {
    const c = cases[(i + k * 131) % cases.length];
    const target = c.target.answer !== undefined && c.target.contrast !== undefined ? c.target : { ...c.target, answer: 'No such event.', contrast: '1 to 2', query: 'a person walks.' };
    const said = target.relevant ? `${(i % 9) + 0.5} to ${(i % 9) + 4.25}` : `In round ${k} the clip shows item ${i} but not this event.`;
    completions.push(`<think>round ${k}, sample ${i}</think><answer>${said}</answer><correction>${target.relevant ? 'NIL' : `a person does thing ${i} in round ${k}`}</correction>`);
    targets.push(target);
  }
  return { completions, targets };
}

export async function run({ log }) {
  const cases = readFileSync(vectorsPath, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
  // A GRPO batch: 64 prompts x G = 8 completions, each group sharing its prompt's target.
  const light = { completions: [], targets: [], groupSize: GROUP };
  for (let i = 0; i < BATCH; i++) {
    const group = Math.floor(i / GROUP);
    light.completions.push(cases[(group * 37 + (i % GROUP) * 5) % cases.length].completion);
    light.targets.push(cases[(group * 37) % cases.length].target);
  }
  const uselite = Array.from({ length: USE_LITE_BATCHES }, (_, k) => useLiteBatch(cases, k));

  const wheel = execFileSync(process.execPath, [join(root, 'scripts/build-python.mjs')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').at(-1);
  const work = mkdtempSync(join(tmpdir(), 'rarft-bench-py-'));
  try {
    execFileSync('/usr/bin/python3', ['-m', 'venv', join(work, 'venv')], { stdio: 'ignore' });
    const python = join(work, 'venv/bin/python');
    execFileSync(python, ['-m', 'pip', 'install', '-q', '--no-index', '--no-deps', wheel], { stdio: 'ignore' });
    const batchesFile = join(work, 'batches.json');
    writeFileSync(batchesFile, JSON.stringify({ light, uselite }));

    // Node in-process, the same 512-completion batch (format + refuseIoU), then USE-lite on the same new-text batches.
    const nodeBatch = () => {
      let sum = 0;
      for (let i = 0; i < BATCH; i++) sum += formatReward(light.completions[i]) + refuseIoU(light.completions[i], light.targets[i]);
      return sum;
    };
    const timed = (fn, seconds) => {
      let calls = 0;
      const start = performance.now();
      while (performance.now() - start < seconds * 1000) {
        fn();
        calls++;
      }
      return (performance.now() - start) / 1000 / calls;
    };
    timed(nodeBatch, 0.5);
    const nodeRounds = Array.from({ length: 9 }, () => timed(nodeBatch, 0.2));

    const { resolveEmbedder } = await import('../dist/embeddings.js');
    const { embedder } = await resolveEmbedder('use-lite');
    await raRftRewardBatch(['<think>w</think><answer>warm up</answer><correction>NIL</correction>'], [uselite[0].targets[0]], { embedder });
    const nodeUseLite = [];
    for (const batch of uselite) {
      const start = performance.now();
      await raRftRewardBatch(batch.completions, batch.targets, { embedder });
      nodeUseLite.push((performance.now() - start) / 1000);
    }
    await embedder.dispose?.();

    const env = { PATH: process.env.PATH, HOME: process.env.HOME ?? work };
    const driven = spawnSync(python, [join(here, 'python_package.py'), batchesFile, here, '--rounds', '15'], { cwd: work, env, encoding: 'utf8', maxBuffer: 64 << 20 });
    if (driven.status !== 0) throw new Error(`bench/python_package.py failed: ${driven.stderr}`);
    const py = JSON.parse(driven.stdout);

    const packageS = median(py.rounds.map((r) => r.package_s));
    const copiesS = median(py.rounds.map((r) => r.copies_s));
    const pythonS = median(py.rounds.map((r) => r.python_s));
    const nodeS = median(nodeRounds);
    const ratio = median(py.rounds.map((r) => r.python_s / r.package_s));
    const pipePerCompletion = (packageS - nodeS) / BATCH;
    const useLitePackage = py.uselite_s.reduce((a, b) => a + b, 0);
    const useLiteNode = nodeUseLite.reduce((a, b) => a + b, 0);
    const useLiteOverhead = useLitePackage / useLiteNode - 1;
    const wheelBytes = statSync(wheel).size;

    log(`GRPO batch of ${BATCH} completions (the public vectors), format + refuseIoU; medians of ${py.rounds.length} alternating rounds (mismatches: ${py.mismatches})`);
    log(`  pip package (stdio engine)        ${ms(packageS)} per batch  ${Math.round(BATCH / packageS).toLocaleString('en-US')} completions/s (targets repeated as one object, as verl's batch holds them)`);
    log(`  pip package, equal target copies  ${ms(copiesS)} per batch  ${Math.round(BATCH / copiesS).toLocaleString('en-US')} completions/s (a new dict per row, as TRL's dataloader gives them)`);
    log(`  pure Python (bench/reference.py)  ${ms(pythonS)} per batch  ${Math.round(BATCH / pythonS).toLocaleString('en-US')} completions/s`);
    log(`  Node in-process                   ${ms(nodeS)} per batch  ${Math.round(BATCH / nodeS).toLocaleString('en-US')} completions/s`);
    log(`  package vs pure Python            ${ratio.toFixed(2)}x (median of round ratios; target >= 1.5x)`);
    log(`  the pipe's cost: ${ms(py.tiny_call_s)} per call (one-completion request), ${(pipePerCompletion * 1e6).toFixed(2)} µs per completion (package − in-process)`);
    log(`USE-lite, all four parts, ${USE_LITE_BATCHES} batches of ${BATCH} new completions: package ${useLitePackage.toFixed(2)} s, Node in-process ${useLiteNode.toFixed(2)} s: +${(useLiteOverhead * 100).toFixed(1)}% (target < 10%)`);
    log(`engine resident memory: trigram ${mb(py.memory_trigram.VmRSS)} (peak ${mb(py.memory_trigram_all_parts.VmHWM)}, target < 150 MB); USE-lite ${mb(py.memory_uselite.VmRSS)} (peak ${mb(py.memory_uselite.VmHWM)}, target < 700 MB)`);
    log(`wheel: ${mb(wheelBytes)} (${(wheelBytes / 2 ** 20).toFixed(1)} MiB; target < 100 MB)`);
    return {
      batch: BATCH,
      mismatches: py.mismatches,
      formatRefuseIoU: { packageSecondsPerBatch: packageS, packageCopiesSecondsPerBatch: copiesS, pythonSecondsPerBatch: pythonS, nodeSecondsPerBatch: nodeS, packageVsPython: ratio, rounds: py.rounds, nodeRounds },
      pipe: { secondsPerCall: py.tiny_call_s, secondsPerCompletion: pipePerCompletion },
      useLite: { packageSeconds: py.uselite_s, nodeSeconds: nodeUseLite, overhead: useLiteOverhead },
      engineMemory: { trigram: py.memory_trigram, trigramAllParts: py.memory_trigram_all_parts, useLite: py.memory_uselite },
      wheelBytes,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
