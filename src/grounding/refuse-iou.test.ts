import { describe, expect, it } from 'vitest';
import { classifyAnswer } from './classify-answer.js';
import { refuseIoU } from './refuse-iou.js';

describe('refuseIoU strict', () => {
  it('cuts a gold span that ends past the stated duration at the video end, like the prediction', () => {
    // TVGBench annotations can end after `duration`: the exact answer still scores 1, and no overshoot more.
    const target = { relevant: true, span: [28.7, 34] as const, duration: 31.12 };
    expect(refuseIoU('<answer>28.7 to 34</answer>', target, { profile: 'strict' })).toBe(1);
    expect(refuseIoU('<answer>28.7 to 62.24</answer>', target, { profile: 'strict' })).toBe(1);
    expect(refuseIoU('<answer>28.7 to 31.12</answer>', target, { profile: 'strict' })).toBe(1);
    expect(refuseIoU('<answer>28.7 to 30</answer>', target, { profile: 'strict' })).toBeLessThan(1);
  });

  it('classifyAnswer says refusal exactly where refuseIoU pays an irrelevant target 1, for any minRefusalWords', () => {
    const answers = ['', 'No.', 'Never happens here.', 'It is not in the video at all.', '3 to 5', 'No one, 3 to 5 people.', '[1, 2]'];
    for (const minRefusalWords of [0, 1, 2, 3, 5, 8]) {
      for (const profile of ['ra-rft', 'strict'] as const) {
        for (const text of answers) {
          const completion = `<think>t</think><answer>${text}</answer><correction>NIL</correction>`;
          const paid = refuseIoU(completion, { relevant: false }, { profile, minRefusalWords }) === 1;
          expect(classifyAnswer(completion, { profile, minRefusalWords }) === 'refusal', `${profile} ${minRefusalWords} ${text}`).toBe(paid);
        }
      }
    }
  });
});
