import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { timeSearchReward } from './time-search-reward.js';

const target = { relevant: true, span: [8.2, 13.6], duration: 16.75 } as const;
const answer = (json: string): string => `<think>t</think><answer>${json}</answer>`;

describe('timeSearchReward (worked from Time-Search/TimeSearch-R v7.py)', () => {
  it('weights format 1, accuracy 0.5, counterfactual 0.5', () => {
    expect(timeSearchReward(answer('{"start_time": 9, "end_time": 13.6}'), target)).toEqual({ total: 1 + 0.5 * (4.6 / 5.4), format: 1, accuracy: 4.6 / 5.4, counterfactual: 0 });
  });

  it('the counterfactual part needs the visual-trace answer right too; above 0.5 both count as 1', () => {
    const r = timeSearchReward(answer('{"start_time": 9, "end_time": 13.6}'), target, { visualTraceAnswer: '{"start_time": 8.2, "end_time": 12}' });
    expect(r.counterfactual).toBe(1);
    expect(timeSearchReward(answer('{"start_time": 8.2, "end_time": 9}'), target, { visualTraceAnswer: '{"start_time": 8.2, "end_time": 13.6}' }).counterfactual).toBeCloseTo(0.8 / 5.4, 15);
  });

  it('string timestamps, reversed spans and two answers score no accuracy', () => {
    expect(timeSearchReward(answer('{"start_time": "8.2", "end_time": "13.6"}'), target).accuracy).toBe(0);
    expect(timeSearchReward(answer('{"start_time": 13.6, "end_time": 8.2}'), target).accuracy).toBe(0);
    expect(timeSearchReward(answer('{"start_time": 8.2, "end_time": 13.6}'), target, { priorTurns: [answer('{"start_time": 8.2, "end_time": 13.6}')] }).accuracy).toBe(0);
  });

  it('checks tool-call turns and rejects a turn with both tags', () => {
    const tool = '<think>look</think><tool_call>{"name": "seek"}</tool_call>';
    expect(timeSearchReward(answer('{"start_time": 8.2, "end_time": 13.6}'), target, { priorTurns: [tool] }).format).toBe(1);
    expect(timeSearchReward(answer('{"start_time": 8.2, "end_time": 13.6}'), target, { priorTurns: ['<tool_call>x</tool_call>'] }).format).toBe(0);
    expect(timeSearchReward(`${answer('{"start_time": 8.2, "end_time": 13.6}')}<tool_call>`, target).total).toBe(0);
  });

  it('a NaN part counts 0 (the trainer\'s nansum); never throws on model output', () => {
    expect(timeSearchReward(answer('{"start_time": NaN, "end_time": 9}'), target).total).toBe(1);
    fc.assert(fc.property(fc.string(), (text) => timeSearchReward(text, target, { visualTraceAnswer: text }).total <= 2));
  });
});
