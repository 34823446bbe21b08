// Section `core`: format + refuseIoU throughput on the public vectors, against the Python restatement of
// the reference rules (bench/reference.py) in the same run; worst time on ~1 MB adversarial inputs;
// batch scoring with the trigram embedder; advantages.
import { execFileSync } from 'node:child_process';
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
  const ts = throughput(3, scoreAll);
  const python = JSON.parse(execFileSync('python3', [join(here, 'reference.py'), vectorsPath, '--seconds', '3'], { encoding: 'utf8' }));
  const ratio = ts.perSecond / python.completions_per_s;
  log(`format+refuseIoU, ${cases.length} public vectors (mismatches: ts ${mismatches}, python ${python.mismatches})`);
  log(`  ra-rft-rewards (node, 1 thread)   ${Math.round(ts.perSecond).toLocaleString('en-US')} completions/s`);
  log(`  reference rules (python3, 1 thr.) ${Math.round(python.completions_per_s).toLocaleString('en-US')} completions/s`);
  log(`  ratio                             ${ratio.toFixed(1)}x`);

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
    formatRefuseIoU: { tsPerSecond: ts.perSecond, pythonPerSecond: python.completions_per_s, ratio },
    strictPerSecond: strict.perSecond,
    adversarialWorstMs: worst,
    batchTrigramPerSecond: batchPerSecond,
    advantageRewardsPerSecond: adv.perSecond,
  };
}
