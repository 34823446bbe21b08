import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { OptionsError } from '../errors.js';
import type { Embedder } from '../types.js';
import { EmbedderUnavailableError } from './errors.js';
import { importOptionalPackage } from './optional-package.js';

/** The reference's sentence encoder (sentence-transformers all-MiniLM-L6-v2) as transformers.js ONNX files. */
export const DEFAULT_TRANSFORMERS_MODEL = 'Xenova/all-MiniLM-L6-v2';

/** sentence-transformers' `max_seq_length` of all-MiniLM-L6-v2: word pieces beyond it are cut, [CLS]/[SEP] kept. */
export const MINILM_MAX_TOKENS = 256;

/** Where the ONNX model runs: onnxruntime-node on the CPU, WebGPU, or CUDA (needs onnxruntime-node's CUDA files). */
export type TransformersDevice = 'cpu' | 'webgpu' | 'cuda';

/** ONNX weight variants of transformers.js v3+ (`q8` = `onnx/model_quantized.onnx`, `fp32` = `onnx/model.onnx`). */
export type TransformersDtype = 'q8' | 'fp32' | 'fp16' | 'int8' | 'uint8' | 'q4' | 'q4f16' | 'bnb4';

const DEVICES: readonly TransformersDevice[] = ['cpu', 'webgpu', 'cuda'];

/** The ONNX file name suffix of each dtype in a transformers.js model folder (`onnx/model<suffix>.onnx`). */
export const DTYPE_FILE_SUFFIX: Readonly<Record<TransformersDtype, string>> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
};

/**
 * The transformers.js module: `@huggingface/transformers` (v3, v4) or `@xenova/transformers` (v2), as
 * `await import(...)` returns it. Typed loosely so that every version fits.
 */
export interface TransformersModule {
  pipeline: (...args: never[]) => Promise<unknown>;
  Tensor: new (...args: never[]) => unknown;
  mean_pooling?: ((...args: never[]) => unknown) | undefined;
  env?: unknown;
}

/** A download or load progress event of transformers.js (`progress_callback`). */
export interface TransformersProgress {
  status: string;
  file?: string;
  progress?: number;
  name?: string;
}

/** Options of {@link transformersEmbedder}. */
export interface TransformersEmbedderOptions {
  /**
   * A Hugging Face model id (default `Xenova/all-MiniLM-L6-v2`), or a model folder: a path that is absolute
   * or starts with `.`. A folder holds `config.json`, `tokenizer.json`, `tokenizer_config.json` and
   * `onnx/model_quantized.onnx` (q8) or `onnx/model.onnx` (fp32).
   */
  model?: string | undefined;
  /** A folder of model folders: `<localModelPath>/<model id>/…` is used when it has a `config.json`. */
  localModelPath?: string | undefined;
  /** Where downloads are cached (transformers.js `cache_dir`; default its `env.cacheDir`). */
  cacheDir?: string | undefined;
  /**
   * Never contact the hub: load from `localModelPath`, the cache or the folder only (`local_files_only`).
   * Default: true when the environment sets `HF_HUB_OFFLINE=1` or `TRANSFORMERS_OFFLINE=1`, else false.
   */
  offline?: boolean | undefined;
  /** Weights; default `q8` (the 8-bit files the Xenova models ship as `model_quantized.onnx`). */
  dtype?: TransformersDtype | undefined;
  /** `cpu` (default), `webgpu` or `cuda`; transformers.js v3+ only. */
  device?: TransformersDevice | undefined;
  /** onnxruntime intra-op threads (default: onnxruntime's own, one per core). */
  threads?: number | undefined;
  /**
   * Longest token sequence, [CLS] and [SEP] included; longer texts keep their first `maxTokens − 1`
   * tokens and the closing [SEP], as sentence-transformers truncates. Default 256
   * ({@link MINILM_MAX_TOKENS}); the tokenizer's `model_max_length` caps it.
   */
  maxTokens?: number | undefined;
  /** Model revision (branch, tag or commit) on the hub; default `main`. */
  revision?: string | undefined;
  /**
   * The transformers.js module, already imported (e.g. `await import('@xenova/transformers')` for users
   * pinned to v2), or the package name to import. Default: `@huggingface/transformers`, imported on first use.
   */
  module?: TransformersModule | '@huggingface/transformers' | '@xenova/transformers' | undefined;
  /** Download and load progress (transformers.js `progress_callback`). */
  onProgress?: ((event: TransformersProgress) => void) | undefined;
}

