import { pyMax, pyMin } from '../internal/iou.js';
import { findNumberPairs } from '../internal/number-scan.js';
import { pyFloatOfDigits, skipPySpace } from '../internal/python-text.js';
import { firstTagContent } from '../internal/tags.js';
import { assertFiniteNumber, assertTarget } from '../internal/validate.js';
import type { RaRftTarget, Span } from '../types.js';

/** Options of {@link tempSampShapedIoU} and {@link tempSampReward}. */
export interface TempSampOptions {
  /** IoU above which rewards are squashed to a plateau; TempSamp-R1 uses 0.8 (`GTPO_REWARD_SHAPING_THRESHOLD`). */
  threshold?: number | undefined;
  /** Steepness of the penalty below the threshold; TempSamp-R1 uses 1.0 (`GTPO_REWARD_SHAPING_ALPHA`). */
  alpha?: number | undefined;
}

function shapingOptions(fn: string, options: TempSampOptions | undefined): [number, number] {
  const threshold = options?.threshold ?? 0.8;
  const alpha = options?.alpha ?? 1;
  return [assertFiniteNumber(fn, 'options.threshold', threshold), assertFiniteNumber(fn, 'options.alpha', alpha)];
}

/**
 * TempSamp-R1's non-linear IoU shaping: `t + 0.01·ln(iou − t + 1)` for `iou ≥ t` (a near-flat plateau),
 * else `t − (e^{α(t − iou)} − 1) / (e^α − 1)` (an exponential penalty; `max(0, iou)` when `e^α − 1 ≤ 0`).
 * With t = 0.8, α = 1: IoU 0 → 0.0868, 0.8 → 0.8, 1 → 0.8018.
 *
 * Source: TempSamp-R1 (ZhangZikun6666/TempSamp-R1, an implementation by the paper's group of authors listed
 * in its README, scripts/timelens/timelens_reward.py `transform_rewards`, commit 55a9228).
 *
 * @example
 * tempSampShapedIoU(0); // => 0.08676372630237683
 * tempSampShapedIoU(1); // => 0.8018232155679396
 */
export function tempSampShapedIoU(iou: number, options?: TempSampOptions): number {
  const [threshold, alpha] = shapingOptions('tempSampShapedIoU', options);
  if (iou >= threshold) return threshold + Math.log(iou - threshold + 1) * 0.01;
  const denominator = Math.exp(alpha) - 1;
  if (denominator <= 0) return pyMax(0, iou);
  return threshold - (Math.exp(alpha * (threshold - iou)) - 1) / denominator;
}

/** End of `\s*(?:to|and)\s*` (case-sensitive) at `at`, or -1. */
function toOrAndEnd(text: string, at: number): number {
  const word = skipPySpace(text, at);
  if (text.startsWith('to', word)) return skipPySpace(text, word + 2);
  return text.startsWith('and', word) ? skipPySpace(text, word + 3) : -1;
}

/** End of `\s*-\s*` at `at`, or -1. */
function dashEnd(text: string, at: number): number {
  const dash = skipPySpace(text, at);
  return text.charCodeAt(dash) === 0x2d ? skipPySpace(text, dash + 1) : -1;
}

/** End of `\s*(?:to|and|-)\s*` at `at`, or -1. */
function anySeparatorEnd(text: string, at: number): number {
  const end = toOrAndEnd(text, at);
  return end >= 0 ? end : dashEnd(text, at);
}

// `\b(\d+\.?\d*)\b` with Python's Unicode `\d` and `\b` (see parse-time-lens-spans.ts).
const WORD = String.raw`[\p{L}\p{N}_]`;
const BARE = new RegExp(String.raw`(?<!${WORD})(\p{Nd}+\.\p{Nd}+(?!${WORD})|\p{Nd}+\.(?=${WORD})|\p{Nd}+(?!${WORD}))`, 'gu');

/**
 * TempSamp-R1's `parse_timestamp_from_text`: in the first `<answer>` block (else the whole text), the
 * LAST `a to b` / `a and b` (any spacing, case-sensitive), else the last `a - b`, else the first two bare
 * numbers; `null` when none. Python `\d`, `\s` and `\b`.
 *
 * Source: TempSamp-R1 (ZhangZikun6666/TempSamp-R1, scripts/timelens/timelens_reward.py, commit 55a9228).
 *
 * @example
 * parseTempSampSpan('<answer> 7.0 to 11.0 </answer>'); // => [7, 11]
 * parseTempSampSpan('1 - 2, then 3-4'); // => [3, 4]
 * parseTempSampSpan('from second 5 until second 9'); // => [5, 9]
 */
export function parseTempSampSpan(text: string): [number, number] | null {
  if (typeof text !== 'string' || text === '') return null;
  const search = firstTagContent(text, '<answer>', '</answer>') ?? text;
  for (const separatorEnd of [toOrAndEnd, dashEnd]) {
    const last = findNumberPairs(search, separatorEnd).at(-1);
    if (last !== undefined) return last;
  }
  BARE.lastIndex = 0;
  const first = BARE.exec(search);
  const second = first === null ? null : BARE.exec(search);
  return first === null || second === null ? null : [pyFloatOfDigits(first[1] as string), pyFloatOfDigits(second[1] as string)];
}

/**
 * TempSamp-R1's (loose, default) temporal format reward: 1 when the first `<answer>` block holds
 * `\d+\.?\d*\s*(?:to|and|-)\s*\d+\.?\d*`, else 0.
 */
function tempSampFormat(completion: string): number {
  const answer = firstTagContent(completion, '<answer>', '</answer>');
  return answer !== null && findNumberPairs(answer, anySeparatorEnd, 1).length > 0 ? 1 : 0;
}

/**
 * TempSamp-R1's reward on TimeLens data: `shaped(IoU) + 0.1 · format`, where IoU is the plain IoU of
 * {@link parseTempSampSpan}'s span with `target.span` (0 when the union is not positive or nothing parses)
 * and `shaped` is {@link tempSampShapedIoU}; the shaping also lifts a missing answer to 0.0868. A relevant
 * target only (the gold text `<answer> s to e </answer>` parses back to `target.span`); irrelevant → 0.
 *
 * Source: TempSamp-R1 (ZhangZikun6666/TempSamp-R1, scripts/timelens/timelens_reward.py `compute_score` with
 * `GTPO_REWARD_SHAPING=1` as scripts/train/timelens_tempsamp.sh sets it, commit 55a9228).
 *
 * @example
 * tempSampReward('<answer> 3.1 to 10.9 </answer>', { relevant: true, span: [3.1, 10.9], duration: 30 }); // => 0.9018232155679395
 * tempSampReward('I cannot tell.', { relevant: true, span: [3.1, 10.9], duration: 30 }); // => 0.08676372630237683
 */
export function tempSampReward(completion: string, target: RaRftTarget, options?: TempSampOptions): number {
  assertTarget('tempSampReward', target);
  shapingOptions('tempSampReward', options);
  if (!target.relevant || typeof completion !== 'string') return 0;
  const gold = target.span as Span;
  const span = parseTempSampSpan(completion);
  let iou = 0;
  if (span !== null) {
    const intersection = pyMax(0, pyMin(span[1], gold[1]) - pyMax(span[0], gold[0]));
    const union = pyMax(span[1], gold[1]) - pyMin(span[0], gold[0]);
    iou = union > 0 ? intersection / union : 0;
  }
  return tempSampShapedIoU(iou, options) + 0.1 * tempSampFormat(completion);
}
