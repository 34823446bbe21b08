// The evaluation protocol on the HI-VTG annotations with synthesized outputs of known decision and IoU: the
// metrics of evaluatePredictions equal an independent computation written here from the protocol's definitions.
import { describe, expect, it } from 'vitest';
import { evaluatePredictions, parseEvaluationInput } from '../src/evaluate/index.js';
import { readHiVtg } from './helpers/shared.js';

interface Entry {
  q: string;
  a: string;
  r: boolean;
  c?: string[];
  difficulty?: string | null;
}
interface Item {
  video: string;
  timestamp: [number, number];
  duration: number;
  GRPO: Entry[];
}

type Decision = 'relevant' | 'irrelevant';
interface Known {
  truth: Decision;
  decision: Decision;
  /** Whether the output has an answer tag without a span (the trainer's "refusal"). */
  refusal: boolean;
  hasAnswer: boolean;
  predicted: [number, number] | null;
  gt: [number, number] | null;
  level: string | undefined;
  categories: string[];
}

const fmt = (x: number) => Number(x.toFixed(2));
const think = '<think>I check the query against the video.</think>';
const withSpan = (s: number, e: number) => `${think}<answer>${fmt(s)} to ${fmt(e)}</answer><correction>NIL</correction>`;
const withRefusal = (text: string) => `${think}<answer>${text}</answer><correction>someone does something.</correction>`;
const noAnswer = `${think} I am not sure.`;

/** Outputs with a known decision and span, cycling over the modes; every third one ends with an end token. */
function synthesize(items: Item[]): { records: unknown[]; known: Known[] } {
  const records: unknown[] = [];
  const known: Known[] = [];
  items.forEach((item, i) => {
    const [s, e] = item.timestamp;
    const length = e - s;
    const completions = item.GRPO.map((entry, k): string => {
      const level = entry.difficulty ?? undefined;
      const categories = entry.c ?? [];
      const base = { level: level === '' ? undefined : level, categories, gt: entry.r ? ([s, e] as [number, number]) : null };
      let text: string;
      let info: Omit<Known, 'level' | 'categories' | 'gt'>;
      if (entry.r) {
        const mode = i % 6;
        const spans: ([number, number] | null)[] = [[s, e], [s, s + 0.5 * length], [s + 0.3 * length, e + 0.3 * length], null, null, [e + 5, e + 10]];
        const span = spans[mode] ?? null;
        if (span !== null) {
          text = withSpan(span[0], span[1]);
          info = { truth: 'relevant', decision: 'relevant', refusal: false, hasAnswer: true, predicted: [fmt(span[0]), fmt(span[1])] };
        } else if (mode === 3) {
          text = withRefusal('This query does not match the video.');
          info = { truth: 'relevant', decision: 'irrelevant', refusal: true, hasAnswer: true, predicted: null };
        } else {
          text = noAnswer;
          info = { truth: 'relevant', decision: 'irrelevant', refusal: false, hasAnswer: false, predicted: null };
        }
      } else {
        const mode = (i + k) % 4;
        if (mode <= 1) {
          text = withRefusal(entry.a.replace(/<\/?answer>/g, ''));
          info = { truth: 'irrelevant', decision: 'irrelevant', refusal: true, hasAnswer: true, predicted: null };
        } else if (mode === 2) {
          text = withSpan(s, e);
          info = { truth: 'irrelevant', decision: 'relevant', refusal: false, hasAnswer: true, predicted: [fmt(s), fmt(e)] };
        } else {
          text = noAnswer;
          info = { truth: 'irrelevant', decision: 'relevant', refusal: false, hasAnswer: false, predicted: null };
        }
      }
      known.push({ ...info, ...base });
      return (i + k) % 3 === 0 ? `${text}<|im_end|>` : text;
    });
    records.push({ ...item, completions });
  });
  return { records, known };
}

// ---- the independent computation, from the protocol's definitions ----
// Intersection over the hull, which is the union wherever the spans overlap (the reference writes the union as
// len₁ + len₂ − inter: the same number up to rounding; see docs/evaluate.md on ties).
function iou(a: [number, number], b: [number, number]): number {
  const inter = Math.min(a[1], b[1]) - Math.max(a[0], b[0]);
  return inter > 0 ? inter / (Math.max(a[1], b[1]) - Math.min(a[0], b[0])) : 0;
}
const raIoUOf = (k: Known) => (k.decision !== k.truth ? 0 : k.truth === 'irrelevant' ? 1 : iou(k.predicted as [number, number], k.gt as [number, number]));
const share = (xs: boolean[]) => xs.filter(Boolean).length / xs.length;
const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
function binary(tp: number, fp: number, fn: number) {
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  return { precision, recall, f1: (2 * precision * recall) / (precision + recall) };
}

