import { OptionsError } from '../errors.js';
import { countOccurrences } from '../internal/tags.js';
import { isR1Format } from '../internal/format-checks.js';
import { pyMax, pyMin } from '../internal/iou.js';
import { parseTaroSpan } from '../internal/parsers/parse-taro-span.js';
import { pyStrip } from '../internal/python-text.js';
import { assertFiniteNumber, assertOneOf, assertTarget } from '../internal/validate.js';
import type { RaRftTarget, Span } from '../types.js';

/** Options of {@link taroReward}: TaRO's `extra_info` and `reward_kwargs` (defaults: its training scripts). */
export interface TaroRewardOptions {
  /** `train` (default): the distance-weighted IoU is paid; `eval`: the plain IoU (TaRO's validation reward). */
  split?: 'train' | 'eval' | undefined;
  /** Answer only, no `<think>` (`nothink`): the format is `^<answer>.*?</answer>$`. Default false. */
  nothink?: boolean | undefined;
  /**
   * Per-sample input the trainer computes: the log-probability gain of the answer on the ordered over the
   * perturbed video (`extra_info["diff_log_prob"]`). Without it there is no temporal-sensitivity bonus.
   */
  diffLogProb?: number | undefined;
  /** The threshold the trainer sets for the batch (`diff_log_prob_thresh`, its mean with `temp_diff_thresh=mean`); required with `diffLogProb`. */
  diffLogProbThresh?: number | undefined;
  /** `temp_margin`, default 0. */
  tempMargin?: number | undefined;
  /** `temp_alpha`, the bonus, default 0.3. */
  tempAlpha?: number | undefined;
  /** `temp_iou_thresh`: the bonus is added only when the plain IoU reaches it; default 0.7. */
  tempIoUThresh?: number | undefined;
}

/** TaRO's `compute_vtg_score` result. */
export interface TaroRewardResult {
  /** `format + iouScore (+ temporal when iou >= tempIoUThresh)`. */
  score: number;
  /** 1 when the format check passes, else 0. */
  format: number;
  /** The distance-weighted IoU (`train`) or the IoU (`eval`). */
  iouScore: number;
  /** The temporal-sensitivity bonus TaRO reports (0 or `tempAlpha`), whether or not the IoU let it count. */
  temporal: number;
  /** The plain IoU with the gold span cut at the video end. */
  iou: number;
}

/** TaRO's `format_reward` on the stripped text: one of each tag and `^<think>.*?</think>\s*<answer>.*?</answer>$` (or `^<answer>.*?</answer>$` with `nothink`). */
function taroFormat(completion: string, nothink: boolean): number {
  if (typeof completion !== 'string') return 0;
  const content = pyStrip(completion);
  if (nothink) return content.startsWith('<answer>') && content.endsWith('</answer>') && content.length >= '<answer></answer>'.length ? 1 : 0;
  for (const tag of ['<think>', '</think>', '<answer>', '</answer>']) if (countOccurrences(content, tag, 2) !== 1) return 0;
  return isR1Format(content) ? 1 : 0;
}

/**
 * TaRO's reward `compute_vtg_score`: `format + iouScore`, plus the temporal-sensitivity bonus `tempAlpha` when
 * the trainer's `diffLogProb > diffLogProbThresh + tempMargin` and the IoU is at least `tempIoUThresh`.
 * The span is {@link parseTaroSpan}'s (timestamps written `12.5s to 17.8s`); the gold span is cut to
 * `[max(gs, 0), min(ge, D)]`; `iou = max(0, min(e, ge) − max(s, gs)) / (max(e, ge) − min(s, gs))` (0 when the
 * union is not positive); in training `iouScore = iou · (1 − |gs/D − s/D|) · (1 − |ge/D − e/D|)`, in
 * evaluation `iouScore = iou`. The format: exactly one of each of `<think>`, `</think>`, `<answer>`,
 * `</answer>` in the stripped text, laid out `<think>…</think>\s*<answer>…</answer>`. Never refuses: an
 * irrelevant target scores the format only. Where Python gives NaN (two overflowing timestamps), the
 * iouScore is 0. In [0, 2 + tempAlpha].
 *
 * Source: TaRO (oceanflowlab/TaRO, src/rewards.py `compute_vtg_score`, `iou_timestamp_reward_v2`,
 * `format_reward`, `temporal_reward`, commit 143a234; defaults from scripts/run_qwen2_5_vl_7b.sh).
 *
 * @example
 * taroReward('<think>…</think><answer>8.2s to 13.6s</answer>', { relevant: true, span: [8.2, 13.6], duration: 16.75 }).score; // => 2
 * taroReward('<think>…</think><answer>8.2s to 13.6s</answer>', { relevant: true, span: [8.2, 13.6], duration: 16.75 }, { diffLogProb: 0.5, diffLogProbThresh: 0.2 }).score; // => 2.3
 * taroReward('<think>…</think><answer>4.88s to 12.68s</answer>', { relevant: true, span: [3.1, 10.9], duration: 30.04 }, { split: 'eval' }).iouScore; // => 0.62839248434238
 */
export function taroReward(completion: string, target: RaRftTarget, options?: TaroRewardOptions): TaroRewardResult {
  const fn = 'taroReward';
  assertTarget(fn, target);
  const split = options?.split === undefined ? 'train' : assertOneOf(fn, 'options.split', options.split, ['train', 'eval'] as const);
  const tempMargin = assertFiniteNumber(fn, 'options.tempMargin', options?.tempMargin ?? 0);
  const tempAlpha = assertFiniteNumber(fn, 'options.tempAlpha', options?.tempAlpha ?? 0.3);
  const tempIoUThresh = assertFiniteNumber(fn, 'options.tempIoUThresh', options?.tempIoUThresh ?? 0.7);
  const diff = options?.diffLogProb;
  if (diff !== undefined) {
    assertFiniteNumber(fn, 'options.diffLogProb', diff);
    if (options?.diffLogProbThresh === undefined) throw new OptionsError(fn, 'options.diffLogProbThresh', 'is required with options.diffLogProb (the trainer sets both)');
    assertFiniteNumber(fn, 'options.diffLogProbThresh', options.diffLogProbThresh);
  }
  const format = taroFormat(completion, options?.nothink === true);
  let iou = 0;
  let iouScore = 0;
  const span = target.relevant ? parseTaroSpan(completion) : null;
  if (span !== null) {
    const duration = target.duration as number;
    const gold = target.span as Span;
    const s = pyMax(gold[0], 0);
    const e = pyMin(gold[1], duration);
    const [start, end] = span;
    const intersection = pyMax(0, pyMin(end, e) - pyMax(start, s));
    const union = pyMax(end, e) - pyMin(start, s);
    if (union > 0) iou = intersection / union;
    iouScore = split === 'train' ? iou * (1 - Math.abs(s / duration - start / duration)) * (1 - Math.abs(e / duration - end / duration)) : iou;
    if (Number.isNaN(iouScore)) iouScore = 0;
  }
  let score = format + iouScore;
  let temporal = 0;
  if (diff !== undefined) {
    temporal = diff > (options?.diffLogProbThresh as number) + tempMargin ? tempAlpha : 0;
    if (iou >= tempIoUThresh) score += temporal;
  }
  return { score, format, iouScore, temporal, iou };
}
