import { OptionsError } from '../errors.js';
import type { Embedder } from '../types.js';

/** Options of {@link trigramHashEmbedder}. */
export interface TrigramHashEmbedderOptions {
  /** Vector size; REWARDS.md fixes 256 (the public vectors use it). */
  dimensions?: number | undefined;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const encoder = new TextEncoder();

/** The trigram-hash vector of one text (REWARDS.md): FNV-1a of every 3-byte UTF-8 window, L2-normalized. */
export function trigramHashVector(text: string, dimensions = 256): Float64Array {
  const vector = new Float64Array(dimensions);
  const bytes = encoder.encode(text);
  const windowSize = Math.min(3, bytes.length);
  for (let start = 0; windowSize > 0 && start + windowSize <= bytes.length; start++) {
    let hash = FNV_OFFSET;
    for (let k = start; k < start + windowSize; k++) hash = Math.imul(hash ^ (bytes[k] as number), FNV_PRIME) >>> 0;
    vector[hash % dimensions]! += 1;
  }
  let norm = 0;
  for (let i = 0; i < dimensions; i++) norm += (vector[i] as number) ** 2;
  if (norm > 0) {
    norm = Math.sqrt(norm);
    for (let i = 0; i < dimensions; i++) vector[i]! /= norm;
  }
  return vector;
}

/**
 * The deterministic trigram-hash embedder of REWARDS.md: for each 3-byte window of the UTF-8 text
 * (the whole text when shorter, nothing when empty), `v[fnv1a32(gram) mod 256] += 1`, then L2
 * normalization. No model, no I/O: for tests, the public vectors, and an offline fallback. It measures
 * character overlap, not meaning.
 *
 * @example
 * const embedder = trigramHashEmbedder();
 * const [v] = await embedder.embed(['abc']);
 * v.length; // => 256
 */
export function trigramHashEmbedder(options?: TrigramHashEmbedderOptions): Embedder & { readonly name: string } {
  const dimensions = options?.dimensions ?? 256;
  if (!Number.isInteger(dimensions) || dimensions < 1) {
    throw new OptionsError('trigramHashEmbedder', 'options.dimensions', `must be a positive integer, got ${String(dimensions)}`);
  }
  return {
    name: `trigram-hash-${dimensions}`,
    embed: async (texts) => texts.map((text) => trigramHashVector(text, dimensions)),
  };
}
