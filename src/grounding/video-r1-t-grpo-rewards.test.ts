import { describe, expect, it } from 'vitest';
import { videoR1TGrpoRewards } from './video-r1-t-grpo-rewards.js';

const target = { relevant: true, span: [8.2, 13.6], duration: 16.75 } as const;
const good = '<think>t</think><answer>8.2 to 13.6</answer>';
const near = '<think>t</think><answer>9 to 13.6</answer>';
const bad = '<think>t</think><answer>0 to 1</answer>';

describe('videoR1TGrpoRewards (worked from tulerfeng/Video-R1 grpo_trainer.py)', () => {
  it('adds 0.3 to accuracies above 0.1 when ordered frames do at least 0.8 × as well as shuffled ones', () => {
    // ordered mean (1 + 0) / 2 = 0.5 ≥ 0.8 × 0.6 = 0.48 with a shuffled mean of 0.6.
    const shuffledMean06 = '<think>t</think><answer>8.2 to 11.44</answer>';
    expect(videoR1TGrpoRewards([good, bad], target, { shuffledCompletions: [shuffledMean06] })).toEqual([2.3, 1]);
    expect(videoR1TGrpoRewards([good, bad], target, { shuffledCompletions: [good] })).toEqual([2, 1]);
  });

  it('the format is not stripped: a trailing newline loses it', () => {
    expect(videoR1TGrpoRewards([`${good}\n`], target)).toEqual([1]);
  });

  it('without shuffled completions there is no bonus; a custom accuracy is used', () => {
    expect(videoR1TGrpoRewards([good, near], target)).toEqual([2, 1 + 4.6 / 5.4]);
    expect(videoR1TGrpoRewards([good], target, { accuracy: () => 0.5, shuffledCompletions: [bad] })).toEqual([1.8]);
  });
});
