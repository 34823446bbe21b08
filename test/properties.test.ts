// Property tests over arbitrary strings and targets: every reward returns a finite number and never throws
// on model output; IoU is symmetric and in [0, 1].
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type RaRftTarget,
  formatReward,
  plainIoU,
  raRftRewardBatch,
  refuseIoU,
  temporalIoU,
  timeLensIoU,
  timeR1IoU,
  trigramHashEmbedder,
  tvgR1Reward,
} from '../src/index.js';

const tagged = fc
  .array(
    fc.oneof(
      fc.constantFrom('<think>', '</think>', '<answer>', '</answer>', '<correction>', '</correction>', '<time>', '</time>', 'NIL', ' to ', ' and ', ' - ', '[', ']', ',', ':', '.', 's'),
      fc.string({ maxLength: 6 }),
      fc.string({ unit: 'binary', maxLength: 6 }),
      fc.double().map(String),
      fc.nat(1000).map(String),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''));
const completion = fc.oneof(tagged, fc.string({ unit: 'binary', maxLength: 200 }));

const seconds = fc.double({ min: 0, max: 1e4, noNaN: true });
const target: fc.Arbitrary<RaRftTarget> = fc.oneof(
  fc.record({
    relevant: fc.constant(true),
    span: fc.tuple(seconds, seconds).map(([a, b]) => (a <= b ? ([a, b] as const) : ([b, a] as const))),
    duration: fc.double({ min: 1e-3, max: 1e4, noNaN: true }),
    answer: fc.string(),
    contrast: fc.string(),
    query: fc.string(),
  }),
  fc.record(
    { relevant: fc.constant(false), duration: fc.double({ min: 1e-3, max: 1e4, noNaN: true }), answer: fc.string(), contrast: fc.string(), query: fc.string() },
    { requiredKeys: ['relevant', 'answer', 'contrast'] },
  ),
);

describe('rewards on arbitrary strings and targets', () => {
  it('never throw and never return NaN (rule rewards)', () => {
    fc.assert(
      fc.property(completion, target, (text, t) => {
        const scores = [
          formatReward(text),
          formatReward(text, { profile: 'strict', thinkPrefilled: true }),
          formatReward(text, { profile: 'r1' }),
          formatReward(text, { profile: 'tvg-r1' }),
          refuseIoU(text, t),
          refuseIoU(text, t, { profile: 'strict' }),
          plainIoU(text, t),
          timeR1IoU(text, t),
          tvgR1Reward(text, t),
          timeLensIoU(text, t),
        ];
        for (const score of scores) expect(Number.isFinite(score)).toBe(true);
        const strict = refuseIoU(text, t, { profile: 'strict' });
        expect(strict >= 0 && strict <= 1).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('never throw and never return NaN (embedding rewards, batch)', async () => {
    const embedder = trigramHashEmbedder();
    await fc.assert(
      fc.asyncProperty(fc.array(completion, { minLength: 1, maxLength: 8 }), target, fc.constantFrom('ra-rft', 'strict' as const), async (texts, t, profile) => {
        for (const result of await raRftRewardBatch(texts, t, { embedder, profile })) {
          for (const value of Object.values(result)) expect(Number.isFinite(value)).toBe(true);
          expect(result.explain).toBeGreaterThanOrEqual(-1);
          expect(result.explain).toBeLessThanOrEqual(1);
          expect(result.correction).toBeGreaterThanOrEqual(0);
          expect(result.correction).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('temporalIoU', () => {
  const bound = fc.oneof(fc.double({ min: -1e6, max: 1e6 }), fc.constantFrom(Number.NaN, Infinity, -Infinity, 0, -0));
  const span = fc.tuple(bound, bound);

  it('is symmetric and in [0, 1] for any pair, ordered or not', () => {
    fc.assert(
      fc.property(span, span, (a, b) => {
        const iou = temporalIoU(a, b);
        expect(iou).toBe(temporalIoU(b, a));
        expect(iou >= 0 && iou <= 1).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });

  it('is 1 for identical non-empty spans and 0 for disjoint ones', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e4, noNaN: true }), fc.double({ min: 1e-3, max: 1e4, noNaN: true }), (start, length) => {
        expect(temporalIoU([start, start + length], [start, start + length])).toBe(1);
        expect(temporalIoU([start, start + length], [start + length * 2, start + length * 3])).toBe(0);
      }),
    );
  });
});
