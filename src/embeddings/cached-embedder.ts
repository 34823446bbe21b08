import { OptionsError } from '../errors.js';
import { assertEmbedderOutput } from '../internal/embed.js';
import type { Embedder } from '../types.js';

/** Options of {@link cachedEmbedder}. */
export interface CachedEmbedderOptions {
  /**
   * How many texts (with their vectors) to keep across calls, least recently used evicted first. Default
   * 4096 (about 8 MiB of 512-d float32 vectors); 0 keeps nothing across calls and only removes duplicates
   * within a call.
   */
  maxEntries?: number | undefined;
}

/** Counters of a {@link CachedEmbedder}; they only grow (see {@link CachedEmbedder.resetStats}). */
export interface CachedEmbedderStats {
  /** `embed` calls answered. */
  calls: number;
  /** Texts asked for, duplicates included. */
  textsRequested: number;
  /** Texts sent to the wrapped embedder: the work actually done. */
  textsEmbedded: number;
  /** Distinct texts answered from the cache (or from a concurrent call already embedding them). */
  cacheHits: number;
  /** Texts dropped from the cache to stay within `maxEntries`. */
  evictions: number;
}

/** An {@link Embedder} that remembers vectors; see {@link cachedEmbedder}. */
export interface CachedEmbedder extends Embedder {
  readonly name: string;
  /** The wrapped embedder. */
  readonly inner: Embedder;
  readonly maxEntries: number;
  /** Live counters (the same object across calls). */
  readonly stats: Readonly<CachedEmbedderStats>;
  /** Texts currently cached. */
  readonly size: number;
  /** Sets every counter to 0 (the cache stays). */
  resetStats(): void;
  /** Empties the cache (the counters stay). */
  clear(): void;
  /** Empties the cache and disposes the wrapped embedder when it can be disposed (a model, a worker). */
  dispose(): Promise<void>;
}

const FN = 'cachedEmbedder';

type Vector = ArrayLike<number>;

// Callers get their own copy, so one caller writing into a vector cannot change another's scores.
function copyOf(vector: Vector): Vector {
  if (ArrayBuffer.isView(vector)) return (vector as unknown as Float32Array).slice();
  return Array.from(vector);
}

/**
 * Wraps an embedder so that each distinct text is embedded once per call, and texts seen in earlier calls
 * (up to `maxEntries`, least recently used evicted first) are not embedded again. Vectors are the wrapped
 * embedder's own, so scores equal the uncached ones exactly (as long as the wrapped embedder is
 * deterministic per text, as {@link Embedder} requires). `stats.textsEmbedded` counts the texts sent to
 * the wrapped embedder.
 *
 * Meant for batch scoring: {@link raRftRewardBatch} already embeds each distinct text of a batch once, in
 * one call; this cache also keeps the reference texts (answer, contrast, query) between batches, so a
 * group of G completions of a seen target costs at most G answers + G corrections.
 *
 * @example
 * const embedder = cachedEmbedder(trigramHashEmbedder(), { maxEntries: 1000 });
 * await embedder.embed(['a man opens the door', 'a man opens the door', 'No such event.']);
 * await embedder.embed(['No such event.']);
 * embedder.stats.textsEmbedded; // => 2
 * embedder.stats.cacheHits; // => 1
 */
export function cachedEmbedder(embedder: Embedder, options?: CachedEmbedderOptions): CachedEmbedder {
  if (embedder === null || typeof embedder !== 'object' || typeof embedder.embed !== 'function') {
    throw new OptionsError(FN, 'embedder', 'must be an Embedder: an object with embed(texts) => Promise<vectors>');
  }
  const maxEntries = options?.maxEntries ?? 4096;
  if (!Number.isInteger(maxEntries) || maxEntries < 0) {
    throw new OptionsError(FN, 'options.maxEntries', `must be a non-negative integer, got ${String(maxEntries)}`);
  }
  const inner = embedder;
  // A Map keeps insertion order: re-inserting on use makes its first key the least recently used.
  const cache = new Map<string, Vector>();
  // Texts being embedded right now, so concurrent calls share the work instead of repeating it.
  const inFlight = new Map<string, Promise<Vector>>();
  const stats: CachedEmbedderStats = { calls: 0, textsRequested: 0, textsEmbedded: 0, cacheHits: 0, evictions: 0 };

  const remember = (text: string, vector: Vector): void => {
    if (maxEntries === 0) return;
    cache.delete(text);
    cache.set(text, vector);
    while (cache.size > maxEntries) {
      cache.delete(cache.keys().next().value as string);
      stats.evictions++;
    }
  };

  const checked = (vectors: unknown, count: number): Vector[] => assertEmbedderOutput(FN, 'embedder', vectors, count) as Vector[];

  // One call of the wrapped embedder for the texts nobody has; the texts are in flight until it settles.
  const embedMissing = (texts: string[]): Promise<Vector>[] => {
    stats.textsEmbedded += texts.length;
    const batch = Promise.resolve()
      .then(() => inner.embed(texts))
      .then((vectors) => checked(vectors, texts.length));
    const pending = texts.map((_, i) => batch.then((vectors) => vectors[i] as Vector));
    // A caller stops at the first rejection; the others' rejections must not surface as unhandled.
    for (const one of pending) one.catch(() => undefined);
    texts.forEach((text, i) => inFlight.set(text, pending[i] as Promise<Vector>));
    batch.then(
      (vectors) => texts.forEach((text, i) => {
        inFlight.delete(text);
        remember(text, vectors[i] as Vector);
      }),
      () => texts.forEach((text) => inFlight.delete(text)),
    );
    return pending;
  };

  return {
    name: inner.name ?? 'embedder',
    inner,
    maxEntries,
    stats,
    get size() {
      return cache.size;
    },
    async embed(texts) {
      if (!Array.isArray(texts)) throw new OptionsError(`${FN}.embed`, 'texts', 'must be an array of strings');
      stats.calls++;
      stats.textsRequested += texts.length;
      const found = new Map<string, Vector | Promise<Vector>>();
      const missing = new Set<string>();
      for (const text of texts) {
        if (typeof text !== 'string') throw new OptionsError(`${FN}.embed`, 'texts', `must hold strings only, got ${typeof text}`);
        if (found.has(text) || missing.has(text)) continue;
        const known = cache.get(text) ?? inFlight.get(text);
        if (known === undefined) {
          missing.add(text);
          continue;
        }
        found.set(text, known);
        if (!(known instanceof Promise)) remember(text, known);
        stats.cacheHits++;
      }
      if (missing.size > 0) {
        const newTexts = [...missing];
        embedMissing(newTexts).forEach((pending, i) => found.set(newTexts[i] as string, pending));
      }
      const resolved = new Map<string, Vector>();
      for (const [text, vector] of found) resolved.set(text, await vector);
      return texts.map((text) => copyOf(resolved.get(text) as Vector));
    },
    resetStats() {
      stats.calls = 0;
      stats.textsRequested = 0;
      stats.textsEmbedded = 0;
      stats.cacheHits = 0;
      stats.evictions = 0;
    },
    clear() {
      cache.clear();
    },
    async dispose() {
      cache.clear();
      const disposable = inner as Embedder & { dispose?: () => unknown };
      if (typeof disposable.dispose === 'function') await disposable.dispose();
    },
  };
}
