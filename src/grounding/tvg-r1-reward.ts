import { OptionsError } from '../errors.js';
import { pyFloat } from '../internal/python-float.js';
import { assertTarget } from '../internal/validate.js';
import { isTvgR1Format } from '../internal/format-checks.js';
import type { RaRftTarget, Span } from '../types.js';

/** Options of {@link tvgR1Reward}. */
export interface TvgR1RewardOptions {
  /** Weight of the format part; TVG-R1 uses 0.1. */
  formatWeight?: number | undefined;
  /** Weight of the IoU part; TVG-R1 uses 0.9. */
  iouWeight?: number | undefined;
}

/**
 * TVG-R1's span parser: the first `<time>(.*?)</time>` block, stripped, parsed as JSON and unpacked into
 * two values that Python's `float()` accepts (so `[5.2, 10.4]`, `["5.2", "10.4"]` and, quirk kept, `"12"`
 * → [1, 2]). Any failure → `null`.
 *
 * @example
 * parseTvgR1Span('<think>…</think> <time>[5.2, 10.4]</time>'); // => [5.2, 10.4]
 * parseTvgR1Span('<time>5.2 to 10.4</time>'); // => null
 */
export function parseTvgR1Span(completion: string): [number, number] | null {
  if (typeof completion !== 'string') return null;
  const open = completion.indexOf('<time>');
  if (open < 0) return null;
  const close = completion.indexOf('</time>', open + '<time>'.length);
  if (close < 0) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(completion.slice(open + '<time>'.length, close).trim());
  } catch {
    return null;
  }
  // Python unpacks any iterable of length 2: a list, a string of two characters, a dict's two keys.
  const items = Array.isArray(parsed)
    ? parsed
    : typeof parsed === 'string'
      ? [...parsed]
      : parsed !== null && typeof parsed === 'object'
        ? Object.keys(parsed)
        : null;
  if (items === null || items.length !== 2) return null;
  const start = pyFloat(items[0]);
  const end = pyFloat(items[1]);
  return start === null || end === null ? null : [start, end];
}

/**
 * TVG-R1's accuracy reward: plain IoU of the `<time>[s, e]</time>` pair with `target.span`, both divided by
 * the duration first (as TVG-R1 does). Parse failure, an empty union, or an irrelevant target → 0.
 *
 * Source: TVG-R1 (zjuruizhechen/TVG-R1, EasyR1 verl/utils/reward_score/tvgonly.py, `tvg_accuracy_reward`).
 *
 * @example
 * tvgR1IoU('<think>…</think> <time>[4.88, 12.68]</time>', { relevant: true, span: [3.1, 10.9], duration: 30.04 }); // => 0.6283924843423801
 */
export function tvgR1IoU(completion: string, target: RaRftTarget): number {
  assertTarget('tvgR1IoU', target);
  if (!target.relevant) return 0;
  const span = parseTvgR1Span(completion);
  if (span === null) return 0;
  const duration = target.duration as number;
  const gold = target.span as Span;
  const a = [span[0] / duration, span[1] / duration] as const;
  const b = [gold[0] / duration, gold[1] / duration] as const;
  // temporal_iou: max(min1 - max0, 0) / (max1 - min0), then max(0, iou); ZeroDivisionError → 0.
  const denominator = Math.max(a[1], b[1]) - Math.min(a[0], b[0]);
  if (!(denominator !== 0)) return 0;
  const iou = Math.max(Math.min(a[1], b[1]) - Math.max(a[0], b[0]), 0) / denominator;
  return iou > 0 && Number.isFinite(iou) ? iou : 0;
}

/**
 * TVG-R1's reward: `0.1 · format + 0.9 · IoU`, format being the full match of
 * `<think>.*</think>.*<time>.*</time>.*` (see {@link formatReward} profile `tvg-r1`).
 *
 * Source: TVG-R1 (zjuruizhechen/TVG-R1, EasyR1 tvgonly.py, `tvgonly_compute_score`).
 *
 * @example
 * tvgR1Reward('<think>…</think> <time>[3.1, 10.9]</time>', { relevant: true, span: [3.1, 10.9], duration: 30.04 }); // => 1
 */
export function tvgR1Reward(completion: string, target: RaRftTarget, options?: TvgR1RewardOptions): number {
  const formatWeight = options?.formatWeight ?? 0.1;
  const iouWeight = options?.iouWeight ?? 0.9;
  for (const [field, value] of [['options.formatWeight', formatWeight], ['options.iouWeight', iouWeight]] as const) {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new OptionsError('tvgR1Reward', field, `must be a finite number, got ${String(value)}`);
  }
  assertTarget('tvgR1Reward', target);
  const format = typeof completion === 'string' && isTvgR1Format(completion) ? 1 : 0;
  return formatWeight * format + iouWeight * tvgR1IoU(completion, target);
}
