// `ra-rft-rewards serve` as a real process under the faults of issue 22: a worker killed with SIGKILL under load,
// workers that keep dying, a burst of 3,000 requests at once, and one 32 KB word with USE-lite. Loopback only;
// every request loop is bounded.
import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { missingUseLitePackages } from '../src/embeddings/use-lite-embedder.js';
import { type RaRftRewardResult, type RaRftTarget, raRftRewardBatch, trigramHashEmbedder } from '../src/index.js';
import { startServe } from './helpers/serve.js';

const target: RaRftTarget = { relevant: false, duration: 30, answer: 'No one drops the groceries.', contrast: '3.1 to 10.9', query: 'the person puts the groceries on the table.' };
const completion = (i: number) => `<think>${i}</think><answer>Nobody drops anything ${i}.</answer><correction>the person puts item ${i} on the table.</correction>`;

type Outcome = { status: number; text: string; retryAfter?: string | undefined; error?: string; ms: number };

/**
 * One POST on its own connection, with a client timeout: a hang shows as `error: 'client timeout'`. `ms` counts
 * from when the request was sent (its body handed to the kernel), not from when this busy client got round to it.
 */
function post(port: number, path: string, body: string, timeoutMs = 20_000): Promise<Outcome> {
  let started = performance.now();
  return new Promise((resolve) => {
    const request = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
    const timer = setTimeout(() => {
      request.destroy();
      resolve({ status: -1, text: '', error: 'client timeout', ms: performance.now() - started });
    }, timeoutMs);
    request.once('error', (error) => {
      clearTimeout(timer);
      resolve({ status: -1, text: '', error: error.message, ms: performance.now() - started });
    });
    request.once('response', (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => {
        clearTimeout(timer);
        const retryAfter = response.headers['retry-after'];
        resolve({ status: response.statusCode ?? 0, text, retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined, ms: performance.now() - started });
      });
    });
    request.once('finish', () => (started = performance.now()));
    request.end(body);
  });
}

type Health = { pid: number; workers: { id: number; pid: number; ready: boolean }[]; restartsLastMinute: number };
const health = async (url: string): Promise<Health> => (await (await fetch(`${url}/healthz`)).json()) as Health;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function allReady(url: string, count: number): Promise<Health> {
  let h = await health(url);
  for (let i = 0; i < 200 && !(h.workers.length === count && h.workers.every((w) => w.ready)); i++) {
    await sleep(50);
    h = await health(url);
  }
  return h;
}

async function serve(args: string[]) {
  const started = await startServe(args);
  const exited = new Promise<number | null>((resolve) => started.child.once('exit', resolve));
  return { ...started, port: Number(new URL(started.url).port), exited };
}

