import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TargetError } from '../errors.js';
import type { Embedder } from '../types.js';
import { evaluatePredictions } from './evaluate-predictions.js';
import type { EvaluationItem, EvaluationMetrics } from './types.js';

const think = '<think>looking</think>';
const span = (s: number, e: number) => `${think}<answer>${s} to ${e}</answer><correction>NIL</correction>`;
const refusal = (text = 'The query is not in the video.') => `${think}<answer>${text}</answer><correction>a man walks.</correction>`;
const relevant = (completion: string, hardness = 'original'): EvaluationItem => ({ completion, target: { relevant: true, span: [0, 10] }, hardness });
const irrelevant = (completion: string, hardness: string, categories: string[], answer = '<answer>No dog appears in the video.</answer>'): EvaluationItem => ({
  completion,
  target: { relevant: false, answer },
  hardness,
  categories,
});

// Hand-worked: every confusion cell, IoU exactly at each R@ threshold, outputs without an answer.
const HAND: EvaluationItem[] = [
  relevant(span(0, 10)), // r1 TP, IoU 1
  relevant(span(0, 5)), // r2 TP, IoU 0.5 (tie at R@0.5)
  relevant(span(0, 3)), // r3 TP, IoU 0.3 (tie at R@0.3)
  relevant(span(0, 7)), // r4 TP, IoU 0.7 (tie at R@0.7)
  relevant(span(20, 30)), // r5 TP, IoU 0 (a span, so decided relevant)
  relevant(refusal()), // r6 FN (refusal)
  relevant('it happens from 0 to 10'), // r7 no answer: FN
  irrelevant(refusal(), 'easy', ['Object/ObjectExistence']), // i1 TN
  irrelevant(`${refusal()}<|im_end|><|endoftext|>`, 'hard', ['Object/ObjectExistence', 'Attribute/Counting']), // i2 TN after stripping end tokens
  irrelevant(span(1, 2), 'hard', ['Attribute/Counting']), // i3 FP
  irrelevant('no tags at all', 'easy', []), // i4 no answer: FP (noAnswer 'wrong') or TN ('irrelevant')
];

