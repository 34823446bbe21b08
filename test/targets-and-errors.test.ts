import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type RaRftTarget,
  OptionsError,
  TargetError,
  explanationSimilarity,
  formatReward,
  groupRelativeAdvantage,
  isOptionsError,
  isRaRftError,
  isTargetError,
  plainIoU,
  queryCorrection,
  raRftReward,
  raRftRewardBatch,
  refuseIoU,
  timeLensIoU,
  timeR1IoU,
  trigramHashEmbedder,
  tvgR1Reward,
} from '../src/index.js';

const embedder = trigramHashEmbedder();
const completion = '<think>x</think><answer>1 to 2</answer><correction>NIL</correction>';

const badTargets: [string, unknown, string][] = [
  ['relevant without span', { relevant: true, duration: 10 }, 'target.span'],
  ['relevant without duration', { relevant: true, span: [1, 2] }, 'target.duration'],
  ['duration 0', { relevant: true, span: [1, 2], duration: 0 }, 'target.duration'],
  ['negative duration', { relevant: false, duration: -3 }, 'target.duration'],
  ['NaN duration', { relevant: true, span: [1, 2], duration: Number.NaN }, 'target.duration'],
  ['NaN span start', { relevant: true, span: [Number.NaN, 2], duration: 10 }, 'target.span[0]'],
  ['infinite span end', { relevant: true, span: [1, Infinity], duration: 10 }, 'target.span[1]'],
  ['end < start', { relevant: true, span: [5, 2], duration: 10 }, 'target.span'],
  ['negative start', { relevant: true, span: [-1, 2], duration: 10 }, 'target.span[0]'],
  ['span of three', { relevant: true, span: [1, 2, 3], duration: 10 }, 'target.span'],
  ['relevant not boolean', { relevant: 'yes', span: [1, 2], duration: 10 }, 'target.relevant'],
  ['query not a string', { relevant: false, query: 7 }, 'target.query'],
  ['null target', null, 'target'],
];

const syncRewards: [string, (target: RaRftTarget) => unknown][] = [
  ['refuseIoU', (t) => refuseIoU(completion, t)],
  ['plainIoU', (t) => plainIoU(completion, t)],
  ['timeR1IoU', (t) => timeR1IoU(completion, t)],
  ['tvgR1Reward', (t) => tvgR1Reward(completion, t)],
  ['timeLensIoU', (t) => timeLensIoU(completion, t)],
];
const asyncRewards: [string, (target: RaRftTarget) => Promise<unknown>][] = [
  ['explanationSimilarity', (t) => explanationSimilarity(completion, t, { embedder })],
  ['queryCorrection', (t) => queryCorrection(completion, t, { embedder })],
  ['raRftReward', (t) => raRftReward(completion, t, { embedder })],
];

describe('bad targets throw a TargetError naming the function and the field', () => {
  for (const [label, target, field] of badTargets) {
    it.each(syncRewards)(`${label}: %s`, (fn, score) => {
      let caught: unknown;
      try {
        score(target as RaRftTarget);
      } catch (error) {
        caught = error;
      }
      expect(isTargetError(caught)).toBe(true);
      expect(isRaRftError(caught)).toBe(true);
      expect((caught as TargetError).fn).toBe(fn);
      expect((caught as TargetError).field).toBe(field);
      expect((caught as Error).message.startsWith(`${fn}: ${field} `)).toBe(true);
    });
    it.each(asyncRewards)(`${label}: %s`, async (fn, score) => {
      const error = await score(target as RaRftTarget).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TargetError);
      expect((error as TargetError).fn).toBe(fn);
      expect((error as TargetError).field).toBe(field);
    });
  }

  it('embedding rewards need reference texts', async () => {
    const error = await explanationSimilarity(completion, { relevant: false }, { embedder }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetError);
    expect((error as TargetError).field).toBe('target.answer');
  });
});

