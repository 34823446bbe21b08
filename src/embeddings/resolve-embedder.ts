import { EMBEDDER_CHOICES, type EmbedderChoice } from '../internal/embedder-choice.js';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { OptionsError } from '../errors.js';
import { trigramHashEmbedder } from './trigram-hash-embedder.js';
import { type CachedEmbedder, cachedEmbedder } from './cached-embedder.js';
import { type OpenAIEmbedderSpec, isOpenAIEmbedderSpec, openAIEmbedder, parseOpenAIEmbedderSpec } from './openai-embedder.js';
import { isEmbedderUnavailableError } from './errors.js';
import {
  DEFAULT_TRANSFORMERS_MODEL,
  type TransformersEmbedderOptions,
  hubOfflineByEnvironment,
  isModelFolder,
  loadTransformersModule,
  transformersEmbedder,
  transformersModelFiles,
} from './transformers-embedder.js';
import { USE_LITE_PACKAGES, missingUseLitePackages, useLiteEmbedder } from './use-lite-embedder.js';

/** What {@link resolveEmbedder} can be asked for. */
export { EMBEDDER_CHOICES, type EmbedderChoice } from '../internal/embedder-choice.js';

/** The embedders {@link resolveEmbedder} can give. */
export type EmbedderKind = Exclude<EmbedderChoice, 'auto'> | 'openai';

/** Options of {@link resolveEmbedder}. */
export interface ResolveEmbedderOptions {
  /** MiniLM settings (model, localModelPath, cacheDir, offline, threads, device, module…). */
  transformers?: TransformersEmbedderOptions | undefined;
  /**
   * `auto` only: how long to wait for the hub to answer when the MiniLM files are not local, in
   * milliseconds (default 2000); 0 skips the check (local files or USE-lite).
   */
  probeTimeoutMs?: number | undefined;
  /** LRU size of the {@link cachedEmbedder} wrapped around the result (default 4096; 0 keeps nothing across calls). */
  cacheEntries?: number | undefined;
  /** Called once with the choice and its reason (also returned): scores of different embedders are not comparable. */
  onChoice?: ((choice: Omit<ResolvedEmbedder, 'embedder'>) => void) | undefined;
}

/** The embedder {@link resolveEmbedder} chose, and why. */
export interface ResolvedEmbedder {
  /** The chosen embedder behind a {@link cachedEmbedder} (its `stats.textsEmbedded` counts model work). */
  embedder: CachedEmbedder;
  /** Which one it is. */
  kind: EmbedderKind;
  /** The embedder's name, e.g. `Xenova/all-MiniLM-L6-v2 (q8)`, `universal-sentence-encoder-lite`. */
  name: string;
  /** Why this one, in words (for logs and reports). */
  reason: string;
}

const FN = 'resolveEmbedder';
const CHOICES: readonly EmbedderChoice[] = EMBEDDER_CHOICES;

/** Where the MiniLM files are on this machine, if they are: `{ folder }`, or `{ folder: null, searched }`. */
export async function findLocalTransformersModel(options?: TransformersEmbedderOptions): Promise<{ folder: string | null; searched: string[] }> {
  const model = options?.model ?? DEFAULT_TRANSFORMERS_MODEL;
  const files = transformersModelFiles(options?.dtype ?? 'q8');
  const candidates: string[] = [];
  if (isModelFolder(model)) candidates.push(resolve(model));
  else {
    if (options?.localModelPath !== undefined) candidates.push(resolve(options.localModelPath, model));
    const module = await loadTransformersModule(FN, options?.module);
    const env = module.env ?? {};
    if (typeof env.localModelPath === 'string') candidates.push(join(env.localModelPath, model));
    const cacheDir = options?.cacheDir ?? env.cacheDir;
    if (typeof cacheDir === 'string') candidates.push(resolve(cacheDir, model));
  }
  const folder = candidates.find((candidate) => files.every((file) => existsSync(join(candidate, file)))) ?? null;
  return { folder, searched: candidates };
}

