import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import * as transformers from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOptionsError } from '../errors.js';
import { isEmbedderUnavailableError } from './errors.js';
import { type TransformersEmbedder, transformersEmbedder } from './transformers-embedder.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const fixtures = join(repoRoot, 'test/fixtures');
const fixture = join(fixtures, 'tiny-bert');
const SENTENCES = ['The man opens the door.', 'a dog runs in the kitchen', 'No such event happens in the video.', '', 'zebra quokka'];

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((sum, x) => sum + x * x, 0));
const bits = (v: ArrayLike<number>) => Array.from(Float32Array.from(v));

describe('transformersEmbedder on the tiny-bert fixture (offline, the users’ code path)', () => {
  let embedder: TransformersEmbedder;
  beforeAll(async () => {
    // Default dtype q8 (onnx/model_quantized.onnx), as for Xenova/all-MiniLM-L6-v2.
    embedder = await transformersEmbedder({ model: fixture, offline: true });
  });
  afterAll(async () => {
    await embedder.dispose();
  });

  it('loads the q8 model and reports it', () => {
    expect(embedder.dtype).toBe('q8');
    expect(embedder.device).toBe('cpu');
    expect(embedder.dimensions).toBe(32);
    expect(embedder.name).toBe(`${fixture} (q8)`);
    expect(embedder.libraryVersion).toBe(transformers.env.version);
  });

  it('gives unit vectors, different for different texts', async () => {
    const vectors = await embedder.embed(SENTENCES);
    expect(vectors).toHaveLength(SENTENCES.length);
    for (const vector of vectors) {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(vector.length).toBe(32);
      expect(norm(vector)).toBeCloseTo(1, 6);
    }
    expect(bits(vectors[0] as Float32Array)).not.toEqual(bits(vectors[1] as Float32Array));
  });

  it('is deterministic per text: a batch gives bit-identical vectors to one text at a time', async () => {
    const batch = await embedder.embed(SENTENCES);
    const reversed = await embedder.embed([...SENTENCES].reverse());
    for (const [i, text] of SENTENCES.entries()) {
      const [alone] = await embedder.embed([text]);
      expect(bits(batch[i] as Float32Array)).toEqual(bits(alone as Float32Array));
      expect(bits(reversed[SENTENCES.length - 1 - i] as Float32Array)).toEqual(bits(alone as Float32Array));
    }
  });

  it('equals the feature-extraction pipeline (mean pooling, normalize) for a single text, bit for bit', async () => {
    const pipe = await transformers.pipeline('feature-extraction', fixture, { local_files_only: true, dtype: 'q8' });
    const ours = await embedder.embed(SENTENCES);
    for (const [i, text] of SENTENCES.entries()) {
      const theirs = await pipe([text], { pooling: 'mean', normalize: true });
      expect(bits(ours[i] as Float32Array)).toEqual(bits(theirs.data as Float32Array));
    }
    // Why one pass per text: the pipeline's padded batch quantizes activations over the whole batch,
    // so a q8 model gives a text different numbers in a batch than alone.
    const batched = await pipe(SENTENCES.slice(0, 3), { pooling: 'mean', normalize: true });
    const firstInBatch = Array.from((batched.data as Float32Array).subarray(0, 32));
    expect(firstInBatch).not.toEqual(bits(ours[0] as Float32Array));
    await pipe.dispose();
  });

  it('truncates as sentence-transformers does: the first maxTokens − 1 tokens and [SEP]', async () => {
    const short = await transformersEmbedder({ model: fixture, offline: true, maxTokens: 5 });
    // [CLS] the man opens [SEP] for all three texts.
    const [cut, longer, longest] = await short.embed(['the man opens', 'the man opens the door', 'the man opens the door and walks in']);
    expect(bits(longer as Float32Array)).toEqual(bits(cut as Float32Array));
    expect(bits(longest as Float32Array)).toEqual(bits(cut as Float32Array));
    const [full] = await embedder.embed(['the man opens the door']);
    expect(bits(full as Float32Array)).not.toEqual(bits(cut as Float32Array));
    await short.dispose();
  });

  it('finds <localModelPath>/<model id>, loads fp32 weights, and accepts an injected module', async () => {
    const fp32 = await transformersEmbedder({ model: 'tiny-bert', localModelPath: fixtures, offline: true, dtype: 'fp32', module: transformers, threads: 1 });
    expect(fp32.name).toBe('tiny-bert (fp32)');
    const [a, b] = await fp32.embed(['The man opens the door.', 'The man opens the door.']);
    expect(norm(a as Float32Array)).toBeCloseTo(1, 6);
    expect(bits(a as Float32Array)).toEqual(bits(b as Float32Array));
    // The q8 weights approximate the fp32 ones.
    const [q8] = await embedder.embed(['The man opens the door.']);
    const cosine = Array.from(a as Float32Array).reduce((sum, x, k) => sum + x * (q8 as Float32Array)[k]!, 0);
    expect(cosine).toBeGreaterThan(0.95);
    expect(cosine).toBeLessThan(1);
    await fp32.dispose();
  });

  it('throws EmbedderUnavailableError naming the folder and the files when they are missing offline', async () => {
    const missing = join(tmpdir(), 'ra-rft-no-such-model');
    const error = await transformersEmbedder({ model: missing, offline: true }).catch((caught: unknown) => caught);
    expect(isEmbedderUnavailableError(error)).toBe(true);
    expect(String((error as Error).message)).toContain(missing);
    expect(String((error as Error).message)).toContain('onnx/model_quantized.onnx');
    const hubId = await transformersEmbedder({ offline: true, localModelPath: fixtures, cacheDir: join(tmpdir(), 'ra-rft-empty-cache') }).catch((caught: unknown) => caught);
    expect(isEmbedderUnavailableError(hubId)).toBe(true);
    expect(String((hubId as Error).message)).toContain(join(fixtures, 'Xenova/all-MiniLM-L6-v2'));
  });

  it('tells a device that cannot run here apart from missing files', async () => {
    // Without onnxruntime-node's CUDA files (the project skips their download) cuda cannot load.
    const result = await transformersEmbedder({ model: fixture, offline: true, device: 'cuda' }).catch((caught: unknown) => caught);
    if (isEmbedderUnavailableError(result)) {
      expect(result.message).toContain(`(the files are in ${fixture}; the cuda device is not usable here (see docs/embeddings.md))`);
    } else {
      const cuda = result as TransformersEmbedder;
      const [vector] = await cuda.embed(['The man opens the door.']);
      expect(norm(vector as Float32Array)).toBeCloseTo(1, 5);
      await cuda.dispose();
    }
  });

  it('says what to install when the transformers package is missing', async () => {
    const error = await transformersEmbedder({ module: '@xenova/transformers' }).catch((caught: unknown) => caught);
    expect(isEmbedderUnavailableError(error)).toBe(true);
    expect(String((error as Error).message)).toBe('transformersEmbedder: @xenova/transformers is not installed: npm install @xenova/transformers');
  });

  it('rejects bad options with OptionsError', async () => {
    const bad = [{ dtype: 'q7' }, { device: 'tpu' }, { threads: 0 }, { maxTokens: 1 }, { model: '' }, { offline: 'yes' }, { module: {} }];
    for (const options of bad) {
      const error = await transformersEmbedder(options as never).catch((caught: unknown) => caught);
      expect(isOptionsError(error), JSON.stringify(options)).toBe(true);
    }
    await expect(embedder.embed('text' as never)).rejects.toThrow('transformersEmbedder.embed: texts must be an array of strings');
  });
});

describe('scripts/make-fixture-model.mjs', () => {
  it('reproduces the committed fixture byte for byte, a few hundred KB at most', () => {
    const out = mkdtempSync(join(tmpdir(), 'tiny-bert-'));
    try {
      execFileSync(process.execPath, [join(repoRoot, 'scripts/make-fixture-model.mjs'), out], { stdio: 'pipe' });
      const files = (dir: string): string[] =>
        readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]));
      const committed = files(fixture).map((file) => relative(fixture, file)).sort();
      expect(files(out).map((file) => relative(out, file)).sort()).toEqual(committed);
      let total = 0;
      for (const file of committed) {
        const bytes = readFileSync(join(fixture, file));
        total += bytes.length;
        expect(readFileSync(join(out, file)).equals(bytes), file).toBe(true);
      }
      expect(total).toBeLessThan(300_000);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
