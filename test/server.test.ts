import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Embedder, type RaRftTarget, raRftRewardBatch, trigramHashEmbedder } from '../src/index.js';
import { type RewardServer, createRewardApp, startRewardServer } from '../src/server/index.js';

const embedder = trigramHashEmbedder();
const relevant: RaRftTarget = { relevant: true, span: [3.1, 10.9], duration: 30.04, answer: '3.1 to 10.9', contrast: 'No one drops groceries.', query: 'the person puts the groceries on the table.' };
const irrelevant: RaRftTarget = { relevant: false, duration: 30.04, answer: 'No one drops groceries.', contrast: '3.1 to 10.9', query: 'the person puts the groceries on the table.' };
const prompt = '<|im_start|>user\nWhen does the person drop the groceries?<|im_end|>\n<|im_start|>assistant\n';
const completionA = '<think>seen</think><answer>4 to 11</answer><correction>NIL</correction>';
const completionB = '<think>no drop</think><answer>No one drops groceries in the video.</answer><correction>the person puts the groceries on the table.</correction>';

const post = (app: ReturnType<typeof createRewardApp>, path: string, body: unknown) =>
  app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('reward server routes', () => {
  const app = createRewardApp({ embedder, microBatch: false });

  it('POST /get_reward answers OpenRLHF with rewards, scores and extra_logs equal to the library', async () => {
    const response = await post(app, '/get_reward', {
      query: [prompt + completionA, prompt + completionB],
      prompts: [prompt, prompt],
      labels: [JSON.stringify(relevant), JSON.stringify(irrelevant)],
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { rewards: number[]; scores: number[]; extra_logs: Record<string, number[]> };
    const want = await raRftRewardBatch([completionA, completionB], [relevant, irrelevant], { embedder });
    expect(body.rewards).toEqual(want.map((r) => r.total));
    expect(body.scores).toEqual(body.rewards);
    expect(Object.keys(body.extra_logs).sort()).toEqual(['correction', 'explain', 'explainAndCorrection', 'format', 'refuseIoU']);
    expect(body.extra_logs.refuseIoU).toEqual(want.map((r) => r.refuseIoU));
  });

  it('answers an empty batch with the same keys and empty lists', async () => {
    const body = await (await post(app, '/get_reward', { query: [], prompts: [], labels: [] })).json();
    expect(body).toEqual({ rewards: [], scores: [], extra_logs: { format: [], refuseIoU: [], explain: [], correction: [], explainAndCorrection: [] } });
  });

  it('POST /v1/score scores items', async () => {
    const response = await post(app, '/v1/score', { items: [{ completion: completionA, target: relevant }] });
    const body = (await response.json()) as { results: unknown[]; embedder: string };
    expect(body.results).toEqual(await raRftRewardBatch([completionA], [relevant], { embedder }));
    expect(body.embedder).toBe('trigram-hash-256');
  });

  it('rejects bad JSON, wrong types and missing target fields with 400 naming them', async () => {
    const badJson = await post(app, '/get_reward', '{"query": [');
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ issues: [{ path: '(body)' }] });

    const wrongTypes = await post(app, '/get_reward', { query: 'x', labels: [1] });
    expect(wrongTypes.status).toBe(400);
    const paths = ((await wrongTypes.json()) as { issues: { path: string }[] }).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['query', 'labels[0]']));

    const { span: _span, ...noSpan } = relevant;
    const missing = await post(app, '/get_reward', { query: [completionA], labels: [JSON.stringify(noSpan)] });
    expect(missing.status).toBe(400);
    const issues = ((await missing.json()) as { issues: { path: string; message: string }[] }).issues;
    expect(issues).toEqual([{ path: 'labels[0].span', message: 'is required when relevant is true' }]);

    const notJsonLabel = await post(app, '/get_reward', { query: [completionA], labels: ['{span'] });
    expect(((await notJsonLabel.json()) as { issues: { path: string }[] }).issues[0]?.path).toBe('labels[0]');

    const noAnswer = await post(app, '/v1/score', { items: [{ completion: completionA, target: { relevant: false } }] });
    expect(noAnswer.status).toBe(400);
    expect(((await noAnswer.json()) as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual(['items[0].target.answer', 'items[0].target.contrast']);

    const mismatch = await post(app, '/get_reward', { query: [completionA, completionB], labels: [JSON.stringify(relevant)] });
    expect(((await mismatch.json()) as { issues: { path: string }[] }).issues[0]?.path).toBe('labels');
  });

  it('answers 413 for a body over the limit, 404 for unknown routes, and /healthz', async () => {
    const small = createRewardApp({ embedder, bodyLimitBytes: 1024 });
    const big = await post(small, '/v1/score', { items: [{ completion: 'x'.repeat(4096), target: irrelevant }] });
    expect(big.status).toBe(413);
    expect((await app.request('/nope')).status).toBe(404);
    const health = await (await app.request('/healthz')).json();
    expect(health).toMatchObject({ status: 'ok', embedder: 'trigram-hash-256', profile: 'ra-rft', microBatch: false });
  });

  it('answers 503 when scoring outlasts the request timeout', async () => {
    const slow: Embedder = { embed: (texts) => new Promise((resolve) => setTimeout(() => resolve(texts.map(() => [1])), 300)) };
    const timed = createRewardApp({ embedder: slow, requestTimeoutMs: 50, microBatch: false });
    const response = await post(timed, '/v1/score', { items: [{ completion: completionB, target: irrelevant }] });
    expect(response.status).toBe(503);
  });
});

