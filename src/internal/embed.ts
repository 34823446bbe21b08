import { OptionsError } from '../errors.js';
import type { Embedder } from '../types.js';

export type VectorLookup = (text: string) => ArrayLike<number>;

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
  const vectors = distinct.length === 0 ? [] : await embedder.embed(distinct);
  if (!Array.isArray(vectors) || vectors.length !== distinct.length) {
    const got = Array.isArray(vectors) ? `${vectors.length} vectors` : typeof vectors;
    throw new OptionsError(fn, 'options.embedder', `returned ${got} for ${distinct.length} texts`);
  }
  const byText = new Map<string, ArrayLike<number>>();
  for (let i = 0; i < distinct.length; i++) {
    const vector = vectors[i];
    if (vector === null || typeof vector !== 'object' || typeof (vector as ArrayLike<number>).length !== 'number') {
      throw new OptionsError(fn, 'options.embedder', `returned a non-vector for text ${i}`);
    }
    byText.set(distinct[i] as string, vector);
  }
  return (text) => byText.get(text) as ArrayLike<number>;
}