describe('the target check accepts exactly the documented targets', () => {
  // Values near every boundary the check draws, in every field.
  const number = fc.constantFrom(0, -0, 1, 2.5, -1, 1e308, Number.MAX_VALUE, Infinity, -Infinity, Number.NaN);
  const anything = fc.oneof(number, fc.constantFrom(undefined, null, 'x', true, [], {}));
  const span = fc.oneof(fc.tuple(number, number), fc.tuple(anything, anything), fc.array(number, { maxLength: 3 }), anything);
  const target = fc.record(
    { relevant: fc.oneof(fc.boolean(), anything), span, duration: fc.oneof(number, anything), answer: anything, contrast: anything, query: anything },
    { requiredKeys: [] },
  );
  const isFinite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
  const documented = (t: Record<string, unknown>): boolean => {
    if (typeof t.relevant !== 'boolean') return false;
    if (t.span === undefined ? t.relevant : !(Array.isArray(t.span) && t.span.length === 2 && isFinite(t.span[0]) && isFinite(t.span[1]) && t.span[0] >= 0 && t.span[1] >= t.span[0])) return false;
    if (t.duration === undefined ? t.relevant : !(isFinite(t.duration) && t.duration > 0)) return false;
    return ['answer', 'contrast', 'query'].every((field) => t[field] === undefined || typeof t[field] === 'string');
  };

  it('refuseIoU throws a TargetError exactly when the target breaks a documented rule', () => {
    fc.assert(
      fc.property(target, (t) => {
        let caught: unknown;
        try {
          refuseIoU(completion, t as RaRftTarget);
        } catch (error) {
          caught = error;
        }
        expect(caught === undefined).toBe(documented(t));
        if (caught !== undefined) expect(isTargetError(caught)).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });
});

describe('bad options throw an OptionsError naming the field', () => {
  const target: RaRftTarget = { relevant: true, span: [1, 2], duration: 10, answer: '1 to 2', contrast: 'no', query: 'q' };

  it('names each field', async () => {
    const cases: [() => unknown, string][] = [
      [() => refuseIoU(completion, target, { profile: 'lenient' as 'strict' }), 'options.profile'],
      [() => refuseIoU(completion, target, { minRefusalWords: -1 }), 'options.minRefusalWords'],
      [() => formatReward(completion, { profile: 'x' as 'r1' }), 'options.profile'],
      [() => groupRelativeAdvantage([1, 2, 3], { groupSize: 2 }), 'rewards'],
      [() => groupRelativeAdvantage([1, 2], { groupSize: 0 }), 'options.groupSize'],
      [() => groupRelativeAdvantage([1, 2], { groupSize: 1.5 }), 'options.groupSize'],
      [() => groupRelativeAdvantage([1, 2], { groupSize: 2, epsilon: -1 }), 'options.epsilon'],
      [() => groupRelativeAdvantage([1, Infinity], { groupSize: 2 }), 'rewards[1]'],
      [() => groupRelativeAdvantage([1, 2], { groupSize: 2, scale: 'global' as 'batch' }), 'options.scale'],
      [() => plainIoU(completion, target, { emptyUnionScore: Number.NaN }), 'options.emptyUnionScore'],
    ];
    for (const [call, field] of cases) {
      let caught: unknown;
      try {
        call();
      } catch (error) {
        caught = error;
      }
      expect(isOptionsError(caught), field).toBe(true);
      expect((caught as OptionsError).field).toBe(field);
    }
    const asyncCases: [() => Promise<unknown>, string][] = [
      [() => queryCorrection(completion, target), 'options.embedder'],
      [() => queryCorrection(completion, target, { metric: 'cosine' as 'embedding', embedder }), 'options.metric'],
      [() => raRftReward(completion, target, { embedder: {} as typeof embedder }), 'options.embedder'],
      [() => raRftReward(completion, target, { embedder, weights: { format: Number.NaN } }), 'options.weights.format'],
      [() => raRftReward(completion, target, { embedder, weights: { style: 1 } as never }), 'options.weights.style'],
      [() => raRftRewardBatch([completion, completion], [target], { embedder }), 'targets'],
      [() => raRftReward(completion, target, { embedder: { embed: async () => [] } }), 'options.embedder'],
    ];
    for (const [call, field] of asyncCases) {
      const error = await call().catch((e: unknown) => e);
      expect(isOptionsError(error), field).toBe(true);
      expect((error as OptionsError).field).toBe(field);
    }
  });
});

describe('bad model output never throws', () => {
  const target: RaRftTarget = { relevant: true, span: [1, 2], duration: 10, answer: '1 to 2', contrast: 'no', query: 'q' };
  it.each([[''], ['<answer>'], ['</answer><answer>'], ['<answer>999999999999999999999999999999 to 1e400</answer>'], [undefined], [null], [5]])(
    'scores %j',
    async (output) => {
      const text = output as unknown as string;
      expect(Number.isFinite(refuseIoU(text, target))).toBe(true);
      expect(Number.isFinite(formatReward(text))).toBe(true);
      const all = await raRftReward(text, target, { embedder });
      expect(Number.isFinite(all.total)).toBe(true);
    },
  );
});
