// The reward server under overload, bad callers and shutdown: load shedding with nothing lost, access rules,
// Prometheus metrics, bounded error answers, and SIGTERM draining a real `serve` process under load.
import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { type Embedder, type RaRftTarget, raRftRewardBatch, trigramHashEmbedder } from '../src/index.js';
import { createRewardApp, startRewardServer } from '../src/server/index.js';
import { startServe } from './helpers/serve.js';

const embedder = trigramHashEmbedder();
const target: RaRftTarget = { relevant: false, duration: 30, answer: 'No one drops the groceries.', contrast: '3.1 to 10.9', query: 'the person puts the groceries on the table.' };
const completion = (i: number) => `<think>${i}</think><answer>Nobody drops anything ${i}.</answer><correction>the person puts item ${i} on the table.</correction>`;
const json = { 'content-type': 'application/json' };
const post = (app: ReturnType<typeof createRewardApp>, path: string, body: unknown, headers: Record<string, string> = json) =>
  app.request(path, { method: 'POST', headers, body: JSON.stringify(body) });

/** An embedder that takes `ms` per call, to hold requests in flight. */
const slowEmbedder = (ms: number): Embedder => ({ embed: async (texts) => (await new Promise((resolve) => setTimeout(resolve, ms)), embedder.embed(texts)) });

describe('load shedding', () => {
  it('answers 503 with Retry-After past the pending limit at once, and every retried request gets its own right numbers', async () => {
    const app = createRewardApp({ embedder: slowEmbedder(60), microBatch: false, maxPendingCompletions: 8, retryAfterSeconds: 0.05 });
    const requests = Array.from({ length: 12 }, (_, r) => Array.from({ length: 4 }, (_, k) => completion(r * 4 + k)));
    let shed = 0;
    const answers = await Promise.all(
      requests.map(async (completions) => {
        for (let attempt = 0; ; attempt++) {
          const response = await post(app, '/v1/score', { items: completions.map((c) => ({ completion: c, target })) });
          if (response.status === 503) {
            shed++;
            expect(response.headers.get('retry-after')).toBe('0.05');
            expect(await response.json()).toMatchObject({ retryable: true });
            await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 50));
            continue;
          }
          expect(response.status).toBe(200);
          return ((await response.json()) as { results: unknown[] }).results;
        }
      }),
    );
    expect(shed).toBeGreaterThan(0);
    const want = await raRftRewardBatch(requests.flat(), requests.flat().map(() => target), { embedder });
    expect(answers.flat()).toEqual(want);
    expect(app.state.pendingCompletions).toBe(0);
    expect(app.metrics.render()).toMatch(/rarft_rejected_requests_total\{reason="overload"\} [1-9]/);
  });

  it('sheds at once: the 503 comes while the admitted request is still held by the embedder', async () => {
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const gated: Embedder = { embed: async (texts) => (await gate, embedder.embed(texts)) };
    const app = createRewardApp({ embedder: gated, microBatch: false, maxPendingCompletions: 4 });
    const items = [0, 1, 2, 3].map((i) => ({ completion: completion(i), target }));
    const admitted = post(app, '/v1/score', { items });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const shed = await post(app, '/v1/score', { items }); // resolves although the gate is still closed
    expect(shed.status).toBe(503);
    expect(shed.headers.get('retry-after')).toBe('1');
    open();
    expect((await admitted).status).toBe(200);
  });

  it('a request larger than the limit still runs when nothing else is pending (no starvation)', async () => {
    const app = createRewardApp({ embedder, microBatch: false, maxPendingCompletions: 2 });
    const response = await post(app, '/v1/score', { items: [0, 1, 2, 3, 4].map((i) => ({ completion: completion(i), target })) });
    expect(response.status).toBe(200);
  });
});

