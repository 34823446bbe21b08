import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOptionsError } from '../errors.js';
import { taroReward } from './taro-reward.js';

const target = { relevant: true, span: [8.2, 13.6], duration: 16.75 } as const;

describe('taroReward (worked from oceanflowlab/TaRO src/rewards.py)', () => {
  it('pays format + distance-weighted IoU in training, the IoU in evaluation', () => {
    const text = '<think>t</think><answer>4.88s to 12.68s</answer>';
    const gold = { relevant: true, span: [3.1, 10.9], duration: 30.04 } as const;
    expect(taroReward(text, gold).iouScore).toBeCloseTo(0.5561288694838225, 15);
    expect(taroReward(text, gold, { split: 'eval' }).score).toBeCloseTo(1.62839248434238, 14);
  });

  it('cuts the gold span at the video end before the IoU', () => {
    // gold [8, 20] in a 16 s video reads [8, 16]: the prediction [8, 16] has IoU 1.
    expect(taroReward('<think>t</think><answer>8s to 16s</answer>', { relevant: true, span: [8, 20], duration: 16 }).iou).toBe(1);
  });

  it('needs the s on both timestamps, and one of each tag', () => {
    expect(taroReward('<think>t</think><answer>8.2 to 13.6</answer>', target).score).toBe(1);
    expect(taroReward('<think>t</think><answer>1s to 2s</answer><answer>8.2s to 13.6s</answer>', target)).toMatchObject({ format: 0, iou: 1 });
  });

  it('adds the temporal bonus only above the threshold and with IoU ≥ 0.7', () => {
    const exact = '<think>t</think><answer>8.2s to 13.6s</answer>';
    expect(taroReward(exact, target, { diffLogProb: 0.4, diffLogProbThresh: 0.4 }).score).toBe(2);
    expect(taroReward(exact, target, { diffLogProb: 0.5, diffLogProbThresh: 0.4 }).score).toBe(2.3);
    const far = taroReward('<think>t</think><answer>8.2s to 10s</answer>', target, { diffLogProb: 1, diffLogProbThresh: 0 });
    expect([far.temporal, far.score < 2]).toEqual([0.3, true]);
  });

  it('never throws on model output and stays in [0, 2 + alpha]', () => {
    fc.assert(fc.property(fc.string(), (text) => {
      const r = taroReward(text, target, { diffLogProb: 1, diffLogProbThresh: 0 });
      return r.score >= 0 && r.score <= 2.3 + 1e-12;
    }));
  });

  it('rejects bad options with an OptionsError naming the field', () => {
    for (const bad of [{ split: 'test' }, { diffLogProb: 1 }, { tempAlpha: Number.NaN }] as const) {
      expect(() => taroReward('', target, bad as never)).toSatisfy((fn: () => unknown) => {
        try {
          fn();
          return false;
        } catch (error) {
          return isOptionsError(error);
        }
      });
    }
  });
});
