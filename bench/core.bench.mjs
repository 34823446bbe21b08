// Section `core`: format + refuseIoU throughput on the public vectors, against the Python restatement of
// the reference rules (bench/reference.py) in the same run; worst time on ~1 MB adversarial inputs;
// batch scoring with the trigram embedder; advantages.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatReward, groupRelativeAdvantage, raRftRewardBatch, refuseIoU, trigramHashEmbedder } from '../dist/index.js';

export const name = 'core';

const here = dirname(fileURLToPath(import.meta.url));
const vectorsPath = resolve(process.env.RA_RFT_SHARED ?? join(here, '../../shared'), 'spec/vectors/public.jsonl');

function throughput(seconds, work) {
  let items = 0;
  let sink = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    const [count, value] = work();
    items += count;
    sink += value;
  }
  return { perSecond: items / ((performance.now() - start) / 1000), sink };
}

/** A resident `reference.py --rounds` process: `measure(seconds)` runs one Python round. */
function pythonRoundRunner(script, vectors) {
  const child = spawn('python3', [script, vectors, '--rounds'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async measure(seconds) {
      child.stdin.write(`${seconds}\n`);
      const { value, done } = await lines.next();
      if (done) throw new Error('bench/reference.py exited early');
      return JSON.parse(value);
    },
    close: () => child.stdin.end(),
  };
}

/** `q1 / median / q3` of `values`, rounded to `digits`. */
function quartiles(values, digits = 0) {
  const sorted = values.slice().sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(digits);
  return `${at(0.25)} / ${at(0.5)} / ${at(0.75)}`;
}

export async function run({ log }) {
  const cases = readFileSync(vectorsPath, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
  const mismatches = cases.filter(
    (c) => Math.abs(formatReward(c.completion) - c.expect.format) > 1e-9 || Math.abs(refuseIoU(c.completion, c.target) - c.expect.refuseIoU) > 1e-9,
  ).length;
  const scoreAll = () => {
    let sum = 0;
    for (const c of cases) sum += formatReward(c.completion) + refuseIoU(c.completion, c.target);
    return [cases.length, sum];
  };
  throughput(0.5, scoreAll); // warm-up
  // The machine's pace drifts (on shared cores by up to ~1.7x within seconds), so Node and a resident
  // Python process take turns in short rounds; each round gives a ratio and the report takes medians.
  const pythonRounds = pythonRoundRunner(join(here, 'reference.py'), vectorsPath);
  const rounds = [];
  for (let round = 0; round < 25; round++) {
    const ts = throughput(0.15, scoreAll).perSecond;
    const py = await pythonRounds.measure(0.15);
    rounds.push({ ts, python: py.completions_per_s, ratio: ts / py.completions_per_s, pythonMismatches: py.mismatches });
  }
  pythonRounds.close();
  const median = (values) => values.slice().sort((a, b) => a - b)[values.length >> 1];
  const ts = { perSecond: median(rounds.map((r) => r.ts)) };
  const python = { completions_per_s: median(rounds.map((r) => r.python)), mismatches: Math.max(...rounds.map((r) => r.pythonMismatches)) };
  const ratio = median(rounds.map((r) => r.ratio));
  log(`format+refuseIoU, ${cases.length} public vectors (mismatches: ts ${mismatches}, python ${python.mismatches}); median of ${rounds.length} alternating rounds`);
  log(`  ra-rft-rewards (node, 1 thread)   ${Math.round(ts.perSecond).toLocaleString('en-US')} completions/s (quartiles ${quartiles(rounds.map((r) => r.ts / 1000))} k)`);
  log(`  reference rules (python3, 1 thr.) ${Math.round(python.completions_per_s).toLocaleString('en-US')} completions/s (quartiles ${quartiles(rounds.map((r) => r.python / 1000))} k)`);
  log(`  ratio (median of round ratios)    ${ratio.toFixed(1)}x (quartiles ${quartiles(rounds.map((r) => r.ratio), 1)})`);

  const strict = throughput(2, () => {
    let sum = 0;
    for (const c of cases) sum += formatReward(c.completion, { profile: 'strict' }) + refuseIoU(c.completion, c.target, { profile: 'strict' });
    return [cases.length, sum];
  });
  log(`  strict profile (node)             ${Math.round(strict.perSecond).toLocaleString('en-US')} completions/s`);

  const { adversarialCompletions } = await import('./adversarial-inputs.mjs');
  let worst = { name: '', ms: 0 };
  const target = { relevant: true, span: [3.1, 10.9], duration: 30.04 };
  for (const [inputName, text] of adversarialCompletions()) {
    const start = performance.now();
    for (const profile of ['ra-rft', 'strict']) {
      formatReward(text, { profile });
      refuseIoU(text, target, { profile });
      refuseIoU(text, { relevant: false }, { profile });
    }
    const ms = performance.now() - start;
    if (ms > worst.ms) worst = { name: inputName, ms };
  }
  log(`adversarial ~1 MB completions: worst format+refuseIoU (both profiles) ${worst.ms.toFixed(1)} ms (${worst.name})`);

  const embedder = trigramHashEmbedder();
  const group = cases.slice(0, 8);
  const batchStart = performance.now();
  let batchItems = 0;
  while (performance.now() - batchStart < 2000) {
    await raRftRewardBatch(group.map((c) => c.completion), group.map((c) => c.target), { embedder });
    batchItems += group.length;
  }
  const batchPerSecond = batchItems / ((performance.now() - batchStart) / 1000);
  log(`raRftRewardBatch, G=8, trigram embedder: ${Math.round(batchPerSecond).toLocaleString('en-US')} completions/s`);

  const rewards = Float64Array.from({ length: 64 * 8 }, (_, i) => (i * 7919) % 13);
  const adv = throughput(1, () => [rewards.length, groupRelativeAdvantage(rewards, { groupSize: 8 })[0]]);
  log(`groupRelativeAdvantage, 64 groups of 8: ${Math.round(adv.perSecond).toLocaleString('en-US')} rewards/s`);

  return {
    cases: cases.length,
    mismatches: { ts: mismatches, python: python.mismatches },
    formatRefuseIoU: { tsPerSecond: ts.perSecond, pythonPerSecond: python.completions_per_s, ratio, rounds },
    strictPerSecond: strict.perSecond,
    adversarialWorstMs: worst,
    batchTrigramPerSecond: batchPerSecond,
    advantageRewardsPerSecond: adv.perSecond,
  };
}