describe('access', () => {
  it('requires a token off loopback, and checks it in every route but /healthz', async () => {
    await expect(startRewardServer({ embedder, host: '0.0.0.0', port: 0 })).rejects.toThrow('startRewardServer: access.token is required when binding 0.0.0.0 (not loopback)');
    const token = 'k3y-0123456789abcdef';
    const app = createRewardApp({ embedder, access: { token } });
    const body = { items: [{ completion: completion(1), target }] };
    expect((await post(app, '/v1/score', body)).status).toBe(401);
    expect((await post(app, '/v1/score', body, { ...json, authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await post(app, '/v1/score', body, { ...json, authorization: `Bearer ${token}` })).status).toBe(200);
    // RFC 9110: the scheme is case-insensitive.
    expect((await post(app, '/v1/score', body, { ...json, authorization: `bearer ${token}` })).status).toBe(200);
    expect((await post(app, '/v1/score', body, { ...json, authorization: `BEARER  ${token}` })).status).toBe(200);
    expect((await post(app, '/v1/score', body, { ...json, authorization: token })).status).toBe(401);
    expect((await app.request('/metrics')).status).toBe(401);
    expect((await app.request('/healthz')).status).toBe(200);
  });

  it('refuses cross-origin browser requests, non-JSON bodies and foreign Host headers', async () => {
    const app = createRewardApp({ embedder, access: { allowedHosts: ['127.0.0.1:8000'] } });
    const body = { items: [{ completion: completion(1), target }] };
    const host = { host: '127.0.0.1:8000' };
    expect((await post(app, '/v1/score', body, { ...json, ...host })).status).toBe(200);
    expect((await post(app, '/v1/score', body, { ...json, host: 'evil.example:8000' })).status).toBe(403);
    expect((await post(app, '/v1/score', body, { ...json, ...host, origin: 'https://evil.example' })).status).toBe(403);
    expect((await post(app, '/v1/score', body, { 'content-type': 'text/plain', ...host })).status).toBe(415);
    const allowed = createRewardApp({ embedder, access: { allowedOrigins: ['http://localhost:5173'] } });
    expect((await post(allowed, '/v1/score', body, { ...json, origin: 'http://localhost:5173' })).status).toBe(200);
  });

  it('refuses weak tokens: empty, whitespace-only, short, repeated characters (library and front alike)', async () => {
    for (const token of ['', '   ', '\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t', 'short', 'aaaaaaaaaaaaaaaaaaaa', 'has space 0123456789']) {
      expect(() => createRewardApp({ embedder, access: { token } }), JSON.stringify(token)).toThrow(/^createRewardApp: access\.token must/);
      await expect(startRewardServer({ embedder, port: 0, access: { token } })).rejects.toThrow(/^startRewardServer: access\.token must/);
    }
  });

  it('answers CORS preflights and names the allowed origin on every answer', async () => {
    const token = 'k3y-0123456789abcdef';
    const origin = 'http://localhost:5173';
    const server = await startRewardServer({ embedder, port: 0, access: { token, allowedOrigins: [origin] } });
    try {
      const preflight = await fetch(`${server.url}/v1/score`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
      expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization/);
      expect(preflight.headers.get('access-control-allow-methods')).toMatch(/POST/);
      const scored = await fetch(`${server.url}/v1/score`, { method: 'POST', headers: { ...json, origin, authorization: `Bearer ${token}` }, body: JSON.stringify({ items: [{ completion: completion(1), target }] }) });
      expect(scored.status).toBe(200);
      expect(scored.headers.get('access-control-allow-origin')).toBe(origin);
      const foreign = await fetch(`${server.url}/v1/score`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
      expect(foreign.status).toBe(403);
      expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
      // The app alone (mounted elsewhere) does the same.
      const app = createRewardApp({ embedder, access: { token, allowedOrigins: [origin] } });
      const appPreflight = await app.request('/v1/score', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
      expect(appPreflight.status).toBe(204);
      expect(appPreflight.headers.get('access-control-allow-origin')).toBe(origin);
    } finally {
      await server.close();
    }
  });

  it('checks Host on a loopback server by default (DNS rebinding)', async () => {
    const server = await startRewardServer({ embedder, port: 0 });
    try {
      const status = (host: string) =>
        new Promise<number>((resolve, reject) => {
          const request = httpRequest({ host: '127.0.0.1', port: server.port, path: '/healthz', headers: { host } }, (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          });
          request.once('error', reject);
          request.end();
        });
      expect(await status(`127.0.0.1:${server.port}`)).toBe(200);
      expect(await status(`localhost:${server.port}`)).toBe(200);
      expect(await status('attacker.example')).toBe(403);
    } finally {
      await server.close();
    }
  });

  it('lists at most maxIssues validation issues, and never shows a stack or a path on a 500', async () => {
    const app = createRewardApp({ embedder, microBatch: false });
    const response = await post(app, '/get_reward', { query: Array.from({ length: 100_000 }, () => 'x'), labels: Array.from({ length: 100_000 }, () => '{') });
    const answer = (await response.json()) as { issues: unknown[]; moreIssues: number };
    expect(response.status).toBe(400);
    expect(answer.issues).toHaveLength(20);
    expect(answer.moreIssues).toBe(100_000 - 20);
    const broken = createRewardApp({ embedder: { embed: () => Promise.reject(new Error('ENOENT: /secret/models/x.onnx')) }, microBatch: false });
    const quiet = console.error;
    console.error = () => undefined;
    try {
      const failed = await post(broken, '/v1/score', { items: [{ completion: completion(1), target }] });
      expect(failed.status).toBe(500);
      expect(await failed.text()).toBe('{"error":"internal error"}');
    } finally {
      console.error = quiet;
    }
  });
});

/** One raw HTTP request on its own connection: the status, the body, or the transport error. */
function rawPost(port: number, path: string, body: Buffer, headers: Record<string, string | number> = {}): Promise<{ status: number; text: string; headers: Record<string, unknown>; error?: string }> {
  return new Promise((resolve) => {
    const chunked = headers['transfer-encoding'] === 'chunked';
    const request = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', agent: false, headers: { ...json, ...(chunked ? {} : { 'content-length': body.length }), ...headers } });
    request.once('error', (error) => resolve({ status: -1, text: '', headers: {}, error: error.message }));
    request.once('response', (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text, headers: response.headers }));
    });
    request.end(body);
  });
}

describe('request bodies and timeouts at the front', () => {
  it('answers 413 from the Content-Length of an over-limit body (no reset), on every scoring route', async () => {
    const server = await startRewardServer({ embedder, port: 0, bodyLimitBytes: 64 * 1024 });
    try {
      const big = Buffer.alloc(4 * 1024 * 1024, 0x20); // 4 MiB of spaces: the client is still sending when the 413 comes
      for (const path of ['/v1/score', '/get_reward', '/v1/rpc']) {
        const answer = await rawPost(server.port, path, big);
        expect(answer.error, path).toBeUndefined();
        expect(answer.status, path).toBe(413);
        expect(answer.text).toMatch(/larger than 65536 bytes/);
      }
      // A chunked body (no Content-Length) over the limit gets the same answer.
      const chunked = await rawPost(server.port, '/v1/score', big, { 'transfer-encoding': 'chunked' });
      expect(chunked.status).toBe(413);
    } finally {
      await server.close();
    }
  });

  it('refuses invalid UTF-8 with a 400 naming the byte, instead of replacing it', async () => {
    const server = await startRewardServer({ embedder, port: 0 });
    try {
      const body = Buffer.concat([Buffer.from('{"items": [{"completion": "caf'), Buffer.from([0xe9]), Buffer.from(`", "target": ${JSON.stringify(target)}}]}`)]);
      const answer = await rawPost(server.port, '/v1/score', body);
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text)).toEqual({ error: 'invalid request', issues: [{ path: '(body)', message: 'is not valid UTF-8 (first bad byte at offset 30)' }] });
      const rpc = await rawPost(server.port, '/v1/rpc', body);
      expect(rpc.status).toBe(400);
      expect(JSON.parse(rpc.text)).toMatchObject({ ok: false, error: { type: 'BadRequest' } });
      // The app alone refuses it too.
      const app = createRewardApp({ embedder });
      const direct = await app.request('/v1/score', { method: 'POST', headers: json, body });
      expect(direct.status).toBe(400);
      expect(await direct.text()).toMatch(/not valid UTF-8/);
      // Valid multi-byte text still passes.
      const fine = await rawPost(server.port, '/v1/score', Buffer.from(JSON.stringify({ items: [{ completion: 'café 中文 😀', target }] })));
      expect(fine.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('--timeout-ms: 503 with Retry-After, and the timed-out work is cancelled (never scored)', async () => {
    let calls = 0;
    const counting: Embedder = { embed: (texts) => (calls++, embedder.embed(texts)) };
    // A long micro-batch window holds the request in the batcher's queue past its timeout.
    const server = await startRewardServer({ embedder: counting, port: 0, batchWindowMs: 600, requestTimeoutMs: 100 });
    try {
      const answer = await rawPost(server.port, '/v1/score', Buffer.from(JSON.stringify({ items: [{ completion: completion(1), target }] })));
      expect(answer.status).toBe(503);
      expect(answer.headers['retry-after']).toBe('1');
      expect(JSON.parse(answer.text)).toMatchObject({ retryable: true, error: expect.stringMatching(/timed out after 100 ms; its work was cancelled/) });
      await new Promise((resolve) => setTimeout(resolve, 900)); // past the batch window
      expect(calls).toBe(0);
      expect(server.front.state.pendingCompletions).toBe(0);
    } finally {
      await server.close();
    }
  });
});

/** Minimal Prometheus text-format check: families declared once, samples well-formed, histograms consistent. */
function parsePrometheus(text: string): Map<string, { type: string; samples: { name: string; labels: string; value: number }[] }> {
  const families = new Map<string, { type: string; samples: { name: string; labels: string; value: number }[] }>();
  let current: string | undefined;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      expect(families.has(type[1] as string), `${type[1]} declared twice`).toBe(false);
      families.set(type[1] as string, { type: type[2] as string, samples: [] });
      current = type[1];
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .+$/.test(line)) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|\+Inf|NaN)$/.exec(line);
    expect(sample, `bad line: ${line}`).not.toBeNull();
    expect(current !== undefined && (sample?.[1] ?? '').startsWith(current), `sample outside its family: ${line}`).toBe(true);
    families.get(current as string)?.samples.push({ name: sample?.[1] as string, labels: sample?.[2] ?? '', value: Number(sample?.[3]) });
  }
  return families;
}

