// Section `server`: load on loopback against `ra-rft-rewards serve` (a child process) with autocannon:
// one-sample OpenRLHF /get_reward requests, trigram embedder, micro-batching on vs off.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

export const name = 'server';

const bin = join(dirname(fileURLToPath(import.meta.url)), '../dist/bin.js');
const DURATION_S = 8;
const CONNECTIONS = 64;

async function startServer(extraArgs) {
  const child = spawn(process.execPath, [bin, 'serve', '--embedder', 'trigram', '--port', '0', ...extraArgs], { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await new Promise((resolve, reject) => {
    let text = '';
    child.stderr.on('data', (chunk) => {
      text += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(text);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${text}`)));
  });
  return { url, stop: () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); }) };
}

const prompt = '<|im_start|>user\nWhen does the person drop the groceries?<|im_end|>\n<|im_start|>assistant\n';
const completion = '<think>The person places groceries.</think><answer>No one drops groceries in this video.</answer><correction>the person puts the groceries on the table.</correction>';
const target = { relevant: false, duration: 30.04, answer: 'No one drops the groceries.', contrast: '3.1 to 10.9', query: 'the person puts the groceries on the table.' };
const body = JSON.stringify({ query: [prompt + completion], prompts: [prompt], labels: [JSON.stringify(target)] });

async function load(url, duration = DURATION_S) {
  const result = await autocannon({ url: `${url}/get_reward`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: CONNECTIONS, duration });
  return { requestsPerSecond: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99, errors: result.errors + result.non2xx, total: result.requests.total };
}

export async function run({ log }) {
  const results = {};
  for (const [label, args] of [['microBatchOn', []], ['microBatchOff', ['--no-micro-batch']]]) {
    const server = await startServer(args);
    try {
      await load(server.url, 2); // warm-up (JIT, connections); the second run is reported
      results[label] = await load(server.url);
    } finally {
      await server.stop();
    }
    const r = results[label];
    log(`${label.padEnd(14)} ${Math.round(r.requestsPerSecond).toLocaleString('en-US')} req/s  p50 ${r.p50Ms} ms  p99 ${r.p99Ms} ms  errors ${r.errors} (${CONNECTIONS} connections, ${DURATION_S} s, 1 sample/request)`);
  }
  results.ratioOnOverOff = results.microBatchOn.requestsPerSecond / results.microBatchOff.requestsPerSecond;
  log(`micro-batching on/off: ${results.ratioOnOverOff.toFixed(2)}x requests/s`);
  return results;
}
