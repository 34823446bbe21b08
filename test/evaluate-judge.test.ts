// The judge-dependent metrics through a local OpenAI-compatible server (node:http on 127.0.0.1): replies are
// parsed, cached on disk (a second run sends nothing), concurrency is bounded, 500 and 429 are retried.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../src/cli/index.js';
import { type EvaluationItem, JudgeError, evaluatePredictions, openAIJudge } from '../src/evaluate/index.js';
import { captureIO } from './helpers/cli-io.js';

interface Seen {
  auth: string | undefined;
  model: string;
  system: string;
  user: string;
}

let server: Server;
let url: string;
const seen: Seen[] = [];
let inFlight = 0;
let maxInFlight = 0;
/** Statuses to answer before answering normally, one per request. */
let failures: number[] = [];

function reply(body: { messages: { role: string; content: string }[] }): string {
  const system = body.messages[0]?.content ?? '';
  const user = body.messages[1]?.content ?? '';
  if (system.includes('grade')) return user.includes('dog') ? 'Sure. {"score": 4.5}' : "{'score': 2}";
  if (user.includes('GIBBERISH')) return 'I cannot tell.';
  return user.includes('dog') ? '["Object/ObjectExistence", "Attribute/Counting"]' : '["Action/FineGrainedAction"]';
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  let text = '';
  for await (const chunk of request) text += chunk;
  inFlight++;
  maxInFlight = Math.max(maxInFlight, inFlight);
  await new Promise((resolve) => setTimeout(resolve, 5));
  inFlight--;
  const status = failures.shift();
  if (status !== undefined) {
    response.writeHead(status, status === 429 ? { 'retry-after': '0' } : {}).end(JSON.stringify({ error: { message: `status ${status}` } }));
    return;
  }
  if (request.url !== '/v1/chat/completions' || request.method !== 'POST') {
    response.writeHead(404).end();
    return;
  }
  const body = JSON.parse(text) as { model: string; messages: { role: string; content: string }[] };
  seen.push({ auth: request.headers.authorization, model: body.model, system: body.messages[0]?.content ?? '', user: body.messages[1]?.content ?? '' });
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: reply(body) } }] }));
}

beforeAll(async () => {
  server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen.length = 0;
  failures = [];
  maxInFlight = 0;
});

const think = '<think>checking</think>';
const refuse = (text: string) => `${think}<answer>${text}</answer><correction>a man walks.</correction>`;
const items: EvaluationItem[] = [
  { completion: refuse('There is no dog, and two cats not three.'), target: { relevant: false, answer: '<answer>No dog; the count is wrong.</answer>' }, categories: ['Object/ObjectExistence', 'Attribute/Counting'] },
  { completion: refuse('He closes the door instead.'), target: { relevant: false, answer: '<answer>He closes it, not opens it.</answer>' }, categories: ['Action/FineGrainedAction', 'Object/ObjectExistence'] },
  { completion: refuse('GIBBERISH'), target: { relevant: false, answer: '<answer>No such scene.</answer>' }, categories: ['Scene/SceneExistence'] },
  { completion: `${think}<answer>1 to 2</answer><correction>NIL</correction>`, target: { relevant: false, answer: '<answer>No dog.</answer>' }, categories: ['Object/ObjectExistence'] },
  { completion: `${think}<answer>1 to 2</answer><correction>NIL</correction>`, target: { relevant: true, span: [1, 2] } },
];

