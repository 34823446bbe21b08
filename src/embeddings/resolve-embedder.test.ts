import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as transformers from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOptionsError } from '../errors.js';
import { type ResolvedEmbedder, findLocalTransformersModel, resolveEmbedder } from './resolve-embedder.js';

const fixture = resolve(import.meta.dirname, '../../test/fixtures/tiny-bert');
const MODEL = 'Xenova/all-MiniLM-L6-v2';
const scratch = mkdtempSync(join(tmpdir(), 'ra-rft-resolve-'));
const emptyCache = join(scratch, 'empty-cache');

/** A stand-in for the hub: serves the fixture as `<model>/resolve/main/<file>`, or answers `status`. */
function fakeHub(mode: 'fixture' | 404 | 'silent'): Promise<{ url: string; server: Server; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    if (mode === 'silent') return; // never answers
    const prefix = `/${MODEL}/resolve/main/`;
    const file = request.url?.startsWith(prefix) ? join(fixture, request.url.slice(prefix.length)) : null;
    if (mode === 404 || file === null || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    const body = readFileSync(file);
    response.writeHead(200, { 'content-length': body.length });
    response.end(request.method === 'HEAD' ? undefined : body);
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server, requests })));
}

async function withHub<T>(mode: 'fixture' | 404 | 'silent', run: (requests: string[]) => Promise<T>): Promise<T> {
  const hub = await fakeHub(mode);
  const remoteHost = transformers.env.remoteHost;
  transformers.env.remoteHost = hub.url;
  try {
    return await run(hub.requests);
  } finally {
    transformers.env.remoteHost = remoteHost;
    hub.server.closeAllConnections();
    hub.server.close();
  }
}

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('resolveEmbedder', () => {
  const disposables: ResolvedEmbedder[] = [];
  afterAll(async () => {
    for (const resolved of disposables) await resolved.embedder.dispose();
  });

  it('gives what is asked for and says so', async () => {
    const reports: string[] = [];
    const resolved = await resolveEmbedder('trigram', { onChoice: (choice) => reports.push(`${choice.kind}: ${choice.name} (${choice.reason})`) });
    expect(resolved.kind).toBe('trigram');
    expect(resolved.name).toBe('trigram-hash-256');
    expect(reports).toEqual(['trigram: trigram-hash-256 (requested)']);
    await resolved.embedder.embed(['a', 'a', 'b']);
    expect(resolved.embedder.stats.textsEmbedded).toBe(2);
  });

  it("auto: takes MiniLM from localModelPath when its files are there (here the fixture under MiniLM's name)", async () => {
    const models = join(scratch, 'models');
    cpSync(fixture, join(models, MODEL), { recursive: true });
    expect((await findLocalTransformersModel({ localModelPath: models })).folder).toBe(join(models, MODEL));
    const resolved = await resolveEmbedder('auto', { transformers: { localModelPath: models, cacheDir: emptyCache }, probeTimeoutMs: 0 });
    disposables.push(resolved);
    expect(resolved.kind).toBe('minilm');
    expect(resolved.name).toBe(`${MODEL} (q8)`);
    expect(resolved.reason).toBe(`${MODEL} files found in ${join(models, MODEL)}`);
    const [vector] = await resolved.embedder.embed(['a man opens the door']);
    expect(vector?.length).toBe(32);
  });

  it('auto, offline, no MiniLM files: USE-lite, with the reason', async () => {
    const resolved = await resolveEmbedder('auto', { transformers: { offline: true, localModelPath: join(scratch, 'nothing'), cacheDir: emptyCache } });
    disposables.push(resolved);
    expect(resolved.kind).toBe('use-lite');
    expect(resolved.name).toBe('universal-sentence-encoder-lite');
    expect(resolved.reason).toContain(`${MODEL} files not found (searched ${join(scratch, 'nothing', MODEL)}`);
    expect(resolved.reason).toContain("offline; using the offline USE-lite (scores are not comparable with MiniLM's)");
  });

  it('auto: a hub that answers 404 or not at all (timeout) means USE-lite, without hanging', async () => {
    const notFound = await withHub(404, () => resolveEmbedder('auto', { transformers: { cacheDir: emptyCache }, probeTimeoutMs: 1000 }));
    disposables.push(notFound);
    expect(notFound.kind).toBe('use-lite');
    expect(notFound.reason).toMatch(/config\.json answered 404/);
    const silent = await withHub('silent', () => resolveEmbedder('auto', { transformers: { cacheDir: emptyCache }, probeTimeoutMs: 300 }));
    disposables.push(silent);
    expect(silent.kind).toBe('use-lite');
    // The probe gave up on its own timeout (no wall-clock bound here: loading USE-lite is slow on a busy machine).
    expect(silent.reason).toMatch(/unreachable \(TimeoutError\)/);
  });

  it('auto: a hub that answers means MiniLM, downloaded into the cache; offline later finds it there', async () => {
    const cacheDir = join(scratch, 'download-cache');
    const downloaded = await withHub('fixture', async (requests) => {
      const resolved = await resolveEmbedder('auto', { transformers: { cacheDir }, probeTimeoutMs: 2000 });
      expect(requests[0]).toBe(`HEAD /${MODEL}/resolve/main/config.json`);
      expect(requests.some((line) => line === `GET /${MODEL}/resolve/main/onnx/model_quantized.onnx`)).toBe(true);
      return resolved;
    });
    disposables.push(downloaded);
    expect(downloaded.kind).toBe('minilm');
    expect(downloaded.reason).toMatch(/downloading from the hub \(http:\/\/127\.0\.0\.1:\d+\/Xenova\/all-MiniLM-L6-v2\/resolve\/main\/config\.json answered 200\)/);
    expect(existsSync(join(cacheDir, MODEL, 'onnx/model_quantized.onnx'))).toBe(true);

    const cached = await resolveEmbedder('auto', { transformers: { cacheDir, offline: true } });
    disposables.push(cached);
    expect(cached.kind).toBe('minilm');
    expect(cached.reason).toBe(`${MODEL} files found in ${join(cacheDir, MODEL)}`);
    const [a] = await downloaded.embedder.embed(['the man opens the door']);
    const [b] = await cached.embedder.embed(['the man opens the door']);
    expect(Array.from(a as Float32Array)).toEqual(Array.from(b as Float32Array));
  });

  it('a requested embedder that cannot load throws instead of switching', async () => {
    const error = await resolveEmbedder('minilm', { transformers: { offline: true, cacheDir: emptyCache, localModelPath: join(scratch, 'nothing') } }).catch(
      (caught: unknown) => caught,
    );
    expect(String((error as Error).message)).toMatch(/^transformersEmbedder: options\.model could not load Xenova\/all-MiniLM-L6-v2 \(q8, cpu\)/);
  });

  it('rejects bad arguments with OptionsError', async () => {
    for (const [choice, options] of [
      ['bert', undefined],
      ['auto', { probeTimeoutMs: -1 }],
      ['auto', { onChoice: 'log' }],
    ] as const) {
      const error = await resolveEmbedder(choice as never, options as never).catch((caught: unknown) => caught);
      expect(isOptionsError(error)).toBe(true);
    }
  });
});

describe('findLocalTransformersModel', () => {
  beforeAll(() => cpSync(fixture, join(scratch, 'partial', MODEL), { recursive: true, filter: (source) => !source.endsWith('model_quantized.onnx') }));

  it('needs every file of the dtype', async () => {
    const partial = join(scratch, 'partial');
    expect((await findLocalTransformersModel({ localModelPath: partial, cacheDir: emptyCache })).folder).toBeNull();
    expect((await findLocalTransformersModel({ localModelPath: partial, cacheDir: emptyCache, dtype: 'fp32' })).folder).toBe(join(partial, MODEL));
  });
});
