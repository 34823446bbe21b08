import { describe, expect, it } from 'vitest';
import { cachedEmbedder } from '../src/embeddings/index.js';
import { type RaRftTarget, raRftReward, raRftRewardBatch, trigramHashEmbedder } from '../src/index.js';
import { readPublicVectors } from './helpers/shared.js';

const vectors = readPublicVectors();
const plain = trigramHashEmbedder();

/** The public vectors grouped by target, as GRPO groups completions of one prompt. */
function groupsByTarget() {
  const groups = new Map<string, { target: RaRftTarget; completions: string[] }>();
  for (const vector of vectors) {
    const key = JSON.stringify(vector.target);
    const group = groups.get(key) ?? { target: vector.target, completions: [] };
    group.completions.push(vector.completion);
    groups.set(key, group);
  }
  return [...groups.values()];
}

describe('batch scoring through cachedEmbedder (trigram embedder, public vectors)', () => {
  it('equals the per-item path exactly, group by group, with the cache kept across groups', async () => {
    const embedder = cachedEmbedder(trigramHashEmbedder(), { maxEntries: 256 });
    const groups = groupsByTarget();
    expect(groups.length).toBeGreaterThan(50);
    for (const { target, completions } of groups) {
      const batch = await raRftRewardBatch(completions, target, { embedder });
      for (const [i, completion] of completions.entries()) {
        expect(batch[i]).toEqual(await raRftReward(completion, target, { embedder: plain }));
      }
    }
    // Each group embeds each of its distinct texts at most once, and repeated reference texts not again.
    expect(embedder.stats.calls).toBe(groups.length);
    expect(embedder.stats.textsEmbedded).toBeLessThan(embedder.stats.textsRequested);
  });

  it('equals the per-item path exactly on all 480 vectors in one batch, and again from a warm cache', async () => {
    const embedder = cachedEmbedder(trigramHashEmbedder());
    const completions = vectors.map((v) => v.completion);
    const targets = vectors.map((v) => v.target);
    const cold = await raRftRewardBatch(completions, targets, { embedder });
    const embeddedCold = embedder.stats.textsEmbedded;
    const warm = await raRftRewardBatch(completions, targets, { embedder });
    expect(embedder.stats.textsEmbedded).toBe(embeddedCold);
    for (const [i, vector] of vectors.entries()) {
      const single = await raRftReward(vector.completion, vector.target, { embedder: plain });
      expect(cold[i]).toEqual(single);
      expect(warm[i]).toEqual(single);
    }
  });
});

describe('texts embedded for a GRPO group of 8 completions of one target (the reference embeds 33)', () => {
  const target: RaRftTarget = {
    relevant: false,
    answer: '<answer>No one drops the groceries; the person places them on the table.</answer>',
    contrast: '<answer>3.1 to 10.9</answer>',
    query: 'the person puts the groceries on the table.',
  };
  const group = (round: number) =>
    Array.from(
      { length: 8 },
      (_, i) =>
        `<think>looking at round ${round}</think><answer>Refusal ${round}.${i}: the video never shows this.</answer>` +
        `<correction>the person puts item ${round}.${i} on the table.</correction>`,
    );

  it('embeds at most 8 answers + 8 corrections + 3 reference texts, and 16 once the target is cached', async () => {
    const embedder = cachedEmbedder(trigramHashEmbedder());
    const first = await raRftRewardBatch(group(1), target, { embedder });
    expect(embedder.stats.calls).toBe(1);
    expect(embedder.stats.textsEmbedded).toBeLessThanOrEqual(8 + 8 + 3);
    expect(embedder.stats.textsEmbedded).toBe(19); // all 16 completion texts differ here
    await raRftRewardBatch(group(2), target, { embedder });
    expect(embedder.stats.textsEmbedded - 19).toBe(16);
    for (const [i, completion] of group(1).entries()) {
      expect(first[i]).toEqual(await raRftReward(completion, target, { embedder: plain }));
    }
  });

  it('embeds 8 + 2 texts for a relevant target whose corrections say NIL', async () => {
    const relevant: RaRftTarget = { relevant: true, span: [3.1, 10.9], duration: 30.04, answer: '3.1 to 10.9', contrast: 'No such event.' };
    const completions = Array.from({ length: 8 }, (_, i) => `<think>t</think><answer>${2 + i / 10} to 10.9</answer><correction>NIL</correction>`);
    const embedder = cachedEmbedder(trigramHashEmbedder());
    await raRftRewardBatch(completions, relevant, { embedder });
    expect(embedder.stats.textsEmbedded).toBe(8 + 2);
  });
});
