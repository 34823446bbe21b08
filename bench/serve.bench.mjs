// Section `serve`: the reward server at training scale, on loopback, in one run:
// - samples/s and p50/p99 of `ra-rft-rewards serve --workers 1` against `--workers N` (N = the cores), with the
//   trigram embedder (OpenRLHF's one sample per /get_reward request, the rule-bound case) and with USE-lite
//   (GRPO groups of 8 per /v1/score request, every text new: the embedding-bound case);
// - two `--workers 1` replicas behind Debian's nginx (deploy/nginx/nginx.conf) against one replica;
// - USE-lite sentences/s, one text per forward pass against exact batching (texts of equal token count share a
//   pass), with the vectors compared bit for bit.
// The server runs from dist/ as a child process; autocannon drives it (its setupRequest makes every USE-lite
// request's texts new, so the cache cannot hide the model's cost).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';

export const name = 'serve';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '../dist/bin.js');
const DURATION_S = 8;
const cores = availableParallelism();

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

async function startServer(args) {
  const child = spawn(process.execPath, [bin, 'serve', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const workers = Number(args[args.indexOf('--workers') + 1] ?? 1);
  const url = await new Promise((resolve, reject) => {
    let text = '';
    child.stderr.on('data', (chunk) => {
      text += chunk;
      const urls = text.match(/listening on (http:\/\/\S+)/g) ?? [];
      if (urls.length >= workers) resolve(/listening on (http:\/\/\S+)/.exec(text)[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${text}`)));
  });
  return { url, stop: () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); }) };
}

const prompt = '<|im_start|>user\nWhen does the person drop the groceries?<|im_end|>\n<|im_start|>assistant\n';
const target = { relevant: false, duration: 30.04, answer: 'No one drops the groceries.', contrast: '3.1 to 10.9', query: 'the person puts the groceries on the table.' };
const WORDS = ['the', 'person', 'never', 'drops', 'groceries', 'table', 'kitchen', 'places', 'bag', 'video', 'shows', 'only', 'carefully', 'door'];
const sentence = (seed, words) => Array.from({ length: words }, (_, k) => WORDS[(seed * 31 + k * 7 + (seed >> 3)) % WORDS.length]).join(' ');

/** One /get_reward sample per request (OpenRLHF), the same text each time: rule-bound. */
const trigramLoad = (url) => ({
  url: `${url}/get_reward`,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query: [`${prompt}<think>t</think><answer>No one drops groceries here.</answer><correction>${target.query}</correction><|im_end|>`], prompts: [prompt], labels: [target] }),
  connections: 64,
});

/** A GRPO group of 8 per /v1/score request, every explanation and correction new: embedding-bound. */
function useLiteLoad(url) {
  let counter = 0;
  return {
    url: `${url}/v1/score`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    connections: 8,
    requests: [
      {
        setupRequest: (request) => {
          const round = counter++;
          const items = Array.from({ length: 8 }, (_, i) => ({
            completion: `<think>r</think><answer>${sentence(round * 8 + i, 8 + (i % 4))} ${round}</answer><correction>${sentence(round * 8 + i + 3, 7)} ${round}</correction>`,
            target,
          }));
          return { ...request, body: JSON.stringify({ items }) };
        },
      },
    ],
  };
}

async function load(options, samplesPerRequest, duration = DURATION_S) {
  const result = await autocannon({ ...options, duration });
  return {
    samplesPerSecond: result.requests.average * samplesPerRequest,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

async function measureServer(args, makeLoad, samplesPerRequest, warmup) {
  const server = await startServer(['--port', '0', ...args]);
  try {
    await load(makeLoad(server.url), samplesPerRequest, warmup); // JIT, model warm-up, connections
    return await load(makeLoad(server.url), samplesPerRequest);
  } finally {
    await server.stop();
  }
}

const line = (label, r) =>
  `${label.padEnd(34)} ${Math.round(r.samplesPerSecond).toLocaleString('en-US').padStart(7)} samples/s  p50 ${r.p50Ms} ms  p99 ${r.p99Ms} ms  errors ${r.errors}`;

async function nginxReplicas(makeLoad, samplesPerRequest, log) {
  const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path));
  if (nginx === undefined) {
    log('nginx: not installed (apt-get install nginx), 2-replica figure skipped');
    return null;
  }
  const [a, b, front] = [await freePort(), await freePort(), await freePort()];
  const replicas = await Promise.all([a, b].map((port) => startServer(['--port', String(port), '--workers', '1', '--embedder', 'trigram', '--allowed-hosts', 'rarft_replicas'])));
  const prefix = mkdtempSync(join(tmpdir(), 'rarft-bench-nginx-'));
  mkdirSync(join(prefix, 'logs'));
  const config = `pid ${prefix}/nginx.pid;\nerror_log ${prefix}/logs/error.log warn;\n${readFileSync(join(here, '../deploy/nginx/nginx.conf'), 'utf8')}`
    .replace('server 127.0.0.1:8001', `server 127.0.0.1:${a}`)
    .replace('server 127.0.0.1:8002', `server 127.0.0.1:${b}`)
    .replace('listen 127.0.0.1:8000', `listen 127.0.0.1:${front}`)
    .replace('worker_processes auto;', 'worker_processes 1;')
    .replace('http {', `http {\n  client_body_temp_path ${prefix}/body;\n  proxy_temp_path ${prefix}/proxy;`);
  writeFileSync(join(prefix, 'nginx.conf'), config);
  execFileSync(nginx, ['-p', prefix, '-c', join(prefix, 'nginx.conf')]);
  try {
    const url = `http://127.0.0.1:${front}`;
    for (let i = 0; i < 100 && !(await fetch(`${url}/healthz`).then((r) => r.ok, () => false)); i++) await new Promise((r) => setTimeout(r, 50));
    await load(makeLoad(url), samplesPerRequest, 2);
    return await load(makeLoad(url), samplesPerRequest);
  } finally {
    execFileSync(nginx, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-s', 'stop']);
    await Promise.all(replicas.map((replica) => replica.stop()));
    rmSync(prefix, { recursive: true, force: true });
  }
}

/** USE-lite sentences/s: one text per pass against exact batching, on GRPO-like texts; vectors compared. */
async function exactBatching(log) {
  const { useLiteEmbedder } = await import(pathToFileURL(join(here, '../dist/embeddings.js')).href);
  // 32 GRPO groups: 8 explanations and 8 corrections each, 6 to 13 words: the lengths a policy writes. Each call
  // holds 256 texts, what one server micro-batch of 128 one-sample requests sends to the embedder.
  const CALL = 256;
  const texts = Array.from({ length: 512 }, (_, i) => `${sentence(i, 6 + (i % 8))} ${i}`);
  const results = {};
  const vectors = {};
  for (const batching of ['none', 'exact']) {
    const embedder = await useLiteEmbedder({ batching });
    try {
      await embedder.embed(texts.slice(0, 32).map((t) => `${t} warm-up`));
      const started = performance.now();
      vectors[batching] = [];
      for (let g = 0; g < texts.length; g += CALL) vectors[batching].push(...(await embedder.embed(texts.slice(g, g + CALL))));
      results[batching] = texts.length / ((performance.now() - started) / 1000);
    } finally {
      await embedder.dispose();
    }
  }
  const identical = vectors.none.every((v, i) => v.length === vectors.exact[i].length && v.every((x, j) => x === vectors.exact[i][j]));
  const ratio = results.exact / results.none;
  log(`USE-lite one text per pass          ${results.none.toFixed(1)} sentences/s  (${texts.length} texts, ${CALL} per call)`);
  log(`USE-lite exact batching             ${results.exact.toFixed(1)} sentences/s  (${ratio.toFixed(2)}x, vectors identical: ${identical})`);
  return { onePerPassSentencesPerSecond: results.none, exactBatchingSentencesPerSecond: results.exact, ratio, identical, texts: texts.length, callSize: CALL };
}

export async function run({ log }) {
  const results = { cores };
  log(`workers 1 vs ${cores} (the cores), ${DURATION_S} s per run after a warm-up`);
  results.trigram1 = await measureServer(['--workers', '1', '--embedder', 'trigram'], trigramLoad, 1, 2);
  log(line('trigram, 1 worker', results.trigram1));
  results.trigramN = await measureServer(['--workers', String(cores), '--embedder', 'trigram'], trigramLoad, 1, 2);
  log(line(`trigram, ${cores} workers`, results.trigramN));
  results.trigramRatio = results.trigramN.samplesPerSecond / results.trigram1.samplesPerSecond;
  log(`trigram workers ${cores}/1: ${results.trigramRatio.toFixed(2)}x samples/s`);
  results.useLite1 = await measureServer(['--workers', '1', '--embedder', 'use-lite'], useLiteLoad, 8, 4);
  log(line('USE-lite, 1 worker', results.useLite1));
  results.useLiteN = await measureServer(['--workers', String(cores), '--embedder', 'use-lite'], useLiteLoad, 8, 4);
  log(line(`USE-lite, ${cores} workers`, results.useLiteN));
  results.useLiteRatio = results.useLiteN.samplesPerSecond / results.useLite1.samplesPerSecond;
  log(`USE-lite workers ${cores}/1: ${results.useLiteRatio.toFixed(2)}x samples/s`);
  results.nginx2Replicas = await nginxReplicas(trigramLoad, 1, log);
  if (results.nginx2Replicas !== null) {
    log(line('trigram, nginx + 2 replicas', results.nginx2Replicas));
    results.nginxOverOneReplica = results.nginx2Replicas.samplesPerSecond / results.trigram1.samplesPerSecond;
    log(`nginx + 2 replicas / 1 replica: ${results.nginxOverOneReplica.toFixed(2)}x samples/s`);
  }
  results.exactBatching = await exactBatching(log);
  return results;
}
