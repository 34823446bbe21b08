import { OptionsError } from '../errors.js';
import { countOccurrences, firstTagContent } from '../internal/tags.js';
import { pyFloat } from '../internal/python-float.js';
import { parseOpenO3VideoSpan } from '../internal/parsers/parse-open-o3-video-span.js';
import { pyMax, pyMin } from '../internal/iou.js';
import { assertFiniteNumber, assertTarget } from '../internal/validate.js';
import type { RaRftTarget, Span } from '../types.js';

/** Options of {@link openO3VideoReward}: the per-sample inputs of the key-frame point score. */
export interface OpenO3VideoRewardOptions {
  /**
   * Times (seconds) of the sample's annotated key frames (`key_frames[i]["time"]`). When given, the key-frame
   * point score is added (upstream pays it on its spatio-temporal samples); without it that part is 0, as on
   * Open-o3 Video's `temporal QA` samples.
   */
  keyFrames?: readonly number[] | undefined;
  /** Training progress `current_step / total_steps` in [0, 1] (`step_percent`); sets the point score's width. Default 0. */
  stepPercent?: number | undefined;
}

/** The temporal parts of Open-o3 Video's reward for one completion, and their sum. */
export interface OpenO3VideoRewardResult {
  /** `format + answerTIoU + thinkSegment + keyFramePoint`. */
  total: number;
  /** 1 with at least two `<t>` in `<think>`, 0.5 with fewer, 0 when the layout or the tag pairs are broken. */
  format: number;
  /** IoU of the answer's `<t>S</t>s to <t>E</t>s` with the gold span (`ans_tiou`). */
  answerTIoU: number;
  /** Share of the `<t>…</t>s` timestamps in `<think>` that fall in the gold span (`thk_temporal_segment`). */
  thinkSegment: number;
  /** Mean Gaussian closeness of those timestamps to the nearest key frame (`thk_temporal_point`); 0 without key frames. */
  keyFramePoint: number;
}

const THINK_TIME = /<t>([\p{Nd}.]+)<\/t>s/gu;

/** `format_reward` for a `temporal QA` sample. */
function openO3Format(text: string, think: string | null): number {
  if (think === null || firstTagContent(text, '<answer>', '</answer>') === null) return 0;
  if (countOccurrences(text, '<think>') !== countOccurrences(text, '</think>')) return 0;
  if (countOccurrences(text, '<answer>') !== countOccurrences(text, '</answer>')) return 0;
  for (const [open, close] of [['<obj>', '</obj>'], ['<t>', '</t>'], ['<box>', '</box>']] as const) {
    if (countOccurrences(think, open) !== countOccurrences(think, close)) return 0;
  }
  return countOccurrences(think, '<t>') >= 2 ? 1 : 0.5;
}

/** `ans_tiou_reward` for a `temporal QA` sample. */
function answerTIoU(text: string, gold: Span): number {
  const span = parseOpenO3VideoSpan(text);
  if (span === null) return 0;
  const [start, end] = span;
  if (end < start) return 0;
  const intersection = pyMax(0, pyMin(end, gold[1]) - pyMax(start, gold[0]));
  const union = pyMax(end, gold[1]) - pyMin(start, gold[0]);
  return union !== 0 ? intersection / union : 0;
}

/** The `<t>…</t>s` timestamps of `<think>`, or `null` where one of them is not a Python float (upstream: no reward). */
function thinkTimes(think: string): number[] | null {
  const times: number[] = [];
  for (const match of think.matchAll(THINK_TIME)) {
    const value = pyFloat(match[1] as string);
    if (value === null) return null;
    times.push(value);
  }
  return times;
}

