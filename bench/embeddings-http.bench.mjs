// Section `embeddings-http`: sentences/s through a server's OpenAI-style POST /v1/embeddings (`ra-rft-rewards
// serve --embedder use-lite`, one worker, on 127.0.0.1) against the same embedder in this process, batches of 64,
// new texts every batch, in alternating rounds; and the embedding calls and texts a GRPO group of 8 costs through
// openAIEmbedder behind the cache.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const name = 'embeddings-http';

const here = dirname(fileURLToPath(import.meta.url));
const BATCH = 64;
const ROUNDS = 10;
const median = (values) => values.slice().sort((a, b) => a - b)[values.length >> 1];

/** `count` distinct sentence-like texts, numbered from `offset` (never seen before by either path). */
function sentences(count, offset) {
  const subjects = ['A man', 'The woman', 'A child', 'The person', 'Someone', 'A girl', 'The cook', 'An old man'];
  const verbs = ['opens', 'closes', 'picks up', 'puts down', 'looks at', 'throws', 'washes', 'holds'];
  const objects = ['the door', 'a cup', 'the laptop', 'a book', 'the window', 'a bag of groceries', 'the phone', 'a towel'];
  return Array.from({ length: count }, (_, k) => {
    const i = k + offset;
    return `${subjects[i % 8]} ${verbs[Math.floor(i / 3) % 8]} ${objects[Math.floor(i / 7) % 8]} in scene ${i} of the clip.`;
  });
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function run({ log }) {
  const embeddings = await import(join(here, '../dist/embeddings.js'));
  const core = await import(join(here, '../dist/index.js'));
  const port = await freePort();
  const serve = spawn(process.execPath, [join(here, '../dist/bin.js'), 'serve', '--embedder', 'use-lite', '--workers', '1', '--port', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  serve.stderr.on('data', (chunk) => (stderr += chunk));
  try {
    const url = `http://127.0.0.1:${port}/v1`;
    for (let tries = 0; ; tries++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok && /listening/.test(stderr)) break;
      } catch {}
      if (tries > 600 || serve.exitCode !== null) throw new Error(`serve did not start: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The same embedder as the server's: resolveEmbedder('use-lite') (USE-lite behind the cache), in this process.
    const { embedder: local } = await embeddings.resolveEmbedder('use-lite');
    const remote = embeddings.openAIEmbedder({ url, model: 'universal-sentence-encoder-lite', batchSize: BATCH, concurrency: 1 });
    // Warm both (model load, JIT), then alternate rounds of new texts.
    await local.embed(sentences(BATCH, 10_000_000));
    await remote.embed(sentences(BATCH, 20_000_000));
    const same = await remote.embed(sentences(4, 30_000_000));
    const mine = await local.embed(sentences(4, 30_000_000));
    const identical = same.every((v, i) => v.length === mine[i].length && v.every((x, k) => x === mine[i][k]));
    const rounds = [];
    const timed = async (embedder, texts) => {
      const started = performance.now();
      await embedder.embed(texts);
      return BATCH / ((performance.now() - started) / 1000);
    };
    for (let round = 0; round < ROUNDS; round++) {
      // A B B A within a round: a drift of the machine's pace hits both paths alike.
      const a1 = await timed(local, sentences(BATCH, round * 1000));
      const b1 = await timed(remote, sentences(BATCH, round * 1000 + 500_000));
      const b2 = await timed(remote, sentences(BATCH, round * 1000 + 600_000));
      const a2 = await timed(local, sentences(BATCH, round * 1000 + 100_000));
      const inProcess = 2 / (1 / a1 + 1 / a2);
      const http = 2 / (1 / b1 + 1 / b2);
      rounds.push({ inProcess, http, cost: inProcess / http - 1 });
    }
    await local.dispose?.();
    const inProcess = median(rounds.map((r) => r.inProcess));
    const http = median(rounds.map((r) => r.http));
    const cost = median(rounds.map((r) => r.cost));
    log(`USE-lite, batches of ${BATCH} new texts, medians of ${ROUNDS} rounds (in-process, HTTP, HTTP, in-process) (vectors identical both ways: ${identical})`);
    log(`  in-process                        ${inProcess.toFixed(1)} sentences/s`);
    log(`  through POST /v1/embeddings       ${http.toFixed(1)} sentences/s (serve --workers 1 on 127.0.0.1)`);
    log(`  cost of the HTTP path             ${(cost * 100).toFixed(1)}% (target < 20%)`);

    // A GRPO group of 8 through openAIEmbedder behind the cache: embedding calls and texts sent.
    let calls = 0;
    let texts = 0;
    const counting = { name: remote.name, embed: async (batch) => { calls++; texts += batch.length; return remote.embed(batch); } };
    const cached = embeddings.cachedEmbedder(counting);
    const target = { relevant: false, answer: 'No one drops the groceries.', contrast: '3.1 to 10.9', query: 'the person puts the groceries on the table.' };
    const group = Array.from({ length: 8 }, (_, i) => `<think>sample ${i}</think><answer>The video never shows this; sample ${i} sees only the table.</answer><correction>the person puts item ${i} on the table.</correction>`);
    await core.raRftRewardBatch(group, target, { embedder: cached });
    log(`GRPO group of 8 through openAIEmbedder and the cache: ${calls} embedding call(s), ${texts} texts (at most 19)`);
    return { batch: BATCH, inProcessSentencesPerSecond: inProcess, httpSentencesPerSecond: http, httpCost: cost, identical, rounds, groupOf8: { calls, texts } };
  } finally {
    serve.kill('SIGTERM');
    await new Promise((resolve) => serve.once('exit', resolve));
  }
}
