// Section `cli`: `ra-rft-rewards score` streaming throughput and peak memory on a small and a 10× larger
// JSONL file (trigram embedder): constant memory means the peak does not grow with the file.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const name = 'cli';

const here = dirname(fileURLToPath(import.meta.url));

async function writeFile(path, lines) {
  const out = createWriteStream(path);
  for (let i = 0; i < lines; i++) {
    const relevant = i % 2 === 0;
    const line = JSON.stringify({
      id: i,
      completion: `<think>step ${i}: the person walks to the window and looks outside.</think><answer>${relevant ? `${i % 20}.5 to ${(i % 20) + 4}.25` : `No window appears in video ${i}; the person only sits.`}</answer><correction>${relevant ? 'NIL' : `person looks out the window ${i % 7}.`}</correction>`,
      target: relevant
        ? { relevant, span: [3.1, 10.9], duration: 30.04, answer: '<answer>3.1 to 10.9</answer>', contrast: '<answer>No window is shown.</answer>', query: 'person looks out the window.' }
        : { relevant, duration: 30.04, answer: '<answer>No window is shown.</answer>', contrast: '<answer>3.1 to 10.9</answer>', query: 'person looks out the window.' },
    });
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return statSync(path).size;
}

async function score(path) {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', join(here, 'max-rss.mjs'), join(here, '../dist/bin.js'), 'score', path, '--embedder', 'trigram', '--out', '/dev/null', '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`score exited ${code}: ${stderr}`);
  return { seconds: (performance.now() - started) / 1000, maxRssMiB: Number(/max-rss-bytes (\d+)/.exec(stderr)?.[1]) / 2 ** 20 };
}

export async function run({ log }) {
  const dir = mkdtempSync(join(tmpdir(), 'ra-rft-cli-bench-'));
  const results = {};
  try {
    for (const lines of [20_000, 200_000]) {
      const path = join(dir, `${lines}.jsonl`);
      const bytes = await writeFile(path, lines);
      const { seconds, maxRssMiB } = await score(path);
      results[lines] = { megabytes: bytes / 1e6, seconds, completionsPerSecond: lines / seconds, maxRssMiB };
      log(`${lines.toLocaleString('en-US').padStart(7)} lines (${(bytes / 1e6).toFixed(0)} MB): ${(lines / seconds).toFixed(0)} completions/s, peak RSS ${maxRssMiB.toFixed(0)} MiB`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  results.peakGrowth = results[200_000].maxRssMiB / results[20_000].maxRssMiB;
  log(`peak memory, 10x the file: ${results.peakGrowth.toFixed(2)}x`);
  return results;
}
