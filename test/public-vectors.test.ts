import { describe, expect, it } from 'vitest';
import {
  explanationSimilarity,
  formatReward,
  plainIoU,
  queryCorrection,
  raRftReward,
  raRftRewardBatch,
  refuseIoU,
  trigramHashEmbedder,
} from '../src/index.js';
import { readPublicVectors } from './helpers/shared.js';

const vectors = readPublicVectors();
const embedder = trigramHashEmbedder();
const TOLERANCE = 1e-9;

describe('public vectors (../shared/spec/vectors/public.jsonl)', () => {
  it('holds the 480 reference cases', () => {
    expect(vectors).toHaveLength(480);
  });

  it.each(vectors.map((v) => [v.id, v] as const))('%s', async (_id, vector) => {
    const { completion, target, expect: want } = vector;
    expect(Math.abs(formatReward(completion) - want.format)).toBeLessThanOrEqual(TOLERANCE);
    expect(Math.abs(refuseIoU(completion, target) - want.refuseIoU)).toBeLessThanOrEqual(TOLERANCE);
    expect(Math.abs(plainIoU(completion, target) - want.plainIoU)).toBeLessThanOrEqual(TOLERANCE);
    expect(Math.abs((await explanationSimilarity(completion, target, { embedder })) - want.explain)).toBeLessThanOrEqual(TOLERANCE);
    expect(Math.abs((await queryCorrection(completion, target, { embedder })) - want.correction)).toBeLessThanOrEqual(TOLERANCE);
    const combined = await raRftReward(completion, target, { embedder });
    expect(combined.total).toBeCloseTo(want.format + want.refuseIoU + want.explain + want.correction, 9);
  });

  it('batch scoring equals per-item scoring exactly on every vector', async () => {
    const batch = await raRftRewardBatch(
      vectors.map((v) => v.completion),
      vectors.map((v) => v.target),
      { embedder },
    );
    for (const [i, vector] of vectors.entries()) {
      expect(batch[i]).toEqual(await raRftReward(vector.completion, vector.target, { embedder }));
    }
  });
});
