// The reward server under overload, bad callers and shutdown: load shedding with nothing lost, access rules,
// Prometheus metrics, bounded error answers, and SIGTERM draining a real `serve` process under load.
import { type ChildProcess, spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Embedder, type RaRftTarget, raRftRewardBatch, trigramHashEmbedder } from '../src/index.js';
import { createRewardApp, startRewardServer } from '../src/server/index.js';
import { repoRoot } from './helpers/shared.js';

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
          const started = performance.now();
          const response = await post(app, '/v1/score', { items: completions.map((c) => ({ completion: c, target })) });
          if (response.status === 503) {
            shed++;
            expect(response.headers.get('retry-after')).toBe('0.05');
            expect(performance.now() - started).toBeLessThan(50); // refused at once, not after queueing
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

  it('a request larger than the limit still runs when nothing else is pending (no starvation)', async () => {
    const app = createRewardApp({ embedder, microBatch: false, maxPendingCompletions: 2 });
    const response = await post(app, '/v1/score', { items: [0, 1, 2, 3, 4].map((i) => ({ completion: completion(i), target })) });
    expect(response.status).toBe(200);
  });
});

describe('access', () => {
  it('requires a token off loopback, and checks it in every route but /healthz', async () => {
    await expect(startRewardServer({ embedder, host: '0.0.0.0', port: 0 })).rejects.toThrow('startRewardServer: access.token is required when binding 0.0.0.0 (not loopback)');
    const app = createRewardApp({ embedder, access: { token: 's3cret' } });
    const body = { items: [{ completion: completion(1), target }] };
    expect((await post(app, '/v1/score', body)).status).toBe(401);
    expect((await post(app, '/v1/score', body, { ...json, authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await post(app, '/v1/score', body, { ...json, authorization: 'Bearer s3cret' })).status).toBe(200);
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
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

export async function startServe(args: string[]): Promise<{ url: string; child: ChildProcess; stderr: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/bin.ts'), 'serve', '--port', '0', ...args], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let text = '';
  child.stderr?.on('data', (chunk) => (text += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', () => {
      const match = /listening on (http:\/\/\S+)/.exec(text);
      if (match) resolve(match[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${text}`)));
  });
  return { url, child, stderr: () => text };
}

describe('serve --workers', () => {
  it('shares one port between worker processes, and all of them drain and exit on SIGTERM', async () => {
    const { url, child, stderr } = await startServe(['--embedder', 'trigram', '--workers', '2']);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    for (let i = 0; i < 100 && (stderr().match(/listening on/g) ?? []).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    const pids = new Set<number>();
    for (let i = 0; i < 40 && pids.size < 2; i++) {
      const health = (await (await fetch(`${url}/healthz`, { headers: { connection: 'close' } })).json()) as { pid: number };
      pids.add(health.pid);
    }
    expect(pids.size).toBe(2);
    expect(pids.has(child.pid as number)).toBe(false); // the primary only forks and waits
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr().match(/\[worker \d\] ra-rft-rewards serve: stopped/g)).toHaveLength(2);
  }, 60_000);
});

describe('SIGTERM', () => {
  it('finishes requests already sent on fresh connections to a busy server, then exits 0 promptly', async () => {
    const { url, child, stderr } = await startServe(['--embedder', 'trigram', '--workers', '1', '--batch-window-ms', '30']);
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
    const signalled = performance.now();
    child.kill('SIGTERM');
    const results = await Promise.all(answers);
    expect(results.filter((r) => r.status !== 200), stderr()).toEqual([]);
    expect(results.every((r) => r.n === 50)).toBe(true);
    expect(await exited).toBe(0);
    expect(performance.now() - signalled).toBeLessThan(10_000);
    expect(stderr()).toMatch(/SIGTERM, draining…[\s\S]*stopped/);
  }, 60_000);
});