describe('GET /metrics', () => {
  it('parses as Prometheus text and counts requests, latency, batch sizes, cache hits and rejections', async () => {
    const { cachedEmbedder } = await import('../src/embeddings/index.js');
    const app = createRewardApp({ embedder: cachedEmbedder(embedder), maxPendingCompletions: 1 });
    const body = { items: [0, 1, 2].map((i) => ({ completion: completion(i), target })) };
    await post(app, '/v1/score', body);
    await post(app, '/v1/score', body); // the same texts again: cache hits
    const burst = await Promise.all([post(app, '/v1/score', body), post(app, '/v1/score', body), post(app, '/v1/score', body)]);
    expect(burst.map((r) => r.status).sort()).toEqual([200, 503, 503]);
    await post(app, '/v1/score', { items: 'nope' });
    const response = await app.request('/metrics');
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parsePrometheus(await response.text());
    expect([...families.keys()]).toEqual(expect.arrayContaining(['rarft_requests_total', 'rarft_request_duration_seconds', 'rarft_scoring_batch_size', 'rarft_queue_depth', 'rarft_rejected_requests_total', 'rarft_embedding_cache_hit_ratio']));
    const requests = families.get('rarft_requests_total')?.samples ?? [];
    expect(requests.find((s) => s.labels === '{route="/v1/score",status="400"}')?.value).toBe(1);
    expect(requests.find((s) => s.labels === '{route="/v1/score",status="200"}')?.value).toBe(3);
    expect(families.get('rarft_rejected_requests_total')?.samples).toEqual([{ name: 'rarft_rejected_requests_total', labels: '{reason="overload"}', value: 2 }]);
    expect(families.get('rarft_scoring_batch_size')?.samples.find((s) => s.name.endsWith('_count'))?.value).toBe(3);
    const latency = families.get('rarft_request_duration_seconds')?.samples.filter((s) => s.labels.includes('route="/v1/score"')) ?? [];
    const buckets = latency.filter((s) => s.name.endsWith('_bucket')).map((s) => s.value);
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b)); // cumulative
    expect(buckets.at(-1)).toBe(latency.find((s) => s.name.endsWith('_count'))?.value);
    const hitRatio = families.get('rarft_embedding_cache_hit_ratio')?.samples[0]?.value ?? 0;
    expect(hitRatio).toBeGreaterThan(0); // the same texts came three times
    expect(families.get('rarft_queue_depth')?.samples[0]?.value).toBe(0);
  });

  it('?timing=1 adds the scoring time per sample', async () => {
    const app = createRewardApp({ embedder });
    const answer = (await (await post(app, '/v1/score?timing=1', { items: [{ completion: completion(1), target }] })).json()) as { timing: { totalMs: number; perSampleMs: number } };
    expect(answer.timing.totalMs).toBeGreaterThanOrEqual(0);
    expect(answer.timing.perSampleMs).toBe(answer.timing.totalMs);
  });
});

