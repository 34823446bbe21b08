import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Embedder, type RaRftTarget, raRftRewardBatch, trigramHashEmbedder } from '../src/index.js';
import { type RewardServer, createRewardApp, responseOf, startRewardServer, unitScore } from '../src/server/index.js';

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
    // scores: the total mapped from [-1, 4] (the default weights' range) onto [0, 1], for dynamic filtering.
    expect(body.scores).toEqual(want.map((r) => Math.min(1, Math.max(0, (r.total + 1) / 5))));
    expect(Object.keys(body.extra_logs).sort()).toEqual(['correction', 'explain', 'explainAndCorrection', 'format', 'refuseIoU']);
    expect(body.extra_logs.refuseIoU).toEqual(want.map((r) => r.refuseIoU));
  });

  it('finds the response of an expanded VLM query, strips <|im_end|>, and takes labels as objects', async () => {
    const vlmPrompt = '<|im_start|>user\n<|vision_start|><|video_pad|><|vision_end|>When?<|im_end|>\n<|im_start|>assistant\n';
    const expand = (p: string) => p.replace('<|video_pad|>', '<|video_pad|>'.repeat(500));
    const response = await post(app, '/get_reward', {
      query: [`${expand(vlmPrompt)}${completionA}<|im_end|>`, `${expand(vlmPrompt)}${completionB}<|im_end|><|endoftext|>`],
      prompts: [vlmPrompt, vlmPrompt],
      labels: [relevant, JSON.stringify(irrelevant)],
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { rewards: number[]; extra_logs: { format: number[] } };
    const want = await raRftRewardBatch([completionA, completionB], [relevant, irrelevant], { embedder });
    expect(body.rewards).toEqual(want.map((r) => r.total));
    expect(body.extra_logs.format).toEqual([1, 1]);
  });

  it('keeps end tokens when told to, per server or per request', async () => {
    const raw = `${completionA}<|im_end|>`;
    const kept = createRewardApp({ embedder, microBatch: false, endTokens: false });
    const score = async (target: ReturnType<typeof createRewardApp>, body: Record<string, unknown>) =>
      ((await (await post(target, '/v1/score', { items: [{ completion: raw, target: relevant }], ...body })).json()) as { results: { format: number }[] }).results[0]?.format;
    expect(await score(app, {})).toBe(1);
    expect(await score(kept, {})).toBe(0);
    expect(await score(app, { endTokens: false })).toBe(0);
    expect(await score(kept, { endTokens: ['<|im_end|>'] })).toBe(1);
  });

  it('counts target fields given as null as absent, and still names a required one', async () => {
    const struct = { relevant: false, span: null, duration: 30.04, answer: irrelevant.answer, contrast: irrelevant.contrast, query: irrelevant.query };
    const ok = await post(app, '/v1/score', { items: [{ completion: completionB, target: struct }] });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { results: unknown[] }).results).toEqual(await raRftRewardBatch([completionB], [irrelevant], { embedder }));
    const missing = await post(app, '/get_reward', { query: [completionA], labels: [{ ...struct, relevant: true }] });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { issues: unknown[] }).issues).toEqual([{ path: 'labels[0].span', message: 'is required when relevant is true' }]);
  });

  it('/get_reward scores follow the scores option', async () => {
    const byPart = createRewardApp({ embedder, microBatch: false, scores: 'refuseIoU' });
    const body = (await (await post(byPart, '/get_reward', { query: [completionA, completionB], labels: [relevant, irrelevant] })).json()) as { scores: number[] };
    const want = await raRftRewardBatch([completionA, completionB], [relevant, irrelevant], { embedder });
    expect(body.scores).toEqual(want.map((r) => Math.min(1, Math.max(0, r.refuseIoU))));
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

describe('responseOf', () => {
  const header = '<|im_start|>assistant\n';
  it('cuts after the prompt\'s header count, so a header inside the response stays in it', () => {
    const query = `${prompt}<think>${header}x</think>`;
    expect(responseOf(query, prompt)).toEqual({ text: `<think>${header}x</think>`, cut: 'header' });
  });
  it('drops what the prompt prefilled after its header', () => {
    const prefilled = `${prompt}<think>\n`;
    expect(responseOf(`${prefilled}seen</think>`, prefilled)).toEqual({ text: 'seen</think>', cut: 'header' });
  });
  it('falls back to the prefix, then the last header, then the whole query', () => {
    expect(responseOf('Q: when? A: 1 to 2', 'Q: when? A:')).toEqual({ text: ' 1 to 2', cut: 'prefix' });
    expect(responseOf(`${prompt}1 to 2`, undefined)).toEqual({ text: '1 to 2', cut: 'last-header' });
    expect(responseOf('<|start_header_id|>assistant<|end_header_id|>\n\n1 to 2', 'other')).toEqual({ text: '1 to 2', cut: 'last-header' });
    expect(responseOf('just text', 'other')).toEqual({ text: 'just text', cut: 'none' });
  });
  it('handles Llama 3, Gemma and Phi-3 headers', () => {
    for (const h of ['<|start_header_id|>assistant<|end_header_id|>\n\n', '<start_of_turn>model\n', '<|assistant|>\n']) {
      const p = `user text${h}`;
      expect(responseOf(`user <image><image> text${h}answer`, p).text).toBe('answer');
    }
  });
});

describe('unitScore', () => {
  const result = (total: number, refuseIoU = 0.5) => ({ total, format: 1, refuseIoU, explain: 0, correction: 0, explainAndCorrection: 0 });
  it('maps the total from the weights\' range onto [0, 1]', () => {
    expect(unitScore('normalized', undefined)(result(-1))).toBe(0);
    expect(unitScore('normalized', undefined)(result(4))).toBe(1);
    expect(unitScore('normalized', undefined)(result(1.5))).toBe(0.5);
    // weights { explain: 0 }: range [0, 3]; a negative weight flips its part's range.
    expect(unitScore('normalized', { explain: 0 })(result(1.5))).toBe(0.5);
    expect(unitScore('normalized', { format: -1, explain: 0 })(result(0.5))).toBe(0.5);
  });
  it('clamps a part, and rejects an unknown source', () => {
    expect(unitScore('refuseIoU', undefined)(result(0, -0.3))).toBe(0);
    expect(unitScore('refuseIoU', undefined)(result(0, 0.25))).toBe(0.25);
    expect(() => unitScore('bogus' as never, undefined)).toThrow("unitScore: source must be one of normalized, format");
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
