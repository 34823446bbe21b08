// The trainer's held-out metrics come from ra-rft-rewards/evaluate; this pins them to the trainer's own
// definitions, restated here independently, on completions of every kind.
import { describe, expect, it } from 'vitest';
import { formatReward } from '../format/format-reward.js';
import { temporalIoU } from '../grounding/temporal-iou.js';
import type { Span } from '../types.js';
import { answerSpan, evaluateCompletions } from './evaluate.js';
import { Rng } from '../internal/rng.js';
import { EVENT_CATEGORIES, SyntheticHiVtgTask } from './task.js';

describe('evaluateCompletions', () => {
  it('equals the trainer definitions: refusal accuracy, false refusals, mIoU, R@0.5, format rate', async () => {
    const task = new SyntheticHiVtgTask();
    const rng = new Rng(7);
    const samples = Array.from({ length: 200 }, (_, i) => task.sample(rng, i % 2 === 0 ? 'relevant' : (EVENT_CATEGORIES[i % 3] ?? 'object')));
    const kinds = (i: number, span: Span | undefined): string => {
      const [s, e] = span ?? [3, 9];
      switch (i % 6) {
        case 0: return `<think> t </think> <answer> ${s} to ${e} </answer> <correction> NIL </correction>`;
        case 1: return `<think> t </think> <answer> ${s + 2} to ${e + 5} </answer> <correction> NIL </correction>`;
        case 2: return `<think> t </think> <answer> not a but b </answer> <correction> q </correction>`;
        case 3: return `<answer> ${s} to ${e} </answer>`;
        case 4: return 'no tags at all';
        default: return `<think> t </think> <answer> </answer> <correction> q </correction>`;
      }
    };
    const completions = samples.map((sample, i) => kinds(i, sample.target.span));
    const relevant = samples.flatMap((s, i) => (s.relevant ? [i] : []));
    const irrelevant = samples.flatMap((s, i) => (s.relevant ? [] : [i]));
    const hasAnswer = (c: string) => c.includes('<answer>');
    const iou = (i: number) => {
      const span = answerSpan(completions[i] as string);
      return span === null ? 0 : temporalIoU(span, samples[i]?.target.span as Span);
    };
    const want = {
      refusalAccuracy: irrelevant.filter((i) => hasAnswer(completions[i] as string) && answerSpan(completions[i] as string) === null).length / irrelevant.length,
      falseRefusalRate: relevant.filter((i) => hasAnswer(completions[i] as string) && answerSpan(completions[i] as string) === null).length / relevant.length,
      mIoU: relevant.reduce((sum, i) => sum + iou(i), 0) / relevant.length,
      recallAt05: relevant.filter((i) => iou(i) >= 0.5).length / relevant.length,
      formatRate: completions.reduce((sum, c) => sum + formatReward(c), 0) / completions.length,
      relevantCount: relevant.length,
      irrelevantCount: irrelevant.length,
    };
    const got = await evaluateCompletions(samples, completions);
    for (const [key, value] of Object.entries(want)) expect(got[key as keyof typeof got], key).toBeCloseTo(value, 12);
    expect(want.refusalAccuracy).toBeGreaterThan(0);
    expect(want.falseRefusalRate).toBeGreaterThan(0);
  });

  it('gives 0, not NaN, for an empty class', async () => {
    const task = new SyntheticHiVtgTask();
    const sample = task.sample(new Rng(1), 'relevant');
    const got = await evaluateCompletions([sample], ['<answer> 1 to 2 </answer>']);
    expect(got.refusalAccuracy).toBe(0);
    expect(got.irrelevantCount).toBe(0);
  });
});
