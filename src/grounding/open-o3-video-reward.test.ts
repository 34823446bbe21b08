import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openO3VideoReward } from './open-o3-video-reward.js';

const target = { relevant: true, span: [8.2, 13.6], duration: 16.75 } as const;

describe('openO3VideoReward (worked from marinero4972/Open-o3-Video reward_func.py)', () => {
  it('format: 1 with two <t> in the reasoning, 0.5 with fewer, 0 with unpaired tags', () => {
    expect(openO3VideoReward('<think>at <t>9</t>s, <t>10</t>s</think><answer>x</answer>', target).format).toBe(1);
    expect(openO3VideoReward('<think>at <t>9</t>s</think><answer>x</answer>', target).format).toBe(0.5);
    expect(openO3VideoReward('<think>at <t>9</t>s <obj></think><answer>x</answer>', target).format).toBe(0);
  });

  it('answer tIoU reads <t>S</t>s to <t>E</t>s; reversed spans score 0', () => {
    expect(openO3VideoReward('<think></think><answer><t>8.2</t>s to <t>10.9</t>s</answer>', target).answerTIoU).toBeCloseTo(0.5, 15);
    expect(openO3VideoReward('<think></think><answer><t>13.6</t>s to <t>8.2</t>s</answer>', target).answerTIoU).toBe(0);
  });

  it('one malformed timestamp in the reasoning voids the segment part', () => {
    expect(openO3VideoReward('<think><t>9</t>s <t>1.2.3</t>s</think><answer>x</answer>', target).thinkSegment).toBe(0);
  });

  it('the key-frame width narrows with training progress', () => {
    const text = '<think>At <t>9</t>s.</think><answer>x</answer>';
    const early = openO3VideoReward(text, target, { keyFrames: [11], stepPercent: 0 }).keyFramePoint;
    const late = openO3VideoReward(text, target, { keyFrames: [11], stepPercent: 0.9 }).keyFramePoint;
    expect([early, late]).toEqual([Math.exp(-4 / 32), Math.exp(-2)]);
  });

  it('never throws on model output', () => {
    fc.assert(fc.property(fc.string(), (text) => openO3VideoReward(text, target).total <= 3));
  });
});
