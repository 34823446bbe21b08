/// <reference lib="dom" />
// A transformers.js sentence embedder in the browser: a `feature-extraction` pipeline with mean pooling and
// L2 normalization (as `transformersEmbedder` in Node), on WebGPU when the browser has it, else wasm. The
// model comes from a URL (a folder in the Hugging Face layout: config.json, tokenizer files, onnx/) or from
// local files picked in the page; the onnxruntime wasm files from `wasmBase` (the playground command serves
// the installed onnxruntime-web at ./vendor/ort/). Nothing is fetched from a hub or a CDN.
import { env, pipeline } from '@huggingface/transformers';
import type { Embedder } from '../../types.js';

/** Where the model comes from. */
export interface LoadTransformersOptions {
  /** URL of the model folder, e.g. `./models/all-MiniLM-L6-v2/`. */
  url?: string | undefined;
  /** Local files of the model folder (an `<input type=file webkitdirectory>` selection). */
  files?: readonly File[] | undefined;
  /** Base URL of onnxruntime-web's wasm files. */
  wasmBase: string;
  /** `fp32` (default), `fp16`, `q8`… as the model folder has them. */
  dtype?: string | undefined;
  /** Force a device; default webgpu when `navigator.gpu` exists, else wasm. */
  device?: 'webgpu' | 'wasm' | undefined;
}

/** `navigator.gpu` exists in many browsers without a usable adapter (headless, GPU disabled): ask for one. */
async function hasWebGpu(): Promise<boolean> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (gpu === undefined) return false;
  try {
    return (await gpu.requestAdapter()) !== null;
  } catch {
    return false;
  }
}

function relative(file: File): string {
  const path = (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name;
  // Drop the picked folder's own name.
  return path.includes('/') ? path.slice(path.indexOf('/') + 1) : path;
}

/**
 * Loads a transformers.js feature-extraction model for the explain and correction rewards.
 *
 * @example
 * const embedder = await loadTransformers({ url: './fixtures/tiny-bert/', wasmBase: './vendor/ort/' });
 * embedder.name; // 'tiny-bert (fp32, wasm)' in a browser without WebGPU
 */
export async function loadTransformers(options: LoadTransformersOptions): Promise<Embedder & { name: string }> {
  const onnx = env.backends.onnx as { wasm?: { wasmPaths?: unknown; numThreads?: number } };
  if (onnx.wasm !== undefined) {
    onnx.wasm.wasmPaths = new URL(options.wasmBase, location.href).href;
    onnx.wasm.numThreads = 1;
  }
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.useBrowserCache = false;
  let model: string;
  if (options.files !== undefined && options.files.length > 0) {
    const byPath = new Map(options.files.map((file) => [relative(file), file]));
    const first = options.files[0] as File & { webkitRelativePath?: string };
    model = (first.webkitRelativePath || 'local-model').split('/')[0] ?? 'local-model';
    env.localModelPath = '/__local-model__/';
    // Files are answered from the selection: the pipeline's fetches never reach the network.
    env.useCustomCache = true;
    env.customCache = {
      async match(request: string | Request) {
        const url = typeof request === 'string' ? request : request.url;
        const path = decodeURIComponent(url.replace(/^.*\/__local-model__\/[^/]+\//, ''));
        const file = byPath.get(path);
        return file === undefined ? undefined : new Response(file);
      },
      async put() {},
    } as never;
  } else {
    const url = new URL(options.url ?? '', location.href);
    const parts = url.pathname.replace(/\/+$/, '').split('/');
    model = parts.pop() ?? '';
    env.useCustomCache = false;
    if (url.origin === location.origin) {
      // A path on this server: transformers.js fetches "local" paths in the browser.
      env.localModelPath = `${parts.join('/')}/`;
    } else {
      // Another host the user named: its folder layout, as a "remote" repository.
      env.allowRemoteModels = true;
      env.allowLocalModels = false;
      env.remoteHost = `${url.origin}${parts.join('/')}/`;
      env.remotePathTemplate = '{model}/';
    }
  }
  const device = options.device ?? ((await hasWebGpu()) ? 'webgpu' : 'wasm');
  const dtype = options.dtype ?? 'fp32';
  const extractor = await pipeline('feature-extraction', model, { device, dtype } as never);
  return {
    name: `${model} (${dtype}, ${device})`,
    async embed(texts) {
      const vectors: Float32Array[] = [];
      for (const text of texts) {
        const output = (await extractor(text, { pooling: 'mean', normalize: true })) as unknown as { data: ArrayLike<number> };
        vectors.push(Float32Array.from(output.data));
      }
      return vectors;
    },
  };
}