describe('evaluatePredictions: the hand-worked set', () => {
  it('counts every confusion cell, with relevant as the positive class', async () => {
    const { metrics, items } = await evaluatePredictions(HAND);
    expect(items.map((item) => item.cell)).toEqual(['TP', 'TP', 'TP', 'TP', 'TP', 'FN', 'FN', 'TN', 'TN', 'FP', 'FP']);
    expect(metrics.count).toBe(11);
    expect(metrics.relevance.confusion).toEqual({ TP: 5, FP: 2, FN: 2, TN: 2 });
    expect(metrics.relevance.accuracy).toBe(7 / 11);
    expect(metrics.answers).toEqual({ span: 6, refusal: 3, none: 2 });
  });

  it('per class: precision, recall, F1, accuracy within the class and refusal rate', async () => {
    const { metrics } = await evaluatePredictions(HAND);
    expect(metrics.relevance.relevant).toEqual({ count: 7, predicted: 7, precision: 5 / 7, recall: 5 / 7, f1: 10 / 14, accuracy: 5 / 7, refusalRate: 1 / 7 });
    // Irrelevant as the positive class: TP = TN 2, FP = FN 2, FN = FP 2.
    expect(metrics.relevance.irrelevant).toEqual({ count: 4, predicted: 4, precision: 0.5, recall: 0.5, f1: 0.5, accuracy: 0.5, refusalRate: 0.5 });
  });

  it('RA-IoU: 1 for a correct refusal, the IoU for a span, 0 for a wrong decision; a tie at k counts for R@k', async () => {
    const { metrics, items } = await evaluatePredictions(HAND);
    expect(items.map((item) => item.raIoU)).toEqual([1, 0.5, 0.3, 0.7, 0, 0, 0, 1, 1, 0, 0]);
    expect(items.map((item) => item.iou)).toEqual([1, 0.5, 0.3, 0.7, 0, null, null, null, null, null, null]);
    expect(metrics.raIoU).toEqual({ mean: 4.5 / 11, count: 11, 'R@0.3': 6 / 11, 'R@0.5': 5 / 11, 'R@0.7': 4 / 11 });
    expect(metrics.relevantOnly).toEqual({ mIoU: 2.5 / 7, count: 7, 'R@0.3': 4 / 7, 'R@0.5': 3 / 7, 'R@0.7': 2 / 7 });
  });

  it('a tie is a tie in floating point too: [0, 0.4] in [0, 0.8] is IoU 0.5 and counts for R@0.5', async () => {
    // The reference computes the union as len1 + len2 - inter, which gives 0.49999999999999994 here.
    const { items, metrics } = await evaluatePredictions([{ completion: '<answer>0 to 0.4</answer>', target: { relevant: true, span: [0, 0.8] } }]);
    expect(items[0]?.iou).toBe(0.5);
    expect(metrics.relevantOnly['R@0.5']).toBe(1);
  });

  it('a hair below a threshold does not count', async () => {
    // IoU 2.999/10 < 0.3, 4.999/10 < 0.5, 6.999/10 < 0.7.
    const { metrics } = await evaluatePredictions([relevant(span(0, 2.999)), relevant(span(0, 4.999)), relevant(span(0, 6.999))]);
    expect(metrics.relevantOnly).toMatchObject({ 'R@0.3': 2 / 3, 'R@0.5': 1 / 3, 'R@0.7': 0 });
  });

  it('noAnswer: irrelevant decides an output without an answer as a refusal', async () => {
    const { metrics, items } = await evaluatePredictions(HAND, { noAnswer: 'irrelevant' });
    expect(items[6]?.cell).toBe('FN');
    expect(items[10]?.cell).toBe('TN');
    expect(items[10]?.raIoU).toBe(1);
    expect(metrics.relevance.confusion).toEqual({ TP: 5, FP: 1, FN: 2, TN: 3 });
  });

  it('profile strict reads spans in other notations, and a too-short refusal as no answer', async () => {
    const items = [relevant(`${think}<answer>0s to 5s</answer><correction>NIL</correction>`), irrelevant(refusal('No.'), 'easy', [])];
    const reference = await evaluatePredictions(items);
    expect(reference.items.map((item) => [item.answer, item.cell])).toEqual([['refusal', 'FN'], ['refusal', 'TN']]);
    const strict = await evaluatePredictions(items, { profile: 'strict' });
    expect(strict.items.map((item) => [item.answer, item.cell, item.raIoU])).toEqual([['span', 'TP', 0.5], ['none', 'FP', 0]]);
  });

  it('end tokens are stripped by default, and kept when asked', async () => {
    const item = irrelevant(`${refusal()}<|im_end|>`, 'easy', []);
    expect((await evaluatePredictions([item])).items[0]?.format).toBe(1);
    expect((await evaluatePredictions([item], { stripEndTokens: false })).items[0]?.format).toBe(0);
    // The refusal decision does not depend on the trailing token; the format does.
    expect((await evaluatePredictions([item], { stripEndTokens: false })).items[0]?.cell).toBe('TN');
  });

  it('breaks down by hardness level and by category', async () => {
    const { metrics } = await evaluatePredictions(HAND);
    expect(Object.keys(metrics.byHardness)).toEqual(['easy', 'hard', 'original']);
    expect(metrics.byHardness.original).toEqual({
      count: 7,
      relevant: 7,
      irrelevant: 0,
      accuracy: 5 / 7,
      confusion: { TP: 5, FP: 0, FN: 2, TN: 0 },
      raIoU: { mean: 2.5 / 7, count: 7, 'R@0.3': 4 / 7, 'R@0.5': 3 / 7, 'R@0.7': 2 / 7 },
    });
    expect(metrics.byHardness.easy).toMatchObject({ count: 2, accuracy: 0.5, confusion: { TP: 0, FP: 1, FN: 0, TN: 1 }, raIoU: { mean: 0.5 } });
    expect(metrics.byHardness.hard).toMatchObject({ count: 2, accuracy: 0.5, confusion: { TP: 0, FP: 1, FN: 0, TN: 1 } });
    expect(metrics.byCategory).toEqual({
      'Attribute/Counting': { count: 2, correct: 1, accuracy: 0.5 },
      'Object/ObjectExistence': { count: 2, correct: 2, accuracy: 1 },
    });
  });

  it('format rate', async () => {
    // r7 and i4 have no tags.
    expect((await evaluatePredictions(HAND)).metrics.formatRate).toBe(9 / 11);
  });
});