describe('openAIJudge with evaluatePredictions', () => {
  it('scores correct refusals, extracts categories, computes RT-IoU; a wrong decision counts 0 and predicts none', async () => {
    const judge = openAIJudge({ url, model: 'judge-1', apiKey: 'sk-test', backoffMs: 1, concurrency: 2 });
    const { metrics, items: results } = await evaluatePredictions(items, { judge });
    // 3 correct refusals × 2 questions; the false positive and the relevant item are not sent.
    expect(seen).toHaveLength(6);
    expect(seen.every((s) => s.auth === 'Bearer sk-test' && s.model === 'judge-1')).toBe(true);
    expect(seen.some((s) => s.user.includes('<answer>') || s.user.includes('<think>'))).toBe(false);
    expect(maxInFlight).toBeLessThanOrEqual(2);
    expect(results.map((r) => r.judged)).toEqual([
      { reasoningScore: 4.5, predictedCategories: ['Object/ObjectExistence', 'Attribute/Counting'], rtIoU: 1 },
      { reasoningScore: 2, predictedCategories: ['Action/FineGrainedAction'], rtIoU: 0.5 },
      { reasoningScore: 2, predictedCategories: [], rtIoU: 0 },
      { reasoningScore: null, predictedCategories: [], rtIoU: 0 },
      undefined,
    ]);
    expect(metrics.judged).toEqual({
      judge: `judge-1 via ${url} (prompts v1)`,
      reasoning: { count: 4, scored: 3, unparsed: 0, mean: 8.5 / 4, meanCorrectRefusals: 8.5 / 3 },
      rtIoU: { count: 4, mean: 1.5 / 4, unparsed: 1 },
    });
  });

  it('caches every answer on disk: a second run sends no request', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'ra-rft-judge-'));
    const first = openAIJudge({ url, model: 'judge-1', cacheDir, backoffMs: 1 });
    const a = await evaluatePredictions(items, { judge: first });
    expect(first.stats).toEqual({ cacheHits: 0, requests: 6, retries: 0 });
    expect(readdirSync(cacheDir)).toHaveLength(6);
    seen.length = 0;
    const second = openAIJudge({ url, model: 'judge-1', cacheDir, backoffMs: 1 });
    const b = await evaluatePredictions(items, { judge: second });
    expect(seen).toHaveLength(0);
    expect(second.stats).toEqual({ cacheHits: 6, requests: 0, retries: 0 });
    expect(b.metrics.judged).toEqual(a.metrics.judged);
    // Another judge model is another cache key.
    const other = openAIJudge({ url, model: 'judge-2', cacheDir, backoffMs: 1 });
    await evaluatePredictions(items.slice(0, 1), { judge: other });
    expect(other.stats.requests).toBe(2);
  });

  it('asks a question once when two items share it', async () => {
    const judge = openAIJudge({ url, model: 'judge-1', backoffMs: 1 });
    const first = items[0] as EvaluationItem;
    await evaluatePredictions([first, { ...first }], { judge });
    expect(seen).toHaveLength(2);
  });

  it('retries a 500 and a 429 with back-off, then succeeds', async () => {
    failures = [500, 429, 503];
    const judge = openAIJudge({ url, model: 'judge-1', backoffMs: 1, concurrency: 1 });
    const { metrics } = await evaluatePredictions(items.slice(0, 1), { judge });
    expect(judge.stats).toEqual({ cacheHits: 0, requests: 5, retries: 3 });
    expect(metrics.judged?.reasoning.mean).toBe(4.5);
  });

  it('gives up after its retries, and does not retry a 400', async () => {
    failures = [500, 500, 500];
    const tired = openAIJudge({ url, model: 'judge-1', backoffMs: 1, retries: 2, concurrency: 1 });
    await expect(evaluatePredictions(items.slice(0, 1), { judge: tired })).rejects.toThrow(/answered 500.*gave up after 3 attempts/);
    // The run's other request (categories) is still in flight: let it finish before queueing the 400.
    await new Promise((resolve) => setTimeout(resolve, 200));
    failures = [400];
    const bad = openAIJudge({ url, model: 'judge-1', backoffMs: 1, concurrency: 1 });
    const error = await evaluatePredictions(items.slice(0, 1), { judge: bad }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JudgeError);
    expect((error as JudgeError).status).toBe(400);
    expect(bad.stats.retries).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
  });

  it('rejects bad options by name', () => {
    expect(() => openAIJudge({ url: 'ftp://x', model: 'm' })).toThrow(/openAIJudge: options\.url/);
    expect(() => openAIJudge({ url, model: '' })).toThrow(/options\.model/);
    expect(() => openAIJudge({ url, model: 'm', concurrency: 0 })).toThrow(/options\.concurrency/);
  });
});

describe('ra-rft-rewards evaluate --judge-url', () => {
  it('writes the judged metrics, with the key from RA_RFT_JUDGE_KEY and the cache under DIR', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ra-rft-eval-judge-'));
    const input = join(dir, 'in.jsonl');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(input, `${items.map((item) => JSON.stringify(item)).join('\n')}\n`);
    const before = process.env.RA_RFT_JUDGE_KEY;
    process.env.RA_RFT_JUDGE_KEY = 'sk-env';
    try {
      const run = captureIO();
      const code = await main(['evaluate', input, '--out', join(dir, 'out'), '--embedder', 'trigram', '--judge-url', url, '--judge-model', 'judge-1', '--no-html', '--quiet'], run.io);
      expect(run.err()).toBe('');
      expect(code).toBe(0);
    } finally {
      if (before === undefined) delete process.env.RA_RFT_JUDGE_KEY;
      else process.env.RA_RFT_JUDGE_KEY = before;
    }
    expect(seen.every((s) => s.auth === 'Bearer sk-env')).toBe(true);
    const metrics = JSON.parse(readFileSync(join(dir, 'out', 'metrics.json'), 'utf8'));
    expect(metrics.judged.reasoning.mean).toBe(8.5 / 4);
    expect(readdirSync(join(dir, 'out', 'judge-cache'))).toHaveLength(6);
    expect(readFileSync(join(dir, 'out', 'summary.md'), 'utf8')).toMatch(/judge-1 via/);
  });
});
