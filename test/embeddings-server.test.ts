// The server's own POST /v1/embeddings (OpenAI's wire format) and openAIEmbedder against it, on 127.0.0.1: the
// vectors and the rewards equal the same embedder in-process, and one server embeds for several clients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedEmbedder } from '../src/embeddings/cached-embedder.js';
import { openAIEmbedder, resolveEmbedder } from '../src/embeddings/index.js';
import { raRftRewardBatch, trigramHashEmbedder } from '../src/index.js';
import { type RewardServer, startRewardServer } from '../src/server/index.js';

const local = trigramHashEmbedder();
let server: RewardServer;
beforeAll(async () => {
  server = await startRewardServer({ embedder: local, embedderName: 'trigram-hash-256', port: 0 });
});
afterAll(async () => server.close());

const post = async (body: unknown) => {
  const response = await fetch(`${server.url}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('POST /v1/embeddings', () => {
  it("answers OpenAI's format with the server's embedder, floats and base64 alike", async () => {
    const texts = ['a person opens the door', 'No one sings.'];
    const want = (await local.embed(texts)).map((v) => Array.from(v));
    const floats = await post({ input: texts, model: 'trigram-hash-256' });
    expect(floats.status).toBe(200);
    expect(floats.body.object).toBe('list');
    expect(floats.body.model).toBe('trigram-hash-256');
    expect((floats.body.data as { index: number; embedding: number[] }[]).map((d) => [d.index, d.embedding])).toEqual(want.map((v, i) => [i, v]));
    const one = await post({ input: texts[0] });
    expect((one.body.data as { embedding: number[] }[])[0]?.embedding).toEqual(want[0]);
    const base64 = await post({ input: texts, encoding_format: 'base64' });
    const decoded = (base64.body.data as { embedding: string }[]).map((d) => {
      const bytes = Buffer.from(d.embedding, 'base64');
      return Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
    });
    expect(decoded).toEqual(want.map((v) => Array.from(Float32Array.from(v))));
  });

  it('refuses another model and malformed bodies with OpenAI-style errors', async () => {
    const other = await post({ input: ['x'], model: 'sentence-transformers/all-MiniLM-L6-v2' });
    expect(other.status).toBe(404);
    expect(other.body.error).toMatchObject({ code: 'model_not_found' });
    expect((other.body.error as { message: string }).message).toMatch(/this server embeds with trigram-hash-256/);
    const bad = await post({ input: [1, 2] });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ type: 'invalid_request_error' });
  });
});

describe('openAIEmbedder against the server', () => {
  it('gives the in-process vectors, and the same rewards, through --embedder openai:URL#MODEL', async () => {
    const texts = Array.from({ length: 150 }, (_, i) => `sentence ${i} about a person at the window`);
    const remote = openAIEmbedder({ url: `${server.url}/v1`, model: 'trigram-hash-256', batchSize: 64, concurrency: 2 });
    expect((await remote.embed(texts)).map((v) => Array.from(v))).toEqual((await local.embed(texts)).map((v) => Array.from(v)));
    const { embedder, kind, name } = await resolveEmbedder(`openai:${server.url}/v1#trigram-hash-256`);
    expect([kind, name]).toEqual(['openai', `openai:${server.url}/v1/embeddings#trigram-hash-256`]);
    const target = { relevant: false, duration: 30, answer: 'No one drops groceries.', contrast: '3.1 to 10.9', query: 'the person puts the groceries on the table.' };
    const group = ['<think>a</think><answer>No one drops groceries here.</answer><correction>the person puts groceries on a table</correction>', '<think>b</think><answer>1 to 4</answer><correction>NIL</correction>'];
    expect(await raRftRewardBatch(group, target, { embedder })).toEqual(await raRftRewardBatch(group, target, { embedder: cachedEmbedder(local) }));
  });
});
