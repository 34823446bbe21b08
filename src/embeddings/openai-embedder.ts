import { OptionsError, RaRftError } from '../errors.js';
import type { Embedder } from '../types.js';

const FN = 'openAIEmbedder';

/** Options of {@link openAIEmbedder}. */
export interface OpenAIEmbedderOptions {
  /**
   * The server: its OpenAI base URL (`http://127.0.0.1:8080/v1`; requests go to `{url}/embeddings`) or the full
   * embeddings URL (`…/v1/embeddings`). text-embeddings-inference, vLLM, Infinity, OpenAI and `ra-rft-rewards
   * serve` all answer there.
   */
  url: string;
  /** The model the server should use, e.g. `sentence-transformers/all-MiniLM-L6-v2`. */
  model: string;
  /** Sent as `Authorization: Bearer …` when given. */
  apiKey?: string | undefined;
  /** Asks the server for vectors of this size (models that support it); the answer must have it. */
  dimensions?: number | undefined;
  /** Texts per request (default 64). */
  batchSize?: number | undefined;
  /** Requests in flight at once (default 4). */
  concurrency?: number | undefined;
  /** Milliseconds one try may take before it is given up and tried again (default 30000). */
  timeoutMs?: number | undefined;
  /** Tries after the first for a 429, a 5xx, a timeout or a lost connection (default 3). */
  retries?: number | undefined;
  /** Longest wait between tries in milliseconds, `Retry-After` included (default 30000). */
  maxBackoffMs?: number | undefined;
  /** The fetch to use (default the global one). */
  fetch?: typeof fetch | undefined;
}

/** An embedding server failed: it answered an error, stalled past the timeout, closed the connection, or sent a wrong answer. */
export class EmbeddingServiceError extends RaRftError {
  override name = 'EmbeddingServiceError';
  /** The HTTP status of the last answer, or `null` when none came (timeout, lost connection). */
  readonly status: number | null;
  /** The URL that was called. */
  readonly url: string;
  constructor(url: string, status: number | null, problem: string) {
    super(FN, 'url', `${url} ${problem}`);
    this.url = url;
    this.status = status;
  }
}

/** Is `error` an {@link EmbeddingServiceError}? By name, so that it holds across the ESM and CJS copies. */
export function isEmbeddingServiceError(error: unknown): error is EmbeddingServiceError {
  return error instanceof Error && error.name === 'EmbeddingServiceError' && 'status' in error && 'url' in error;
}

/** The embeddings URL of a base URL or of the full one. */
export function embeddingsUrl(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.endsWith('/embeddings') ? trimmed : `${trimmed}/embeddings`;
}

