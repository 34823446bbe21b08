import { OptionsError } from '../errors.js';
import type { Embedder } from '../types.js';

export type VectorLookup = (text: string) => ArrayLike<number>;

/**
 * The one check of what an embedder returned: an array of `count` array-like vectors. Throws an
 * {@link OptionsError} from `fn` naming `field` otherwise; returns the vectors typed.
 */
export function assertEmbedderOutput(fn: string, field: string, vectors: unknown, count: number): ArrayLike<number>[] {
  if (!Array.isArray(vectors) || vectors.length !== count) {
    const got = Array.isArray(vectors) ? `${vectors.length} vectors` : typeof vectors;
    throw new OptionsError(fn, field, `returned ${got} for ${count} texts`);
  }
  for (let i = 0; i < count; i++) {
    const vector: unknown = vectors[i];
    if (vector === null || typeof vector !== 'object' || typeof (vector as ArrayLike<number>).length !== 'number') {
      throw new OptionsError(fn, field, `returned a non-vector for text ${i}`);
    }
  }
  return vectors as ArrayLike<number>[];
}

/** Checks that `embedder` looks like an {@link Embedder}; throws an {@link OptionsError} naming `fn` otherwise. */
export function assertEmbedder(fn: string, embedder: unknown): asserts embedder is Embedder {
  if (embedder === null || typeof embedder !== 'object' || typeof (embedder as Embedder).embed !== 'function') {
    throw new OptionsError(fn, 'options.embedder', 'must be an Embedder: an object with embed(texts) => Promise<vectors>');
  }
}

/**
 * Embeds each distinct text of `texts` once, in a single `embed` call, and returns a lookup by text.
 * The embedder's answer is checked: one vector per text, each array-like.
 */
export async function embedDistinct(fn: string, embedder: Embedder, texts: Iterable<string>): Promise<VectorLookup> {
  const distinct = [...new Set(texts)];
  const vectors = assertEmbedderOutput(fn, 'options.embedder', distinct.length === 0 ? [] : await embedder.embed(distinct), distinct.length);
  const byText = new Map<string, ArrayLike<number>>();
  for (let i = 0; i < distinct.length; i++) byText.set(distinct[i] as string, vectors[i] as ArrayLike<number>);
  return (text) => byText.get(text) as ArrayLike<number>;
}
