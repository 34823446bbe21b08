import { describe, expect, it } from 'vitest';
import { isOptionsError } from '../errors.js';
import type { Embedder } from '../types.js';
import { cachedEmbedder } from './cached-embedder.js';
import { trigramHashEmbedder } from './trigram-hash-embedder.js';

/** Records every call it gets; vectors are the trigram ones. */
function recordingEmbedder(): Embedder & { calls: string[][] } {
  const trigram = trigramHashEmbedder();
  const calls: string[][] = [];
  return {
    name: 'recording',
    calls,
    embed: async (texts) => {
      calls.push([...texts]);
      return trigram.embed(texts);
    },
  };
}

describe('cachedEmbedder', () => {
  it('embeds each distinct text once per call and returns one vector per text, in order', async () => {
    const inner = recordingEmbedder();
    const embedder = cachedEmbedder(inner);
    const vectors = await embedder.embed(['b', 'a', 'b', 'c', 'a']);
    expect(inner.calls).toEqual([['b', 'a', 'c']]);
    const direct = await trigramHashEmbedder().embed(['b', 'a', 'b', 'c', 'a']);
    expect(vectors).toEqual(direct);
    expect(embedder.stats).toEqual({ calls: 1, textsRequested: 5, textsEmbedded: 3, cacheHits: 0, evictions: 0 });
  });

  it('keeps texts across calls and embeds only the new ones', async () => {
    const inner = recordingEmbedder();
    const embedder = cachedEmbedder(inner, { maxEntries: 10 });
    await embedder.embed(['answer', 'contrast', 'p1']);
    await embedder.embed(['answer', 'contrast', 'p2']);
    expect(inner.calls).toEqual([['answer', 'contrast', 'p1'], ['p2']]);
    expect(embedder.stats.textsEmbedded).toBe(4);
    expect(embedder.stats.cacheHits).toBe(2);
    expect(embedder.size).toBe(4);
  });

  it('evicts the least recently used text first', async () => {
    const inner = recordingEmbedder();
    const embedder = cachedEmbedder(inner, { maxEntries: 2 });
    await embedder.embed(['x', 'y']);
    await embedder.embed(['x']); // x is now more recent than y
    await embedder.embed(['z']); // evicts y
    await embedder.embed(['x', 'y']);
    expect(inner.calls).toEqual([['x', 'y'], ['z'], ['y']]);
    expect(embedder.stats.evictions).toBe(2);
    expect(embedder.size).toBe(2);
  });

  it('maxEntries 0 only removes duplicates within a call', async () => {
    const inner = recordingEmbedder();
    const embedder = cachedEmbedder(inner, { maxEntries: 0 });
    await embedder.embed(['q', 'q']);
    await embedder.embed(['q']);
    expect(inner.calls).toEqual([['q'], ['q']]);
    expect(embedder.size).toBe(0);
  });

  it('shares texts that a concurrent call is already embedding', async () => {
    const inner = recordingEmbedder();
    const embedder = cachedEmbedder(inner);
    const [first, second] = await Promise.all([embedder.embed(['shared', 'one']), embedder.embed(['shared', 'two'])]);
    expect(inner.calls).toEqual([['shared', 'one'], ['two']]);
    expect(first[0]).toEqual(second[0]);
  });

  it('gives every caller its own copy of a vector', async () => {
    const embedder = cachedEmbedder(trigramHashEmbedder());
    const [mine] = await embedder.embed(['abc']);
    (mine as Float64Array).fill(0);
    const [again] = await embedder.embed(['abc']);
    expect(Math.max(...Array.from(again as Float64Array))).toBeGreaterThan(0);
  });

  it('passes errors on and caches nothing from a failed call', async () => {
    let fail = true;
    const flaky: Embedder = {
      embed: async (texts) => {
        if (fail) throw new Error('model crashed');
        return texts.map(() => [1, 0]);
      },
    };
    const embedder = cachedEmbedder(flaky);
    await expect(embedder.embed(['a', 'b'])).rejects.toThrow('model crashed');
    fail = false;
    expect(await embedder.embed(['a'])).toEqual([[1, 0]]);
    expect(embedder.stats.textsEmbedded).toBe(3);
  });

  it('rejects an embedder that returns the wrong number of vectors', async () => {
    const short: Embedder = { embed: async () => [[1]] };
    await expect(cachedEmbedder(short).embed(['a', 'b'])).rejects.toThrow('cachedEmbedder: embedder returned 1 vectors for 2 texts');
  });

  it('rejects bad configuration with OptionsError', () => {
    expect(() => cachedEmbedder({} as Embedder)).toThrow(/cachedEmbedder: embedder must be an Embedder/);
    for (const maxEntries of [-1, 1.5, Number.NaN]) {
      let error: unknown;
      try {
        cachedEmbedder(trigramHashEmbedder(), { maxEntries });
      } catch (caught) {
        error = caught;
      }
      expect(isOptionsError(error)).toBe(true);
    }
  });

  it('resetStats, clear and dispose', async () => {
    let disposed = 0;
    const inner: Embedder & { dispose(): void } = { ...trigramHashEmbedder(), dispose: () => void disposed++ };
    const embedder = cachedEmbedder(inner);
    await embedder.embed(['a']);
    embedder.resetStats();
    expect(embedder.stats.textsEmbedded).toBe(0);
    embedder.clear();
    await embedder.embed(['a']);
    expect(embedder.stats.textsEmbedded).toBe(1);
    await embedder.dispose();
    expect(disposed).toBe(1);
    expect(embedder.size).toBe(0);
  });
});