/** Milliseconds a `Retry-After` value asks for (seconds or an HTTP date), or null. */
function retryAfterMs(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

const RETRYABLE = (status: number) => status === 408 || status === 429 || status >= 500;

function positiveInteger(field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new OptionsError(FN, `options.${field}`, `must be a positive integer, got ${String(value)}`);
  return value;
}

/**
 * An {@link Embedder} over any server that speaks OpenAI's `POST /v1/embeddings` (text-embeddings-inference, vLLM,
 * Infinity, OpenAI, `ra-rft-rewards serve`): the reference's all-MiniLM-L6-v2 on a GPU next to the trainer.
 *
 * Texts go in requests of `batchSize`, at most `concurrency` at once, in order. A 429, a 5xx, a timeout or a lost
 * connection is tried again up to `retries` times, after `Retry-After` when the server sends one, else after
 * 0.25 s · 2^try (capped by `maxBackoffMs`). Anything else, or a try too many, throws an
 * {@link EmbeddingServiceError} naming the URL and the status: a failed embedding fails the batch, it never
 * becomes a reward. An answer with the wrong number of vectors, or vectors of different sizes, throws too.
 *
 * @example
 * const embedder = openAIEmbedder({ url: 'http://127.0.0.1:8080/v1', model: 'sentence-transformers/all-MiniLM-L6-v2' });
 * embedder.name; // => 'openai:http://127.0.0.1:8080/v1/embeddings#sentence-transformers/all-MiniLM-L6-v2'
 */
export function openAIEmbedder(options: OpenAIEmbedderOptions): Embedder & { readonly url: string; readonly model: string } {
  if (options === null || typeof options !== 'object') throw new OptionsError(FN, 'options', 'must be an object');
  if (typeof options.url !== 'string' || !/^https?:\/\//.test(options.url)) throw new OptionsError(FN, 'options.url', `must be an http(s) URL, got ${JSON.stringify(options.url)}`);
  if (typeof options.model !== 'string' || options.model === '') throw new OptionsError(FN, 'options.model', 'must name the model');
  const url = embeddingsUrl(options.url);
  const batchSize = positiveInteger('batchSize', options.batchSize, 64);
  const concurrency = positiveInteger('concurrency', options.concurrency, 4);
  const timeoutMs = positiveInteger('timeoutMs', options.timeoutMs, 30_000);
  const maxBackoffMs = options.maxBackoffMs === undefined ? 30_000 : positiveInteger('maxBackoffMs', options.maxBackoffMs, 30_000);
  const retries = options.retries === undefined ? 3 : options.retries;
  if (!Number.isInteger(retries) || retries < 0) throw new OptionsError(FN, 'options.retries', `must be a non-negative integer, got ${String(retries)}`);
  if (options.dimensions !== undefined) positiveInteger('dimensions', options.dimensions, 1);
  const doFetch = options.fetch ?? globalThis.fetch;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;

  async function once(texts: readonly string[]): Promise<{ vectors?: number[][]; retryAfter?: number | null; status: number | null; problem: string; retry: boolean }> {
    const body = JSON.stringify({ input: texts, model: options.model, encoding_format: 'float', ...(options.dimensions === undefined ? {} : { dimensions: options.dimensions }) });
    let response: Response;
    let text: string;
    try {
      response = await doFetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
      text = await response.text();
    } catch (error) {
      const name = (error as { name?: string } | null)?.name;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
      return { status: null, retry: true, problem: timedOut ? `did not answer within ${timeoutMs} ms` : `could not be reached (${cause?.code ?? cause?.message ?? (error as Error).message})` };
    }
    if (!response.ok) {
      return { status: response.status, retry: RETRYABLE(response.status), retryAfter: retryAfterMs(response.headers.get('retry-after')), problem: `answered HTTP ${response.status}: ${text.slice(0, 300)}` };
    }
    let parsed: { data?: { embedding?: unknown; index?: unknown }[] };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      return { status: response.status, retry: false, problem: `answered HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 200)}` };
    }
    const data = Array.isArray(parsed?.data) ? parsed.data : null;
    if (data === null) return { status: response.status, retry: false, problem: 'answered without a "data" list of embeddings' };
    if (data.length !== texts.length) return { status: response.status, retry: false, problem: `returned ${data.length} vectors for ${texts.length} texts` };
    const vectors: number[][] = new Array(texts.length);
    for (let k = 0; k < data.length; k++) {
      const item = data[k];
      const index = typeof item?.index === 'number' ? item.index : k;
      const embedding = item?.embedding;
      if (!Number.isInteger(index) || index < 0 || index >= texts.length || vectors[index] !== undefined) return { status: response.status, retry: false, problem: `returned a bad or repeated index ${String(item?.index)}` };
      if (!Array.isArray(embedding) || embedding.length === 0 || !embedding.every((x) => typeof x === 'number' && Number.isFinite(x))) {
        return { status: response.status, retry: false, problem: `returned a vector that is not a list of finite numbers for text ${index}` };
      }
      vectors[index] = embedding as number[];
    }
    const size = (vectors[0] as number[]).length;
    if (options.dimensions !== undefined && size !== options.dimensions) return { status: response.status, retry: false, problem: `returned ${size}-d vectors, not the ${options.dimensions} asked for` };
    if (vectors.some((v) => v.length !== size)) return { status: response.status, retry: false, problem: 'returned vectors of different sizes' };
    return { vectors, status: response.status, retry: false, problem: '' };
  }

  async function request(texts: readonly string[]): Promise<number[][]> {
    for (let attempt = 0; ; attempt++) {
      const result = await once(texts);
      if (result.vectors !== undefined) return result.vectors;
      if (!result.retry || attempt >= retries) {
        throw new EmbeddingServiceError(url, result.status, `${result.problem}${result.retry ? ` (after ${attempt + 1} tries)` : ''}`);
      }
      const wait = Math.min(maxBackoffMs, result.retryAfter ?? 250 * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  return {
    name: `openai:${url}#${options.model}`,
    url,
    model: options.model,
    async embed(texts) {
      if (!Array.isArray(texts) || texts.some((text) => typeof text !== 'string')) throw new OptionsError(`${FN}.embed`, 'texts', 'must be an array of strings');
      const batches: string[][] = [];
      for (let start = 0; start < texts.length; start += batchSize) batches.push(texts.slice(start, start + batchSize));
      const out: number[][][] = new Array(batches.length);
      let next = 0;
      let failed: unknown = null;
      // `concurrency` runners take batches in order; the first failure stops them and fails the whole call.
      const runner = async () => {
        while (failed === null && next < batches.length) {
          const k = next++;
          try {
            out[k] = await request(batches[k] as string[]);
          } catch (error) {
            failed ??= error;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, runner));
      if (failed !== null) throw failed;
      return out.flat();
    },
  };
}

/** An embedder spelled as a string: `openai:URL#MODEL` (the CLI's, the server's and the Python package's `--embedder`). */
export type OpenAIEmbedderSpec = `openai:${string}`;

/** Is `choice` an `openai:URL#MODEL` spelling? */
export function isOpenAIEmbedderSpec(choice: unknown): choice is OpenAIEmbedderSpec {
  return typeof choice === 'string' && choice.startsWith('openai:');
}

/**
 * The URL and model of an `openai:URL#MODEL` spelling; the API key comes from `RA_RFT_EMBEDDINGS_API_KEY` (or
 * `OPENAI_API_KEY`) so that it never sits in a command line.
 *
 * @example
 * parseOpenAIEmbedderSpec('openai:http://127.0.0.1:8080/v1#all-MiniLM-L6-v2', {}); // => { url: 'http://127.0.0.1:8080/v1', model: 'all-MiniLM-L6-v2' }
 */
export function parseOpenAIEmbedderSpec(spec: string, env: Readonly<Record<string, string | undefined>> = process.env): { url: string; model: string; apiKey?: string } {
  const body = spec.slice('openai:'.length);
  const hash = body.lastIndexOf('#');
  const url = hash === -1 ? body : body.slice(0, hash);
  const model = hash === -1 ? '' : body.slice(hash + 1);
  if (!isOpenAIEmbedderSpec(spec) || !/^https?:\/\//.test(url) || model === '') {
    throw new OptionsError(FN, 'spec', `must be openai:URL#MODEL, e.g. openai:http://127.0.0.1:8080/v1#sentence-transformers/all-MiniLM-L6-v2, got ${JSON.stringify(spec)}`);
  }
  const apiKey = env.RA_RFT_EMBEDDINGS_API_KEY ?? env.OPENAI_API_KEY;
  return apiKey ? { url, model, apiKey } : { url, model };
}
