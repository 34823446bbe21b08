// The engine over a pipe: one JSON object per line each way. The Python package starts `ra-rft-rewards engine`
// as its child and speaks this; nothing binds a port.
import { cachedEmbedder } from '../embeddings/cached-embedder.js';
import type { Embedder } from '../types.js';
import { type Engine, EngineRequestError, errorBody } from './engine.js';

/** The line that announces a blob: `\0blob N` (N bytes of raw UTF-8 follow it, then the request line). */
const BLOB_MARK = '\u0000blob ';
/** The separator of the completions in a blob (ASCII record separator; a batch holding it is sent as JSON). */
export const BLOB_SEPARATOR = '\u001e';

/** One request line, and the blob that came before it, if any. */
interface Frame {
  line: string;
  blob: Buffer | null;
}

/**
 * The frames of `input`: lines split on LF as bytes and decoded once each (a batch arrives in 64 KiB chunks, and
 * readline's per-chunk string work costs more than the scoring), each with the raw blob announced before it.
 * A blob carries a batch's completions without JSON escaping, which costs the Python side more than the scoring.
 */
async function* frames(input: NodeJS.ReadableStream): AsyncGenerator<Frame> {
  let pending: Buffer[] = [];
  let need = -1;
  let blob: Buffer | null = null;
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    let buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    while (buffer.length > 0) {
      if (need > 0) {
        const taken = buffer.subarray(0, need);
        pending.push(taken);
        need -= taken.length;
        buffer = buffer.subarray(taken.length);
        if (need === 0) {
          blob = Buffer.concat(pending);
          pending = [];
          need = -1;
        }
        continue;
      }
      const at = buffer.indexOf(10);
      if (at === -1) {
        pending.push(buffer);
        break;
      }
      const head = buffer.subarray(0, at);
      let line = pending.length === 0 ? head.toString('utf8') : Buffer.concat([...pending, head]).toString('utf8');
      pending = [];
      buffer = buffer.subarray(at + 1);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line.startsWith(BLOB_MARK)) {
        need = Number(line.slice(BLOB_MARK.length));
        if (!Number.isInteger(need) || need < 0) throw new Error(`bad blob length in ${JSON.stringify(line.slice(0, 40))}`);
        if (need === 0) {
          blob = Buffer.alloc(0);
          need = -1;
        }
        continue;
      }
      yield { line, blob };
      blob = null;
    }
  }
  if (pending.length > 0 && need < 0) yield { line: Buffer.concat(pending).toString('utf8'), blob };
}

/** Options of {@link serveStdio}. */
export interface ServeStdioOptions {
  /** Builds the engine; `remote(name)` is the embedder that asks the Python side for vectors over this pipe. */
  engine: (remote: (name: string) => Embedder) => Engine;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

/** The prefix of embedder names that live in the Python process (`score(…, embedder=callable)`). */
export const PYTHON_EMBEDDER_PREFIX = 'python:';

/**
 * Answers each request line `{"id": n, "op": …}` (optionally preceded by a blob: the line `\0blob N`, then N bytes of
 * UTF-8 holding the completions joined by U+001E, and `"completionsBlob": count` in the request) with one line
 * `{"id": n, "ok": true, "result": …}` or `{"id": n, "ok": false, "error": {type, message, fn?, field?, issues?}}`.
 * Requests may overlap; answers carry their id. A line that is not JSON is answered with `id: null` and a
 * `BadRequest` error; the engine keeps going. Resolves once the input ends and every answer is written.
 *
 * Python embedders: while scoring, the engine may write `{"id": k, "op": "embed", "embedder": name, "texts": […]}`;
 * the Python side answers `{"id": k, "op": "embedded", "vectors": [[…], …]}` (or `"error": message`). Each such
 * embedder is wrapped in a {@link cachedEmbedder}: every distinct text is asked for once per batch, and the
 * reference texts are kept across batches.
 */
export async function serveStdio({ engine: makeEngine, input, output }: ServeStdioOptions): Promise<void> {
  const write = (message: unknown) =>
    new Promise<void>((resolve, reject) => {
      // JSON.stringify writes NaN as null: a reward that is not a number never reaches Python as a number.
      output.write(`${JSON.stringify(message)}\n`, (error) => (error ? reject(error) : resolve()));
    });
  const waiting = new Map<number, { resolve: (vectors: unknown) => void; reject: (error: Error) => void }>();
  let nextEmbedId = 1;
  const remotes = new Map<string, Embedder>();
  const remote = (name: string): Embedder => {
    let found = remotes.get(name);
    if (found === undefined) {
      const asPython: Embedder = {
        name,
        embed: (texts) =>
          new Promise((resolve, reject) => {
            const id = nextEmbedId++;
            waiting.set(id, { resolve: resolve as (vectors: unknown) => void, reject });
            write({ id, op: 'embed', embedder: name, texts }).catch((error: Error) => {
              waiting.delete(id);
              reject(error);
            });
          }),
      };
      found = cachedEmbedder(asPython);
      remotes.set(name, found);
    }
    return found;
  };
  const engine = makeEngine(remote);
  const pending = new Set<Promise<void>>();
  for await (const { line, blob } of frames(input)) {
    if (line.trim() === '') continue;
    let message: { id?: unknown; op?: unknown; vectors?: unknown; error?: unknown; completionsBlob?: unknown } & Record<string, unknown>;
    try {
      message = JSON.parse(line) as typeof message;
    } catch (error) {
      await write({ id: null, ok: false, error: { type: 'BadRequest', message: `request is not JSON: ${(error as Error).message}` } });
      continue;
    }
    if (message?.op === 'embedded') {
      const call = waiting.get(Number(message.id));
      waiting.delete(Number(message.id));
      if (typeof message.error === 'string') call?.reject(new Error(`the Python embedder failed: ${message.error}`));
      else call?.resolve(message.vectors);
      continue;
    }
    const id = message?.id ?? null;
    const task = (async () => {
      try {
        const { id: _, completionsBlob, ...request } = message;
        if (completionsBlob !== undefined) {
          // The completions came as a blob before this line: `completionsBlob` says how many it holds.
          const completions = blob === null ? [] : blob.toString('utf8').split(BLOB_SEPARATOR);
          if (blob === null || completions.length !== completionsBlob) {
            throw new EngineRequestError({ type: 'BadRequest', message: `completionsBlob: ${String(completionsBlob)} completions announced, ${blob === null ? 'no blob' : `${completions.length} in the blob`}` });
          }
          request.completions = completions;
        }
        await write({ id, ok: true, result: await engine.handle(request) });
      } catch (error) {
        await write({ id, ok: false, error: errorBody(error) }).catch(() => undefined);
      }
    })();
    pending.add(task);
    void task.finally(() => pending.delete(task));
  }
  // The Python side is gone: nothing will answer an embedder call.
  for (const call of waiting.values()) call.reject(new Error('the Python process closed the pipe'));
  await Promise.all(pending);
}