/** A sentence embedder running a transformers.js model; see {@link transformersEmbedder}. */
export interface TransformersEmbedder extends Embedder {
  /** `<model> (<dtype>)`, e.g. `Xenova/all-MiniLM-L6-v2 (q8)`. */
  readonly name: string;
  /** The model id, or the absolute folder it was loaded from. */
  readonly model: string;
  readonly dtype: TransformersDtype;
  readonly device: TransformersDevice;
  /** Vector size (the model's `hidden_size`; 384 for all-MiniLM-L6-v2). */
  readonly dimensions: number;
  /** The transformers.js version that runs it. */
  readonly libraryVersion: string;
  /** Frees the ONNX session; later `embed` calls throw. */
  dispose(): Promise<void>;
}

interface TensorLike {
  data: ArrayLike<number>;
  dims: number[];
}
interface Tokenizer {
  (text: string, options: { return_tensor: false }): { input_ids: ArrayLike<number | bigint>; attention_mask: ArrayLike<number | bigint>; token_type_ids?: ArrayLike<number | bigint> };
  model_max_length?: number;
  all_special_ids?: number[];
}
interface FeatureExtractionPipeline {
  tokenizer: Tokenizer;
  model: ((inputs: Record<string, unknown>) => Promise<Record<string, TensorLike | undefined>>) & { config?: { hidden_size?: unknown } };
  dispose?: () => Promise<void>;
}
interface LoadedModule {
  pipeline: (task: 'feature-extraction', model: string, options: Record<string, unknown>) => Promise<FeatureExtractionPipeline>;
  Tensor: new (type: 'int64', data: BigInt64Array, dims: number[]) => TensorLike;
  mean_pooling?: (hidden: TensorLike, mask: TensorLike) => TensorLike & { normalize(p: number, dim: number): TensorLike };
  env?: { version?: string; cacheDir?: string | null; localModelPath?: string };
}

const FN = 'transformersEmbedder';
const INSTALL = "npm install @huggingface/transformers (or pass options.module: await import('@xenova/transformers'))";

/** Is the offline switch of the Hugging Face libraries set in the environment? */
export function hubOfflineByEnvironment(): boolean {
  return process.env.HF_HUB_OFFLINE === '1' || process.env.TRANSFORMERS_OFFLINE === '1';
}

/** Is `model` a folder path rather than a hub id? Absolute paths and paths starting with `.` are folders. */
export function isModelFolder(model: string): boolean {
  return isAbsolute(model) || model.startsWith('.');
}

/** Loads the transformers.js module named or given in `options.module`; throws a clear error when missing. */
export async function loadTransformersModule(fn: string, module: TransformersEmbedderOptions['module']): Promise<LoadedModule> {
  const loaded =
    module === undefined || typeof module === 'string'
      ? await importOptionalPackage<unknown>(fn, module ?? '@huggingface/transformers', module === '@xenova/transformers' ? 'npm install @xenova/transformers' : INSTALL)
      : module;
  const candidate = loaded as Partial<LoadedModule> & { default?: Partial<LoadedModule> };
  // A CommonJS build imported from ESM may put the exports under `default`.
  const exports = typeof candidate?.pipeline === 'function' ? candidate : candidate?.default;
  if (typeof exports?.pipeline !== 'function' || typeof exports.Tensor !== 'function') {
    throw new OptionsError(fn, 'options.module', 'must be the @huggingface/transformers or @xenova/transformers module (with pipeline and Tensor)');
  }
  return exports as LoadedModule;
}

function majorVersion(module: LoadedModule): number {
  const major = Number.parseInt(module.env?.version ?? '', 10);
  return Number.isFinite(major) ? major : 3;
}

function checkOptions(options: TransformersEmbedderOptions | undefined) {
  if (options !== undefined && (options === null || typeof options !== 'object')) throw new OptionsError(FN, 'options', 'must be an object');
  const model = options?.model ?? DEFAULT_TRANSFORMERS_MODEL;
  if (typeof model !== 'string' || model.trim() === '') throw new OptionsError(FN, 'options.model', 'must be a model id or a folder path');
  const dtype = options?.dtype ?? 'q8';
  if (!Object.hasOwn(DTYPE_FILE_SUFFIX, dtype)) {
    throw new OptionsError(FN, 'options.dtype', `must be one of ${Object.keys(DTYPE_FILE_SUFFIX).join(', ')}, got ${String(dtype)}`);
  }
  const device = options?.device ?? 'cpu';
  if (!DEVICES.includes(device)) throw new OptionsError(FN, 'options.device', `must be one of ${DEVICES.join(', ')}, got ${String(device)}`);
  const threads = options?.threads;
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) {
    throw new OptionsError(FN, 'options.threads', `must be a positive integer, got ${String(threads)}`);
  }
  const maxTokens = options?.maxTokens ?? MINILM_MAX_TOKENS;
  if (!Number.isInteger(maxTokens) || maxTokens < 2) throw new OptionsError(FN, 'options.maxTokens', `must be an integer >= 2, got ${String(maxTokens)}`);
  for (const field of ['localModelPath', 'cacheDir', 'revision'] as const) {
    const value = options?.[field];
    if (value !== undefined && (typeof value !== 'string' || value === '')) throw new OptionsError(FN, `options.${field}`, 'must be a non-empty string');
  }
  const offline = options?.offline ?? hubOfflineByEnvironment();
  if (typeof offline !== 'boolean') throw new OptionsError(FN, 'options.offline', 'must be a boolean');
  if (options?.onProgress !== undefined && typeof options.onProgress !== 'function') throw new OptionsError(FN, 'options.onProgress', 'must be a function');
  return { model, dtype, device, threads, maxTokens, offline };
}