describe('evaluate on HI-VTG with synthesized outputs', () => {
  const items = [...(readHiVtg('hi_vtg_charades.json') as Item[]), ...(readHiVtg('hi_vtg_tvgbench.json') as Item[])];
  const { records, known } = synthesize(items);
  const input = parseEvaluationInput(JSON.stringify(records));

  it('reads every item', () => {
    expect(input.errors).toEqual([]);
    expect(input.kinds).toEqual(['hi-vtg']);
    expect(input.items).toHaveLength(known.length);
    expect(known.length).toBe(2 * items.length);
  });

  it('metrics equal the independent computation', async () => {
    const { metrics, items: results } = await evaluatePredictions(input.items);
    const cells = { TP: 0, FP: 0, FN: 0, TN: 0 };
    for (const k of known) cells[k.truth === 'relevant' ? (k.decision === 'relevant' ? 'TP' : 'FN') : k.decision === 'irrelevant' ? 'TN' : 'FP']++;
    expect(metrics.relevance.confusion).toEqual(cells);
    expect(Object.values(cells).every((n) => n > 100)).toBe(true);
    expect(metrics.relevance.accuracy).toBeCloseTo(share(known.map((k) => k.decision === k.truth)), 12);

    const rel = binary(cells.TP, cells.FP, cells.FN);
    const irr = binary(cells.TN, cells.FN, cells.FP);
    for (const [got, want] of [
      [metrics.relevance.relevant, rel],
      [metrics.relevance.irrelevant, irr],
    ] as const) {
      expect(got.precision).toBeCloseTo(want.precision, 12);
      expect(got.recall).toBeCloseTo(want.recall, 12);
      expect(got.f1).toBeCloseTo(want.f1, 12);
      expect(got.accuracy).toBeCloseTo(want.recall, 12);
    }

    const ra = known.map(raIoUOf);
    expect(results.map((r) => r.raIoU)).toEqual(ra.map((x) => expect.closeTo(x, 12)));
    expect(metrics.raIoU.mean).toBeCloseTo(avg(ra), 12);
    for (const k of [0.3, 0.5, 0.7] as const) expect(metrics.raIoU[`R@${k}`]).toBeCloseTo(share(ra.map((x) => x >= k)), 12);

    const relevantIoU = known.filter((k) => k.truth === 'relevant').map((k) => (k.predicted === null ? 0 : iou(k.predicted, k.gt as [number, number])));
    expect(metrics.relevantOnly.mIoU).toBeCloseTo(avg(relevantIoU), 12);
    for (const k of [0.3, 0.5, 0.7] as const) expect(metrics.relevantOnly[`R@${k}`]).toBeCloseTo(share(relevantIoU.map((x) => x >= k)), 12);

    const levels = [...new Set(known.flatMap((k) => (k.level === undefined ? [] : [k.level])))].sort();
    expect(Object.keys(metrics.byHardness)).toEqual(levels);
    for (const level of levels) {
      const members = known.filter((k) => k.level === level);
      expect(metrics.byHardness[level]?.count).toBe(members.length);
      expect(metrics.byHardness[level]?.accuracy).toBeCloseTo(share(members.map((k) => k.decision === k.truth)), 12);
      expect(metrics.byHardness[level]?.raIoU.mean).toBeCloseTo(avg(members.map(raIoUOf)), 12);
    }

    const labels = [...new Set(known.filter((k) => k.truth === 'irrelevant').flatMap((k) => k.categories))].sort();
    expect(Object.keys(metrics.byCategory)).toEqual(labels);
    for (const label of labels) {
      const members = known.filter((k) => k.truth === 'irrelevant' && k.categories.includes(label));
      expect(metrics.byCategory[label]).toEqual({ count: members.length, correct: members.filter((k) => k.decision === 'irrelevant').length, accuracy: expect.closeTo(share(members.map((k) => k.decision === 'irrelevant')), 12) });
    }
    expect(metrics.formatRate).toBeCloseTo(share(known.map((k) => k.hasAnswer)), 12);
  });

  it("serves the trainer's held-out metrics (refusal accuracy, false refusals, mIoU, R@0.5, format rate)", async () => {
    // The trainer's definitions (src/trainer/evaluate.ts): refusal accuracy = irrelevant items whose answer has no
    // span; false-refusal rate = relevant items whose answer has no span; an output without an answer is neither.
    const { metrics } = await evaluatePredictions(input.items, { noAnswer: 'wrong' });
    const relevant = known.filter((k) => k.truth === 'relevant');
    const irrelevant = known.filter((k) => k.truth === 'irrelevant');
    expect(metrics.relevance.irrelevant.accuracy).toBeCloseTo(share(irrelevant.map((k) => k.refusal)), 12);
    expect(metrics.relevance.relevant.refusalRate).toBeCloseTo(share(relevant.map((k) => k.refusal)), 12);
    expect(metrics.relevantOnly.mIoU).toBeCloseTo(avg(relevant.map((k) => (k.predicted === null ? 0 : iou(k.predicted, k.gt as [number, number])))), 12);
    expect(metrics.relevantOnly['R@0.5']).toBeCloseTo(share(relevant.map((k) => k.predicted !== null && iou(k.predicted, k.gt as [number, number]) >= 0.5)), 12);
    expect(metrics.relevance.relevant.count).toBe(relevant.length);
    expect(metrics.relevance.irrelevant.count).toBe(irrelevant.length);
  });
});
