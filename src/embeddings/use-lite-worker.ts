// The worker thread that runs the Universal Sentence Encoder lite. It is plain CommonJS source, started
// with `new Worker(source, { eval: true })`, so it needs no separate build output; package entry files
// come resolved from the main thread.
//
// Why a worker: @energetic-ai/core bundles its own TensorFlow.js (tfjs-core 4.5) and, on import, sets the
// backend of the process-wide tfjs engine (globalThis._tfengine) to 'wasm' and registers ~150 wasm
// kernels in the global kernel registry. In a process that also uses @tensorflow/tfjs 4.22 (the trainer)
// that switches the trainer's backend behind its back, and, loaded in the other order, 4.22's wasm ops
// fail ("wasmBatchMatMul is not a function"). A worker has its own globals, so the two never meet.

/** Messages the worker sends. */
export type UseLiteWorkerMessage =
  | { type: 'ready'; dimensions: number; versions: Record<string, string> }
  | { type: 'fatal'; message: string }
  | { type: 'vectors'; id: number; vectors: Float32Array[] }
  | { type: 'error'; id: number; message: string };

/** Messages the worker accepts. */
export interface UseLiteWorkerRequest {
  id: number;
  texts: string[];
}

/** Entry files the worker requires (resolved in the main thread, where ra-rft-rewards is installed). */
export interface UseLiteWorkerData {
  core: string;
  embeddings: string;
  weights: string;
  /** Tokens kept of each text (the rest is cut, as sentence-transformers cuts at max_seq_length). */
  maxTokens: number;
  /** `exact`: texts of the same token count share a pass (same bits); `none`: one text per pass. */
  batching: 'exact' | 'none';
}

export const USE_LITE_WORKER_SOURCE = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');

async function main() {
  const core = require(workerData.core);
  const { initModel } = require(workerData.embeddings);
  // The model package's own files (model.json, shards, vocab.json); never the hub default.
  const { modelSource } = require(workerData.weights);
  const model = await initModel(modelSource);
  const [probe] = await model.embed(['dimensions']);
  const dimensions = probe.length;
  parentPort.postMessage({ type: 'ready', dimensions, versions: core.version || {} });

  // The first maxTokens tokens of a text. The tokenizer's time grows with the square of its input's length in code
  // points, whatever the script or spacing (a 32 KB word took a minute), so it never sees more than maxTokens * 16
  // UTF-16 units: first a cut of maxTokens * 8, at the last space-like character (a piece boundary: NBSP, U+3000
  // and the other Unicode spaces become spaces under NFKC) in the cut's second half, else at a code point; only
  // when that holds fewer than maxTokens tokens (runs of unknown characters merge into one token) one twice as
  // long. Text past that is not embedded, as text past max_seq_length is not in sentence-transformers.
  const maxTokens = workerData.maxTokens;
  const SPACE = /\s/u;
  const cut = (text, limit) => {
    for (let k = limit; k > limit / 2; k--) if (SPACE.test(text[k])) return text.slice(0, k);
    const code = text.charCodeAt(limit - 1);
    return text.slice(0, code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit);
  };
  const tokensOf = (text) => {
    let ids = [];
    for (const limit of [maxTokens * 8, maxTokens * 16]) {
      const piece = text.length > limit ? cut(text, limit) : text;
      ids = model.tokenizer.encode(piece);
      if (ids.length >= maxTokens || piece === text) break;
    }
    return ids.length > maxTokens ? ids.slice(0, maxTokens) : ids;
  };
  // A forward pass over texts given as token ids, built as the package's own embed() builds it: a sparse
  // [texts, tokens] batch of ids. Texts of different token counts in one pass come out slightly different (about
  // 3e-7) from the same texts alone; texts of the same token count come out bit for bit equal (tested), so exact
  // batching groups a request's texts by token count and passes each group at once (up to maxBatch texts).
  const embedIds = async (list) => {
    const pairs = [];
    const ids = [];
    list.forEach((tokens, row) => tokens.forEach((id, k) => (pairs.push([row, k]), ids.push(id))));
    const indices = core.tensor2d(pairs, [pairs.length, 2], 'int32');
    const values = core.tensor1d(ids, 'int32');
    const output = await model.model.executeAsync({ indices, values });
    indices.dispose();
    values.dispose();
    const flat = await output.data();
    output.dispose();
    return list.map((_, row) => Float32Array.from(flat.subarray(row * dimensions, (row + 1) * dimensions)));
  };
  const maxBatch = workerData.batching === 'exact' ? 64 : 1;
  const embedAll = async (texts) => {
    const vectors = new Array(texts.length);
    const byLength = new Map();
    texts.forEach((text, i) => {
      const tokens = tokensOf(text);
      if (tokens.length === 0) vectors[i] = new Float32Array(dimensions); // '' has no tokens
      else {
        const group = byLength.get(tokens.length) ?? [];
        group.push([i, tokens]);
        byLength.set(tokens.length, group);
      }
    });
    for (const group of byLength.values()) {
      for (let start = 0; start < group.length; start += maxBatch) {
        const part = group.slice(start, start + maxBatch);
        const out = await embedIds(part.map(([, tokens]) => tokens));
        part.forEach(([i], k) => (vectors[i] = out[k]));
      }
    }
    return vectors;
  };

  let queue = Promise.resolve();
  parentPort.on('message', (request) => {
    queue = queue.then(async () => {
      try {
        const vectors = await embedAll(request.texts);
        parentPort.postMessage({ type: 'vectors', id: request.id, vectors }, vectors.map((v) => v.buffer));
      } catch (error) {
        parentPort.postMessage({ type: 'error', id: request.id, message: String((error && error.stack) || error) });
      }
    });
  });
}

main().catch((error) => parentPort.postMessage({ type: 'fatal', message: String((error && error.stack) || error) }));
`;