/** The files transformers.js needs for `dtype`, relative to the model folder. */
export function transformersModelFiles(dtype: TransformersDtype = 'q8'): string[] {
  return ['config.json', 'tokenizer.json', 'tokenizer_config.json', `onnx/model${DTYPE_FILE_SUFFIX[dtype]}.onnx`];
}

const toNumbers = (values: ArrayLike<number | bigint>): number[] => Array.from(values, Number);

/**
 * Sentence embeddings through transformers.js (`@huggingface/transformers`, or an injected
 * `@xenova/transformers`): the `feature-extraction` pipeline's model and tokenizer, mean pooling over
 * the tokens, L2 normalization, as sentence-transformers computes all-MiniLM-L6-v2 (the RA-RFT
 * reference's explain and correction embedder). Default model `Xenova/all-MiniLM-L6-v2`, q8 weights.
 *
 * Each text runs in its own forward pass, unpadded: batching pads texts to a common length, and with
 * q8 weights the activations' quantization scale then depends on the other texts of the batch, so a
 * text's vector would change with its batch. One pass per text keeps vectors (and rewards) identical
 * between batch and per-item scoring. Texts longer than `maxTokens` (256) are truncated as
 * sentence-transformers does.
 *
 * Offline: pass `offline: true` (or set `HF_HUB_OFFLINE=1`) and a `localModelPath` or a model folder;
 * docs/embeddings.md lists the files. Throws an {@link EmbedderUnavailableError} when the package or
 * the files are missing.
 *
 * @example
 * const embedder = await transformersEmbedder({ model: './test/fixtures/tiny-bert', offline: true });
 * const [vector] = await embedder.embed(['a man opens the door']);
 * vector.length; // => 32
 */