// A real `ra-rft-rewards serve` process (from source, through tsx), so that SIGTERM is the real signal path.
describe('serve --workers', () => {
  it('shares one port between worker processes, and all of them drain and exit on SIGTERM', async () => {
    const { url, child, stderr } = await startServe(['--embedder', 'trigram', '--workers', '2']);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    // /healthz answers from the parent and lists its workers (the second may still be loading its embedder).
    type Health = { pid: number; workers: { pid: number; ready: boolean; served: number }[] };
    let health = (await (await fetch(`${url}/healthz`)).json()) as Health;
    for (let i = 0; i < 100 && !health.workers.every((w) => w.ready); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      health = (await (await fetch(`${url}/healthz`)).json()) as Health;
    }
    expect(health.pid).toBe(child.pid);
    expect(health.workers).toHaveLength(2);
    expect(new Set(health.workers.map((w) => w.pid)).size).toBe(2);
    expect(health.workers.every((w) => w.ready && w.pid !== child.pid)).toBe(true);
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => fetch(`${url}/v1/score`, { method: 'POST', headers: json, body: JSON.stringify({ items: [{ completion: completion(i), target }] }) })));
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 200));
    const after = (await (await fetch(`${url}/healthz`)).json()) as { workers: { served: number }[] };
    expect(after.workers.map((w) => w.served).reduce((a, b) => a + b)).toBe(40);
    expect(after.workers.every((w) => w.served > 0)).toBe(true); // both scored
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr()).toMatch(/ra-rft-rewards serve: stopped/);
  }, 60_000);
});

