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

  // One text per forward pass: the model's sparse batch gives slightly different numbers (about 1e-7)
  // for the same text in different batches, and vectors must not depend on their batch.
  const embedOne = async (text) => {
    if (model.tokenizer.encode(text).length === 0) return new Float32Array(dimensions); // '' has no tokens
    const [vector] = await model.embed([text]);
    return Float32Array.from(vector);
  };

  let queue = Promise.resolve();
  parentPort.on('message', (request) => {
    queue = queue.then(async () => {
      try {
        const vectors = [];
        for (const text of request.texts) vectors.push(await embedOne(text));
        parentPort.postMessage({ type: 'vectors', id: request.id, vectors }, vectors.map((v) => v.buffer));
      } catch (error) {
        parentPort.postMessage({ type: 'error', id: request.id, message: String((error && error.stack) || error) });
      }
    });
  });
}

main().catch((error) => parentPort.postMessage({ type: 'fatal', message: String((error && error.stack) || error) }));
`;