export async function transformersEmbedder(options?: TransformersEmbedderOptions): Promise<TransformersEmbedder> {
  const { model, dtype, device, threads, maxTokens, offline } = checkOptions(options);
  const module = await loadTransformersModule(FN, options?.module);
  const major = majorVersion(module);
  if (major < 3 && device !== 'cpu') throw new OptionsError(FN, 'options.device', `needs transformers.js v3 or later (this module is v${major}); v2 runs on the CPU only`);
  if (major < 3 && dtype !== 'q8' && dtype !== 'fp32') throw new OptionsError(FN, 'options.dtype', `must be q8 or fp32 with transformers.js v2, got ${dtype}`);

  // Resolve where the files are: a folder, <localModelPath>/<id>, or the id (cache, then the hub).
  const files = transformersModelFiles(dtype);
  let folder: string | null = null;
  const lookedIn: string[] = [];
  if (isModelFolder(model)) {
    folder = resolve(model);
    lookedIn.push(folder);
  } else if (options?.localModelPath !== undefined) {
    const candidate = resolve(options.localModelPath, model);
    lookedIn.push(candidate);
    if (existsSync(join(candidate, 'config.json'))) folder = candidate;
  }
  if (folder === null) lookedIn.push(resolve(options?.cacheDir ?? module.env?.cacheDir ?? '.cache', model));
  const localOnly = offline || folder !== null;

  const pipelineOptions: Record<string, unknown> = { local_files_only: localOnly };
  if (options?.cacheDir !== undefined) pipelineOptions.cache_dir = resolve(options.cacheDir);
  if (options?.revision !== undefined) pipelineOptions.revision = options.revision;
  if (options?.onProgress !== undefined) pipelineOptions.progress_callback = options.onProgress;
  if (threads !== undefined) pipelineOptions.session_options = { intraOpNumThreads: threads, interOpNumThreads: 1 };
  if (major >= 3) {
    pipelineOptions.dtype = dtype;
    pipelineOptions.device = device;
  } else {
    pipelineOptions.quantized = dtype === 'q8';
  }

  let pipe: FeatureExtractionPipeline;
  try {
    pipe = await module.pipeline('feature-extraction', folder ?? model, pipelineOptions);
  } catch (error) {
    const filesThere = lookedIn.find((place) => files.every((file) => existsSync(join(place, file))));
    const hint =
      filesThere !== undefined && device !== 'cpu'
        ? `the files are in ${filesThere}; the ${device} device is not usable here (see docs/embeddings.md)`
        : `looked in ${lookedIn.join(' and ')}${localOnly ? ', offline' : ', then the hub'}; a model folder needs ${files.join(', ')}; see docs/embeddings.md`;
    throw new EmbedderUnavailableError(FN, 'options.model', `could not load ${model} (${dtype}, ${device}): ${(error as Error)?.message ?? String(error)} (${hint})`);
  }

  const { tokenizer } = pipe;
  const hiddenSize = Number(pipe.model.config?.hidden_size);
  const tokenLimit = Math.min(maxTokens, tokenizer.model_max_length ?? Number.POSITIVE_INFINITY);
  const special = new Set(tokenizer.all_special_ids ?? []);
  const Tensor = module.Tensor;
  const ids = (values: number[]) => new Tensor('int64', BigInt64Array.from(values, (value) => BigInt(value)), [1, values.length]);

  // sentence-transformers truncation: the first tokens, and the closing special token when there is one.
  const truncate = (values: number[], endsWithSpecial: boolean): number[] =>
    values.length <= tokenLimit ? values : endsWithSpecial ? [...values.slice(0, tokenLimit - 1), values[values.length - 1] as number] : values.slice(0, tokenLimit);

  const meanPooled = (hidden: TensorLike, mask: TensorLike): Float32Array => {
    if (module.mean_pooling !== undefined) return Float32Array.from(module.mean_pooling(hidden, mask).normalize(2, -1).data);
    // Fallback for a module without mean_pooling: the same arithmetic (float32 results, as the pipeline).
    const [, length = 0, size = 0] = hidden.dims;
    const pooled = new Float32Array(size);
    for (let k = 0; k < size; k++) {
      let sum = 0;
      for (let j = 0; j < length; j++) sum += hidden.data[j * size + k] as number;
      pooled[k] = sum / length;
    }
    let norm = 0;
    for (let k = 0; k < size; k++) norm += (pooled[k] as number) ** 2;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let k = 0; k < size; k++) pooled[k]! /= norm;
    return pooled;
  };

  const embedOne = async (text: string): Promise<Float32Array> => {
    const encoded = tokenizer(text, { return_tensor: false });
    const inputIds = toNumbers(encoded.input_ids);
    if (inputIds.length === 0) return new Float32Array(Number.isInteger(hiddenSize) ? hiddenSize : 0);
    const endsWithSpecial = special.has(inputIds[inputIds.length - 1] as number);
    const inputs: Record<string, TensorLike> = {
      input_ids: ids(truncate(inputIds, endsWithSpecial)),
      attention_mask: ids(truncate(toNumbers(encoded.attention_mask), endsWithSpecial)),
    };
    if (encoded.token_type_ids !== undefined) inputs.token_type_ids = ids(truncate(toNumbers(encoded.token_type_ids), endsWithSpecial));
    const outputs = await pipe.model(inputs);
    const hidden = outputs.last_hidden_state ?? outputs.logits ?? outputs.token_embeddings;
    if (hidden === undefined) throw new EmbedderUnavailableError(FN, 'options.model', `${model} has no last_hidden_state output: not a sentence encoder`);
    return meanPooled(hidden, inputs.attention_mask as TensorLike);
  };

  // One ONNX run at a time: concurrent embed calls queue instead of sharing the session.
  let queue: Promise<unknown> = Promise.resolve();
  let disposed = false;
  const exclusive = <T>(task: () => Promise<T>): Promise<T> => {
    const result = queue.then(task);
    queue = result.catch(() => undefined);
    return result;
  };

  const shownModel = isModelFolder(model) ? (folder as string) : model;
  return {
    name: `${shownModel} (${dtype})`,
    model: shownModel,
    dtype,
    device,
    dimensions: Number.isInteger(hiddenSize) ? hiddenSize : (await exclusive(() => embedOne('dimensions'))).length,
    libraryVersion: module.env?.version ?? 'unknown',
    embed(texts) {
      if (!Array.isArray(texts) || texts.some((text) => typeof text !== 'string')) {
        return Promise.reject(new OptionsError(`${FN}.embed`, 'texts', 'must be an array of strings'));
      }
      return exclusive(async () => {
        if (disposed) throw new OptionsError(`${FN}.embed`, 'this', 'was disposed');
        const vectors: Float32Array[] = [];
        for (const text of texts) vectors.push(await embedOne(text));
        return vectors;
      });
    },
    dispose() {
      return exclusive(async () => {
        if (disposed) return;
        disposed = true;
        await pipe.dispose?.();
      });
    },
  };
}