describe('supervised workers', () => {
  it('kill -9 of a worker under load: every request is answered (its own numbers, or 503 with Retry-After), and the worker is replaced', async () => {
    const { url, port, child, exited } = await serve(['--embedder', 'trigram', '--workers', '2']);
    const before = await allReady(url, 2);
    const victim = before.workers[0] as { id: number; pid: number };
    const requests = 240;
    const perRequest = 20;
    const want = await raRftRewardBatch(
      Array.from({ length: requests * perRequest }, (_, i) => completion(i)),
      Array.from({ length: requests * perRequest }, () => target),
      { embedder: trigramHashEmbedder() },
    );
    const outcomes: Outcome[] = new Array(requests);
    let next = 0;
    const loop = async () => {
      for (let r = next++; r < requests; r = next++) {
        const items = Array.from({ length: perRequest }, (_, k) => ({ completion: completion(r * perRequest + k), target }));
        outcomes[r] = await post(port, '/v1/score', JSON.stringify({ items }));
        if (r === 60) process.kill(victim.pid, 'SIGKILL'); // a quarter of the way in
      }
    };
    await Promise.all(Array.from({ length: 12 }, loop));
    // None hung, none reset: a 200 with its own numbers, or a retryable 503 that says when to retry.
    const bad = outcomes.filter((o) => o.status !== 200 && !(o.status === 503 && o.retryAfter !== undefined));
    expect(bad, JSON.stringify(bad.slice(0, 3))).toEqual([]);
    outcomes.forEach((o, r) => {
      if (o.status === 200) expect((JSON.parse(o.text) as { results: RaRftRewardResult[] }).results).toEqual(want.slice(r * perRequest, (r + 1) * perRequest));
    });
    const after = await allReady(url, 2);
    expect(after.workers.map((w) => w.pid)).not.toContain(victim.pid);
    expect(after.restartsLastMinute).toBe(1);
    const shed = outcomes.filter((o) => o.status === 503).length;
    console.info(`worker kill: ${requests - shed} answered 200, ${shed} answered 503 (Retry-After)`);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 90_000);

  it('exits 1 when no worker can be kept (the restart budget is spent)', async () => {
    const { url, child, exited, stderr } = await serve(['--embedder', 'trigram', '--workers', '1', '--max-restarts', '2']);
    let code: number | null | undefined;
    void exited.then((c) => (code = c));
    // Kill each worker as soon as it is up; the third death has no replacement left.
    for (let kills = 0; kills < 6 && code === undefined; kills++) {
      const h = await allReady(url, 1).catch(() => null);
      const pid = h?.workers[0]?.pid;
      if (pid === undefined) break;
      process.kill(pid, 'SIGKILL');
      await Promise.race([exited, sleep(500)]);
    }
    expect(await exited).toBe(1);
    expect(child.exitCode).toBe(1);
    expect(stderr()).toMatch(/giving up: no scoring worker left/);
  }, 90_000);
});

describe('admission control', () => {
  it('a burst of 3,000 requests at once: each is answered within 5 s or shed with Retry-After, and /healthz answers meanwhile', async () => {
    // The default --max-queue-ms (2 s): a request that cannot start within 2 s is shed, so an admitted one is answered within 5 s.
    const { url, port, child, exited } = await serve(['--embedder', 'trigram', '--workers', '2', '--max-pending', '256']);
    await allReady(url, 2);
    const body = (i: number) => JSON.stringify({ items: [{ completion: completion(i), target }] });
    const burst = Array.from({ length: 3000 }, (_, i) => post(port, '/v1/score', body(i), 30_000));
    await sleep(50);
    const probeStarted = performance.now();
    const probe = await fetch(`${url}/healthz`);
    const probeMs = performance.now() - probeStarted;
    expect(probe.status).toBe(200);
    const outcomes = await Promise.all(burst);
    const ok = outcomes.filter((o) => o.status === 200);
    const shed = outcomes.filter((o) => o.status === 503);
    expect(outcomes.filter((o) => o.status !== 200 && o.status !== 503), JSON.stringify(outcomes.find((o) => o.status !== 200 && o.status !== 503))).toEqual([]);
    expect(shed.every((o) => o.retryAfter === '1')).toBe(true);
    expect(ok.length).toBeGreaterThan(0);
    expect(shed.length).toBeGreaterThan(0); // 3,000 at once cannot all fit under 256 pending
    const slowest = Math.max(...ok.map((o) => o.ms));
    const p = (list: Outcome[], q: number) => Math.round(list.map((o) => o.ms).sort((a, b) => a - b)[Math.floor((list.length - 1) * q)] ?? 0);
    console.info(`burst: ${ok.length} answered 200 (p50 ${p(ok, 0.5)} ms, p99 ${p(ok, 0.99)} ms), ${shed.length} shed (p50 ${p(shed, 0.5)} ms, p99 ${p(shed, 0.99)} ms); slowest 200 ${Math.round(slowest)} ms; /healthz in ${Math.round(probeMs)} ms`);
    expect(slowest).toBeLessThan(5000); // every 200 within 5 s of being sent
    expect(Math.max(...shed.map((o) => o.ms))).toBeLessThan(15_000); // and no shed request left hanging
    expect(probeMs).toBeLessThan(5000);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 90_000);
});

const useLite = missingUseLitePackages().length === 0 ? describe : describe.skip;
useLite('the USE-lite length cut', () => {
  it('one 32 KB word (or text spaced with tabs, NBSP, U+3000, zero-width spaces) does not hold other clients: they are answered within 2 s', async () => {
    const { url, port, child, exited } = await serve(['--embedder', 'use-lite', '--workers', '1']);
    await allReady(url, 1);
    const warm = await post(port, '/v1/score', JSON.stringify({ items: [{ completion: completion(0), target }] }), 60_000);
    expect(warm.status).toBe(200);
    const hostile = ['x'.repeat(32 * 1024), 'word\t'.repeat(6500), 'word\u00a0'.repeat(6500), 'word\u3000'.repeat(6500), 'word\u200b'.repeat(6500), 'e\u0301'.repeat(16_000)];
    for (const text of hostile) {
      const heavy = post(port, '/v1/score', JSON.stringify({ items: [{ completion: `<think>t</think><answer>${text}</answer><correction>${text}</correction>`, target }] }), 60_000);
      await sleep(20);
      const others = await Promise.all([1, 2, 3].map((i) => post(port, '/v1/score', JSON.stringify({ items: [{ completion: completion(i), target }] }), 10_000)));
      expect(others.map((o) => o.status)).toEqual([200, 200, 200]);
      expect(Math.max(...others.map((o) => o.ms)), JSON.stringify(text.slice(0, 12))).toBeLessThan(2000);
      expect((await heavy).status).toBe(200);
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 120_000);
});