describe('evaluatePredictions: empty classes', () => {
  const nothingIsNaN = (metrics: EvaluationMetrics) => expect(JSON.stringify(metrics)).not.toMatch(/NaN|Infinity/);

  it('no item at all: every quotient is null', async () => {
    const { metrics } = await evaluatePredictions([]);
    nothingIsNaN(metrics);
    expect(metrics.count).toBe(0);
    expect(metrics.relevance.accuracy).toBeNull();
    expect(metrics.relevance.relevant).toEqual({ count: 0, predicted: 0, precision: null, recall: null, f1: null, accuracy: null, refusalRate: null });
    expect(metrics.raIoU).toEqual({ mean: null, count: 0, 'R@0.3': null, 'R@0.5': null, 'R@0.7': null });
    expect(metrics.relevantOnly.mIoU).toBeNull();
    expect(metrics.formatRate).toBeNull();
  });

  it('only relevant items, all right: the irrelevant class is null throughout', async () => {
    const { metrics } = await evaluatePredictions([relevant(span(0, 10)), relevant(span(0, 5))]);
    nothingIsNaN(metrics);
    expect(metrics.relevance.irrelevant).toEqual({ count: 0, predicted: 0, precision: null, recall: null, f1: null, accuracy: null, refusalRate: null });
    expect(metrics.relevance.relevant).toMatchObject({ precision: 1, recall: 1, f1: 1 });
  });

  it('only irrelevant items, some wrong: relevant recall is null, its precision and F1 are 0', async () => {
    const { metrics } = await evaluatePredictions([irrelevant(span(1, 2), 'easy', []), irrelevant(refusal(), 'easy', [])]);
    nothingIsNaN(metrics);
    expect(metrics.relevance.relevant).toEqual({ count: 0, predicted: 1, precision: 0, recall: null, f1: 0, accuracy: null, refusalRate: null });
    expect(metrics.relevantOnly).toEqual({ mIoU: null, count: 0, 'R@0.3': null, 'R@0.5': null, 'R@0.7': null });
  });

  it('a class never decided: its precision is null', async () => {
    const { metrics } = await evaluatePredictions([relevant(refusal())]);
    expect(metrics.relevance.relevant).toMatchObject({ predicted: 0, precision: null, recall: 0, f1: 0 });
  });
});

describe('evaluatePredictions: explanation similarity', () => {
  // Vectors by content: the reference text and a "GOOD" explanation point the same way, "BAD" the opposite way.
  const embedder: Embedder = {
    name: 'test-embedder',
    embed: async (texts) => texts.map((text) => (text.includes('BAD') ? [-1, 0] : text.includes('GOOD') || text.includes('No dog') ? [1, 0] : [0.6, 0.8])),
  };

  it('clips the cosine to [0, 1], counts a wrong decision as 0 in the mean, names the embedder', async () => {
    const items = [
      irrelevant(refusal('GOOD'), 'easy', []), // cos 1
      irrelevant(refusal('BAD'), 'easy', []), // cos -1 -> 0
      irrelevant(refusal('other'), 'easy', []), // cos 0.6
      irrelevant(span(1, 2), 'easy', []), // FP: scored (cos 0.6) but not a correct refusal
      irrelevant(refusal('GOOD'), 'easy', [], ''), // no reference text: left out
      relevant(span(0, 10)),
    ];
    const { metrics, items: results } = await evaluatePredictions(items, { embedder });
    expect(results.map((item) => item.similarity)).toEqual([1, 0, expect.closeTo(0.6, 12), expect.closeTo(0.6, 12), null, null]);
    expect(metrics.explanation).toEqual({
      embedder: 'test-embedder',
      count: 4,
      correctRefusals: 3,
      mean: expect.closeTo(1.6 / 4, 12),
      meanCorrectRefusals: expect.closeTo(1.6 / 3, 12),
      withoutReference: 1,
    });
  });

  it('is null without an embedder, and an empty explanation scores 0 without being embedded', async () => {
    expect((await evaluatePredictions(HAND)).metrics.explanation).toBeNull();
    const seen: string[] = [];
    const spy: Embedder = { embed: async (texts) => (seen.push(...texts), texts.map(() => [1, 0])) };
    const { items } = await evaluatePredictions([irrelevant('<answer></answer>', 'easy', [])], { embedder: spy, embedderName: 'spy' });
    expect(items[0]?.similarity).toBe(0);
    expect(seen).toEqual([]);
  });
});