describe('SIGTERM', () => {
  it.each([['1'], ['2']])('with %s worker(s): answers all 20 requests sent on fresh connections to a busy server, then exits 0', async (workers) => {
    const { url, child, stderr } = await startServe(['--embedder', 'trigram', '--workers', workers, '--batch-window-ms', '30']);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    // 20 requests on fresh connections: connect all, send all, SIGTERM 20 ms later while they are being scored.
    const { port } = new URL(url);
    const body = (i: number) => JSON.stringify({ items: Array.from({ length: 50 }, (_, k) => ({ completion: completion(i * 50 + k), target })) });
    const requests = Array.from({ length: 20 }, () => httpRequest({ host: '127.0.0.1', port, path: '/v1/score', method: 'POST', agent: false, headers: json }));
    const answers = requests.map(
      (request) =>
        new Promise<{ status: number; n: number; error?: string }>((resolve) => {
          request.once('error', (error) => resolve({ status: -1, n: 0, error: error.message }));
          request.once('response', (response) => {
            let text = '';
            response.on('data', (chunk) => (text += chunk));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, n: response.statusCode === 200 ? (JSON.parse(text) as { results: unknown[] }).results.length : 0 }));
          });
        }),
    );
    await Promise.all(requests.map((request) => new Promise((resolve) => request.once('socket', (socket) => (socket.connecting ? socket.once('connect', resolve) : resolve(undefined))))));
    requests.forEach((request, i) => request.end(body(i)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGTERM');
    const results = await Promise.all(answers);
    expect(results.filter((r) => r.status !== 200), stderr()).toEqual([]);
    expect(results.every((r) => r.n === 50)).toBe(true);
    // A drain that ran into --drain-timeout-ms would have cut these requests: all 200 means it finished in time.
    expect(await exited).toBe(0);
    expect(stderr()).toMatch(/SIGTERM, draining…[\s\S]*stopped/);
  }, 60_000);
});