/**
 * Open-o3 Video's temporal rewards on one completion, summed as its trainer sums its reward functions:
 * `format + answerTIoU + thinkSegment + keyFramePoint` (0 to 3, or 4 with key frames).
 * - format: `<think>…</think>` and `<answer>…</answer>` present, equal counts of opening and closing think and
 *   answer tags in the text and of `<obj>`, `<t>`, `<box>` pairs in the first think block; 1 when that block
 *   holds at least two `<t>`, else 0.5.
 * - answerTIoU: the first answer block, stripped, its first `<t>S</t>s to <t>E</t>s`; E < S → 0; else
 *   `max(0, min(E, ge) − max(S, gs)) / (max(E, ge) − min(S, gs))` (0 when that union is 0).
 * - thinkSegment: the share of the `<t>T</t>s` in the first think block with `gs ≤ T ≤ ge` (0 when there are
 *   none, or when one of them, like `1.2.3`, is not a number).
 * - keyFramePoint (with `keyFrames`): the mean over those T of `exp(−d² / (2σ²))`, d the distance to the nearest
 *   key frame, σ = 4·(1 − stepPercent) before three quarters of training, then 1.
 * Never refuses: an irrelevant target scores the format only (and the point score).
 *
 * Source: Open-o3 Video (marinero4972/Open-o3-Video, src/r1-v/src/open_r1/reward_func.py `format_reward`,
 * `ans_tiou_reward`, `thk_temporal_segment_reward`, `thk_temporal_point_reward`, commit 51387ab; summed in
 * src/r1-v/src/open_r1/trainer/grpo_trainer.py). Upstream pays the point score only on its spatio-temporal
 * samples, and the IoU and segment parts only on `temporal QA` ones; this sums what applies to a grounding
 * sample with key frames.
 *
 * @example
 * const target = { relevant: true, span: [8.2, 13.6], duration: 16.75 } as const;
 * openO3VideoReward('<think>Seen at <t>8.2</t>s and <t>13.6</t>s.</think><answer><t>8.2</t>s to <t>13.6</t>s</answer>', target).total; // => 3
 * openO3VideoReward('<think>Around <t>5</t>s and <t>9</t>s.</think><answer><t>5</t>s to <t>9</t>s</answer>', target).thinkSegment; // => 0.5
 * openO3VideoReward('<think>At <t>9</t>s.</think><answer>x</answer>', target, { keyFrames: [10], stepPercent: 0.5 }).keyFramePoint; // => 0.8824969025845955
 */
export function openO3VideoReward(completion: string, target: RaRftTarget, options?: OpenO3VideoRewardOptions): OpenO3VideoRewardResult {
  const fn = 'openO3VideoReward';
  assertTarget(fn, target);
  const keyFrames = options?.keyFrames;
  if (keyFrames !== undefined) {
    if (!Array.isArray(keyFrames) || keyFrames.length === 0) throw new OptionsError(fn, 'options.keyFrames', 'must be a non-empty array of key-frame times');
    keyFrames.forEach((time, i) => assertFiniteNumber(fn, `options.keyFrames[${i}]`, time));
  }
  const stepPercent = assertFiniteNumber(fn, 'options.stepPercent', options?.stepPercent ?? 0);
  if (stepPercent < 0 || stepPercent > 1) throw new OptionsError(fn, 'options.stepPercent', `must be in [0, 1], got ${stepPercent}`);
  if (typeof completion !== 'string') return { total: 0, format: 0, answerTIoU: 0, thinkSegment: 0, keyFramePoint: 0 };
  const think = firstTagContent(completion, '<think>', '</think>');
  const format = openO3Format(completion, think);
  const times = think === null ? null : thinkTimes(think);
  let answer = 0;
  let segment = 0;
  if (target.relevant) {
    const gold = target.span as Span;
    answer = answerTIoU(completion, gold);
    if (times !== null && times.length > 0) segment = times.filter((time) => gold[0] <= time && time <= gold[1]).length / times.length;
  }
  let point = 0;
  if (keyFrames !== undefined && times !== null && times.length > 0) {
    const sigma = stepPercent < 3 / 4 ? 4 * (1 - stepPercent) : 1;
    let sum = 0;
    for (const time of times) {
      const distance = Math.min(...keyFrames.map((frame) => Math.abs(time - frame)));
      sum += Math.exp(-(distance ** 2) / (2 * sigma ** 2));
    }
    point = sum / times.length;
  }
  return { total: format + answer + segment + point, format, answerTIoU: answer, thinkSegment: segment, keyFramePoint: point };
}