describe('evaluatePredictions: errors', () => {
  it('a bad target throws a TargetError naming the item and field', async () => {
    await expect(evaluatePredictions([relevant(span(0, 1)), { completion: 'x', target: { relevant: true } }])).rejects.toThrow(
      new TargetError('evaluatePredictions', 'items[1].target.span', 'must be [start, end] seconds with 0 <= start <= end for a relevant target, got undefined'),
    );
    await expect(evaluatePredictions([{ completion: 'x', target: { relevant: 'yes' } } as unknown as EvaluationItem])).rejects.toThrow(/items\[0\]\.target\.relevant/);
    await expect(evaluatePredictions(HAND, { noAnswer: 'maybe' as 'wrong' })).rejects.toThrow(/options\.noAnswer/);
  });

  it('bad model output never throws', async () => {
    const { items } = await evaluatePredictions([{ completion: 42 as unknown as string, target: { relevant: true, span: [0, 1] } }]);
    expect(items[0]).toMatchObject({ answer: 'none', cell: 'FN', raIoU: 0 });
  });
});

describe('evaluatePredictions: properties', () => {
  const itemArb = fc.oneof(
    fc.record({ s: fc.integer({ min: 0, max: 50 }), l: fc.integer({ min: 1, max: 30 }), ps: fc.integer({ min: 0, max: 60 }), pl: fc.integer({ min: 0, max: 30 }), kind: fc.constantFrom('span', 'refusal', 'none') }).map(
      ({ s, l, ps, pl, kind }): EvaluationItem => ({ completion: kind === 'span' ? span(ps, ps + pl) : kind === 'refusal' ? refusal() : 'x', target: { relevant: true, span: [s, s + l] } }),
    ),
    fc.constantFrom(span(1, 2), refusal(), 'x').map((completion): EvaluationItem => ({ completion, target: { relevant: false } })),
  );

  it('cells add up, every rate is in [0, 1] or null, R@k falls with k', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(itemArb, { maxLength: 30 }), async (items) => {
        const { metrics, items: results } = await evaluatePredictions(items);
        const { TP, FP, FN, TN } = metrics.relevance.confusion;
        expect(TP + FP + FN + TN).toBe(items.length);
        expect(metrics.relevance.relevant.count + metrics.relevance.irrelevant.count).toBe(items.length);
        for (const value of [metrics.relevance.accuracy, metrics.raIoU.mean, metrics.raIoU['R@0.3'], metrics.relevantOnly.mIoU, metrics.relevance.relevant.f1, metrics.relevance.irrelevant.precision]) {
          if (value !== null) expect(value >= 0 && value <= 1).toBe(true);
        }
        const r = metrics.raIoU;
        if (r['R@0.3'] !== null) expect(r['R@0.3'] >= (r['R@0.5'] as number) && (r['R@0.5'] as number) >= (r['R@0.7'] as number)).toBe(true);
        // Mean RA-IoU is at most the accuracy: a wrong decision scores 0 and a right one at most 1.
        if (metrics.raIoU.mean !== null) expect(metrics.raIoU.mean).toBeLessThanOrEqual((metrics.relevance.accuracy as number) + 1e-12);
        expect(results.every((item) => item.correct === (item.cell === 'TP' || item.cell === 'TN'))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
