// openAIEmbedder against real HTTP servers on 127.0.0.1: a good one, and ones that fail in each documented way.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { raRftRewardBatch } from '../profiles/ra-rft-reward.js';
import { trigramHashVector } from './trigram-hash-embedder.js';
import { EmbeddingServiceError, isEmbeddingServiceError, openAIEmbedder } from './openai-embedder.js';

type Handler = (body: { input: string[]; model: string; encoding_format?: string }, req: IncomingMessage, res: ServerResponse, call: number) => void;
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); })));
});

async function serve(handler: Handler): Promise<{ url: string; calls: () => number; bodies: { input: string[]; model: string }[] }> {
  let calls = 0;
  const bodies: { input: string[]; model: string }[] = [];
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => {
      const body = JSON.parse(data) as { input: string[]; model: string };
      bodies.push(body);
      handler(body, req, res, ++calls);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, calls: () => calls, bodies };
}

const answer = (res: ServerResponse, texts: string[], status = 200) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ object: 'list', data: texts.map((text, index) => ({ object: 'embedding', index, embedding: Array.from(trigramHashVector(text)) })), model: 'm' }));
};

describe('openAIEmbedder', () => {
  it('sends batches in order with bounded concurrency and returns the server vectors unchanged', async () => {
    let inFlight = 0;
    let most = 0;
    const server = await serve((body, _req, res) => {
      inFlight++;
      most = Math.max(most, inFlight);
      setTimeout(() => {
        inFlight--;
        // Out of order on purpose: the client sorts by index.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: body.input.map((text, index) => ({ index, embedding: Array.from(trigramHashVector(text)) })).reverse() }));
      }, 20);
    });
    const texts = Array.from({ length: 11 }, (_, i) => `text number ${i}`);
    const embedder = openAIEmbedder({ url: server.url, model: 'sentence-transformers/all-MiniLM-L6-v2', batchSize: 2, concurrency: 3 });
    const vectors = await embedder.embed(texts);
    expect(vectors).toEqual(texts.map((text) => Array.from(trigramHashVector(text))));
    expect(server.calls()).toBe(6);
    expect(most).toBeLessThanOrEqual(3);
    expect(server.bodies.map((b) => b.model)).toEqual(new Array(6).fill('sentence-transformers/all-MiniLM-L6-v2'));
    expect(server.bodies.flatMap((b) => b.input).sort()).toEqual([...texts].sort());
    expect(embedder.name).toBe(`openai:${server.url}/embeddings#sentence-transformers/all-MiniLM-L6-v2`);
  });

  it('retries a 429 after its Retry-After, then succeeds', async () => {
    const server = await serve((body, _req, res, call) => {
      if (call === 1) {
        res.writeHead(429, { 'retry-after': '0' });
        res.end('slow down');
      } else answer(res, body.input);
    });
    const vectors = await openAIEmbedder({ url: server.url, model: 'm' }).embed(['a', 'b']);
    expect(vectors).toHaveLength(2);
    expect(server.calls()).toBe(2);
  });

  it('gives up after its retries on 5xx with an error naming the URL and the status', async () => {
    const server = await serve((_body, _req, res) => {
      res.writeHead(503);
      res.end('overloaded');
    });
    const error = await openAIEmbedder({ url: server.url, model: 'm', retries: 2, maxBackoffMs: 5 }).embed(['a']).catch((e: unknown) => e);
    expect(isEmbeddingServiceError(error)).toBe(true);
    expect((error as EmbeddingServiceError).status).toBe(503);
    expect((error as Error).message).toBe(`openAIEmbedder: url ${server.url}/embeddings answered HTTP 503: overloaded (after 3 tries)`);
    expect(server.calls()).toBe(3);
  });

  it('does not retry a 400', async () => {
    const server = await serve((_body, _req, res) => {
      res.writeHead(400);
      res.end('{"error":"bad model"}');
    });
    await expect(openAIEmbedder({ url: server.url, model: 'm' }).embed(['a'])).rejects.toThrow(/answered HTTP 400: \{"error":"bad model"\}$/);
    expect(server.calls()).toBe(1);
  });

  it('gives up on a server that stalls past the timeout', async () => {
    const server = await serve(() => undefined); // never answers
    const error = await openAIEmbedder({ url: server.url, model: 'm', timeoutMs: 100, retries: 1, maxBackoffMs: 5 }).embed(['a']).catch((e: unknown) => e);
    expect((error as EmbeddingServiceError).status).toBeNull();
    expect((error as Error).message).toMatch(/did not answer within 100 ms \(after 2 tries\)$/);
    expect(server.calls()).toBe(2);
  });

  it('refuses an answer with the wrong number of vectors', async () => {
    const server = await serve((body, _req, res) => answer(res, body.input.slice(1)));
    await expect(openAIEmbedder({ url: server.url, model: 'm' }).embed(['a', 'b'])).rejects.toThrow(/returned 1 vectors for 2 texts$/);
    expect(server.calls()).toBe(1);
  });

  it('retries a closed connection, then says it could not be reached', async () => {
    const server = await serve((_body, req) => req.socket.destroy());
    const error = await openAIEmbedder({ url: server.url, model: 'm', retries: 1, maxBackoffMs: 5 }).embed(['a']).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/could not be reached .*\(after 2 tries\)$/);
    expect(server.calls()).toBe(2);
  });

  it('fails the reward batch: a failed embedding never becomes a reward', async () => {
    const server = await serve((_body, _req, res) => {
      res.writeHead(500);
      res.end('boom');
    });
    const embedder = openAIEmbedder({ url: server.url, model: 'm', retries: 0 });
    const target = { relevant: false, answer: 'No one sings.', contrast: '1 to 2', query: 'a man dances.' };
    await expect(raRftRewardBatch(['<answer>No one sings.</answer>'], [target], { embedder })).rejects.toThrow(EmbeddingServiceError);
  });

  it('checks its options', () => {
    expect(() => openAIEmbedder({ url: 'localhost:8080', model: 'm' })).toThrow('openAIEmbedder: options.url must be an http(s) URL, got "localhost:8080"');
    expect(() => openAIEmbedder({ url: 'http://x', model: '' })).toThrow('openAIEmbedder: options.model must name the model');
    expect(() => openAIEmbedder({ url: 'http://x', model: 'm', batchSize: 0 })).toThrow('openAIEmbedder: options.batchSize must be a positive integer, got 0');
  });
});
