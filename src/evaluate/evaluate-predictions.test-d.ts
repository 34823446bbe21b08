import { describe, expectTypeOf, it } from 'vitest';
import type { RaRftTarget } from '../types.js';
import { evaluatePredictions } from './evaluate-predictions.js';
import type { EvaluationItem, EvaluationResult, Judge } from './types.js';

describe('evaluatePredictions types', () => {
  it('takes items of {completion, target} and resolves to metrics whose quotients may be null', () => {
    expectTypeOf(evaluatePredictions).parameter(0).toEqualTypeOf<readonly EvaluationItem[]>();
    expectTypeOf(evaluatePredictions).returns.resolves.toEqualTypeOf<EvaluationResult>();
    expectTypeOf<EvaluationItem['target']>().toEqualTypeOf<RaRftTarget>();
    expectTypeOf<EvaluationResult['metrics']['relevance']['relevant']['precision']>().toEqualTypeOf<number | null>();
    expectTypeOf<EvaluationResult['metrics']['raIoU']['R@0.5']>().toEqualTypeOf<number | null>();
    expectTypeOf<EvaluationResult['metrics']['relevance']['confusion']>().toEqualTypeOf<Record<'TP' | 'FP' | 'FN' | 'TN', number>>();
    expectTypeOf<EvaluationResult['items'][number]['decision']>().toEqualTypeOf<'relevant' | 'irrelevant'>();
  });

  it('accepts any Judge and rejects unknown options', () => {
    const judge: Judge = { name: 'j', scoreReasoning: async () => 3, extractCategories: async () => [] };
    expectTypeOf(evaluatePredictions).toBeCallableWith([], { judge, noAnswer: 'irrelevant', stripEndTokens: { extraTokens: ['[EOS]'] } });
    // @ts-expect-error: noAnswer is 'wrong' or 'irrelevant'
    void evaluatePredictions([], { noAnswer: 'skip' });
  });
});
