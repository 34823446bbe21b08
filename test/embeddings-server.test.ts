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

describe('--embedder openai:URL#MODEL in the CLI', () => {
  it('score and bench-variants give the numbers of the same embedder in-process', async () => {
    const { main } = await import('../src/cli/index.js');
    const { captureIO } = await import('./helpers/cli-io.js');
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { repoRoot } = await import('./helpers/shared.js');
    const dir = mkdtempSync(join(tmpdir(), 'rarft-openai-cli-'));
    const spec = `openai:${server.url}/v1#trigram-hash-256`;
    const input = join(repoRoot, 'examples/completions.jsonl');
    const runs: Record<string, string> = {};
    for (const [name, embedderArg] of [['remote', spec], ['local', 'trigram']] as const) {
      const captured = captureIO();
      expect(await main(['score', input, '--out', join(dir, `${name}.jsonl`), '--embedder', embedderArg, '--quiet'], captured.io)).toBe(0);
      runs[name] = readFileSync(join(dir, `${name}.jsonl`), 'utf8');
    }
    expect(runs.remote).toBe(runs.local);
    const bench: Record<string, { variants: { id: string; formula: string; kinds?: unknown; auc?: unknown }[] }> = {};
    for (const [name, args] of [['remote', ['--embedder', spec]], ['local', ['--embeddings']]] as const) {
      const captured = captureIO();
      expect(await main(['bench-variants', '--items', '3', '--variants', 'ra-rft+embed', '--no-html', '--quiet', '--out', join(dir, name), ...args], captured.io)).toBe(0);
      bench[name] = JSON.parse(readFileSync(join(dir, name, 'results.json'), 'utf8'));
    }
    const without = (result: { variants: Record<string, unknown>[] }) => result.variants.map(({ completionsPerSecond: _, formula: __, ...rest }) => rest);
    expect(without(bench.remote as never)).toEqual(without(bench.local as never));
    expect(bench.remote?.variants[0]?.formula).toContain(`openai:${server.url}/v1/embeddings#trigram-hash-256`);
  }, 120_000);
});

describe('the online audit on /metrics', () => {
  it('fires the detector of a hack the server keeps scoring, per the Python package steps', async () => {
    const irrelevant = (g: number) => ({ relevant: false, duration: 30, answer: 'No one sings.', contrast: '1 to 2', query: `a man sings ${g}.` });
    const completions = Array.from({ length: 32 }, (_, i) => `<think>t</think><answer>${i % 8} to ${(i % 8) + 2}</answer><correction>NIL</correction>`);
    const targets = Array.from({ length: 32 }, (_, i) => irrelevant(Math.floor(i / 8)));
    const before = await (await fetch(`${server.url}/metrics`)).text();
    expect(before).not.toMatch(/ra_rft_audit_detector_firing\{detector="never-refuse"\} 1/);
    for (let step = 1; step <= 12; step++) {
      const response = await fetch(`${server.url}/v1/rpc`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ op: 'score', completions, targets, parts: ['format', 'refuseIoU'], step }) });
      expect(response.status).toBe(200);
    }
    const after = await (await fetch(`${server.url}/metrics`)).text();
    expect(after).toMatch(/ra_rft_audit_detector_firing\{detector="never-refuse"\} 1/);
    expect(after).toMatch(/ra_rft_audit_detector_firing\{detector="whole-video-span"\} 0/);
  });
});