/** Does the hub answer for `model` within `timeoutMs`? Never throws; says why not. */
async function probeHub(options: TransformersEmbedderOptions | undefined, timeoutMs: number): Promise<{ ok: boolean; detail: string }> {
  const module = await loadTransformersModule(FN, options?.module);
  const env = (module.env ?? {}) as { remoteHost?: string; remotePathTemplate?: string };
  const model = options?.model ?? DEFAULT_TRANSFORMERS_MODEL;
  const host = env.remoteHost ?? 'https://huggingface.co/';
  const path = (env.remotePathTemplate ?? '{model}/resolve/{revision}/')
    .replaceAll('{model}', model)
    .replaceAll('{revision}', encodeURIComponent(options?.revision ?? 'main'));
  const url = `${host.replace(/\/?$/, '/')}${path.replace(/^\//, '').replace(/\/?$/, '/')}config.json`;
  try {
    const response = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs) });
    return { ok: response.ok, detail: `${url} answered ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name ?? 'error';
    return { ok: false, detail: `${url} unreachable (${cause})` };
  }
}

interface Choice {
  kind: EmbedderKind;
  reason: string;
  /** MiniLM files found on this machine: load them without asking the hub for anything. */
  local?: boolean;
}

async function loadKind({ kind, local }: Choice, options: ResolveEmbedderOptions | undefined) {
  if (kind === 'trigram') return trigramHashEmbedder();
  if (kind === 'use-lite') return useLiteEmbedder();
  return transformersEmbedder(local === true ? { ...options?.transformers, offline: true } : options?.transformers);
}

/** Picks MiniLM when it can run here, USE-lite otherwise, and says why. */
async function chooseAuto(options: ResolveEmbedderOptions | undefined): Promise<Choice> {
  const transformers = options?.transformers;
  const model = transformers?.model ?? DEFAULT_TRANSFORMERS_MODEL;
  const missingUse = missingUseLitePackages();
  const useLite = (why: string): Choice => {
    if (missingUse.length > 0) {
      throw new OptionsError(
        FN,
        'choice',
        `'auto' found no sentence embedder: ${why}, and USE-lite needs ${missingUse.join(', ')} (npm install ${USE_LITE_PACKAGES.join(' ')}); ` +
          "or choose 'trigram' explicitly (character overlap, not meaning)",
      );
    }
    return { kind: 'use-lite', reason: `${why}; using the offline USE-lite (scores are not comparable with MiniLM's)` };
  };

  let local: { folder: string | null; searched: string[] };
  try {
    local = await findLocalTransformersModel(transformers);
  } catch (error) {
    if (isEmbedderUnavailableError(error)) return useLite(`MiniLM needs @huggingface/transformers, which is not installed`);
    throw error;
  }
  if (local.folder !== null) return { kind: 'minilm', reason: `${model} files found in ${local.folder}`, local: true };
  const notLocal = `${model} files not found (searched ${local.searched.join(', ')})`;
  if (transformers?.offline ?? hubOfflineByEnvironment()) return useLite(`${notLocal}, offline`);
  const timeoutMs = options?.probeTimeoutMs ?? 2000;
  if (timeoutMs === 0) return useLite(`${notLocal}, hub check skipped`);
  const probe = await probeHub(transformers, timeoutMs);
  if (probe.ok) return { kind: 'minilm', reason: `${notLocal}; downloading from the hub (${probe.detail})` };
  return useLite(`${notLocal}, hub: ${probe.detail}`);
}

/**
 * Builds a sentence embedder by name, behind a {@link cachedEmbedder}, and says which one it is:
 * - `minilm`: all-MiniLM-L6-v2 through {@link transformersEmbedder} (the reference's embedder);
 * - `use-lite`: the Universal Sentence Encoder lite of {@link useLiteEmbedder} (offline, from npm);
 * - `trigram`: {@link trigramHashEmbedder} (no model; character overlap, not meaning);
 * - `openai:URL#MODEL`: {@link openAIEmbedder} on any server that speaks OpenAI's `POST /v1/embeddings` (key from
 *   `RA_RFT_EMBEDDINGS_API_KEY` or `OPENAI_API_KEY`);
 * - `auto`: MiniLM when its files are on this machine (a model folder, `localModelPath`, or the
 *   transformers.js cache) or the hub answers within `probeTimeoutMs`, else USE-lite. Offline
 *   (`transformers.offline`, `HF_HUB_OFFLINE=1`) skips the hub check.
 *
 * Rewards from different embedders are on different scales, so the choice is always reported (returned
 * `kind`, `name`, `reason`, and `onChoice`), and a chosen embedder that fails to load throws instead of
 * falling back.
 *
 * @example
 * const { embedder, kind, reason } = await resolveEmbedder('trigram');
 * [kind, embedder.name]; // => ['trigram', 'trigram-hash-256']
 * reason; // => 'requested'
 */
export async function resolveEmbedder(choice: EmbedderChoice | OpenAIEmbedderSpec = 'auto', options?: ResolveEmbedderOptions): Promise<ResolvedEmbedder> {
  if (isOpenAIEmbedderSpec(choice)) {
    // A server that speaks OpenAI's /v1/embeddings: text-embeddings-inference, vLLM, Infinity, OpenAI, `serve`.
    const embedder = cachedEmbedder(openAIEmbedder(parseOpenAIEmbedderSpec(choice)), { maxEntries: options?.cacheEntries });
    const resolved: ResolvedEmbedder = { embedder, kind: 'openai', name: embedder.name, reason: 'requested' };
    options?.onChoice?.({ kind: 'openai', name: resolved.name, reason: 'requested' });
    return resolved;
  }
  if (!CHOICES.includes(choice)) throw new OptionsError(FN, 'choice', `must be one of ${CHOICES.join(', ')}, got ${String(choice)}`);
  if (options !== undefined && (options === null || typeof options !== 'object')) throw new OptionsError(FN, 'options', 'must be an object');
  const timeout = options?.probeTimeoutMs;
  if (timeout !== undefined && (!Number.isFinite(timeout) || timeout < 0)) {
    throw new OptionsError(FN, 'options.probeTimeoutMs', `must be a non-negative number of milliseconds, got ${String(timeout)}`);
  }
  if (options?.onChoice !== undefined && typeof options.onChoice !== 'function') throw new OptionsError(FN, 'options.onChoice', 'must be a function');
  const chosen: Choice = choice === 'auto' ? await chooseAuto(options) : { kind: choice, reason: 'requested' };
  const { kind, reason } = chosen;
  const embedder = cachedEmbedder(await loadKind(chosen, options), { maxEntries: options?.cacheEntries });
  const resolved: ResolvedEmbedder = { embedder, kind, name: embedder.name, reason };
  options?.onChoice?.({ kind, name: resolved.name, reason });
  return resolved;
}