describe('reward server over loopback', () => {
  let server: RewardServer;
  beforeAll(async () => {
    server = await startRewardServer({ embedder, port: 0, batchWindowMs: 5 });
  });
  afterAll(async () => {
    await server.close();
  });

  it('binds 127.0.0.1 by default', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves 1,000 concurrent one-sample requests with no error and no lost or reordered result', async () => {
    const completions = Array.from({ length: 1000 }, (_, i) => `<think>${i}</think><answer>${i % 30} to ${(i % 30) + 5}</answer><correction>NIL ${i}</correction>`);
    const targets = completions.map((_, i) => (i % 3 === 0 ? irrelevant : relevant));
    const want = await raRftRewardBatch(completions, targets, { embedder });
    const responses = await Promise.all(
      completions.map(async (completion, i) => {
        const response = await fetch(`${server.url}/get_reward`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: [prompt + completion], prompts: [prompt], labels: [JSON.stringify(targets[i])] }),
        });
        return { status: response.status, body: (await response.json()) as { rewards: number[]; extra_logs: { refuseIoU: number[] } } };
      }),
    );
    responses.forEach(({ status, body }, i) => {
      expect(status).toBe(200);
      expect(body.rewards).toEqual([want[i]?.total]);
      expect(body.extra_logs.refuseIoU).toEqual([want[i]?.refuseIoU]);
    });
    // Micro-batching gathered them: far fewer scoring calls than requests.
    expect(server.app.batcher?.stats.completions).toBeGreaterThanOrEqual(1000);
    expect(server.app.batcher?.stats.batches).toBeLessThan(500);
  }, 60_000);

  it('finishes in-flight requests on close, then refuses new connections', async () => {
    const slow: Embedder = { embed: (texts) => new Promise((resolve) => setTimeout(() => resolve(texts.map(() => [1, 0])), 200)) };
    const closing = await startRewardServer({ embedder: slow, port: 0 });
    const inFlight = fetch(`${closing.url}/v1/score`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ completion: completionB, target: irrelevant }] }),
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = closing.close();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { results: unknown[] }).results).toHaveLength(1);
    await closed;
    await expect(fetch(`${closing.url}/healthz`)).rejects.toThrow();
  });
});
