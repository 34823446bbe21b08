import { normalizedTemporalIoU } from '../internal/iou.js';
import { pyFloat } from '../internal/python-float.js';
import { PyDict, pyJsonLoads } from '../internal/python-json.js';
import { pyStrip, skipPySpace } from '../internal/python-text.js';
import { firstTagContent } from '../internal/tags.js';
import { assertFiniteNumber, assertTarget } from '../internal/validate.js';
import type { RaRftTarget, Span } from '../types.js';

/** Options of {@link temporalR1Reward}. */
export interface TemporalR1RewardOptions {
  /** Weight of the format part; Temporal-R1 uses 0.1. */
  formatWeight?: number | undefined;
  /** Weight of the IoU part; Temporal-R1 uses 0.9. */
  iouWeight?: number | undefined;
}

/** End of `"([\d.]+)"` (Python `\d`) at `at`, or -1. */
function quotedNumberEnd(text: string, at: number): number {
  if (text.charCodeAt(at) !== 0x22) return -1;
  let i = at + 1;
  for (;;) {
    const code = text.charCodeAt(i);
    if (code === 0x2e || (code >= 0x30 && code <= 0x39)) i++;
    else if (code > 0x7f && /^\p{Nd}$/u.test(String.fromCodePoint(text.codePointAt(i) as number))) i += (text.codePointAt(i) as number) > 0xffff ? 2 : 1;
    else break;
  }
  return i > at + 1 && text.charCodeAt(i) === 0x22 ? i + 1 : -1;
}

/** `text.startsWith(literal, at)` → the end, else -1. */
function literalEnd(text: string, at: number, literal: string): number {
  return at >= 0 && text.startsWith(literal, at) ? at + literal.length : -1;
}

/**
 * Temporal-R1's format check: `re.fullmatch(r'<think>.*?</think>\s*<answer>\s*{\s*"start_time"\s*:\s*"([\d.]+)"\s*,\s*"end_time"\s*:\s*"([\d.]+)"\s*}\s*</answer>', text, re.DOTALL)`
 * on the unstripped completion: the numbers must be JSON strings of digits and dots.
 *
 * Source: Temporal-R1 (appletea233/Temporal-R1, verl/utils/reward_score/tvg.py `tvg_format_reward`, commit 95045b3).
 *
 * @example
 * isTemporalR1Format('<think>ok</think> <answer>{"start_time": "3.1", "end_time": "10.9"}</answer>'); // => true
 * isTemporalR1Format('<think>ok</think> <answer>{"start_time": 3.1, "end_time": 10.9}</answer>'); // => false
 */
export function isTemporalR1Format(completion: string): boolean {
  if (typeof completion !== 'string' || !completion.startsWith('<think>')) return false;
  // The answer part is fixed after `<answer>`; the lazy think may end at any `</think>` that starts it.
  // After the lazy think, the rest is fixed: try each `</think>` as the end of the think block.
  const restMatches = (at: number): boolean => {
    let i = literalEnd(completion, skipPySpace(completion, at), '<answer>');
    if (i >= 0) i = literalEnd(completion, skipPySpace(completion, i), '{');
    for (const key of ['"start_time"', '"end_time"']) {
      if (i >= 0) i = literalEnd(completion, skipPySpace(completion, i), key);
      if (i >= 0) i = literalEnd(completion, skipPySpace(completion, i), ':');
      if (i >= 0) i = quotedNumberEnd(completion, skipPySpace(completion, i));
      if (i >= 0 && key === '"start_time"') i = literalEnd(completion, skipPySpace(completion, i), ',');
    }
    if (i >= 0) i = literalEnd(completion, skipPySpace(completion, i), '}');
    if (i >= 0) i = literalEnd(completion, skipPySpace(completion, i), '</answer>');
    return i === completion.length;
  };
  for (let close = completion.indexOf('</think>', '<think>'.length); close >= 0; close = completion.indexOf('</think>', close + 1)) {
    if (restMatches(close + '</think>'.length)) return true;
  }
  return false;
}

/**
 * Temporal-R1's span parser: the first `<answer>(.*?)</answer>`, stripped, read by Python's `json.loads`
 * as an object with `start_time` and `end_time`, each through Python's `float()` (`"3.1"`, `3.1`, `" 3.1 "`
 * all work). Any failure → `null`.
 *
 * Source: Temporal-R1 (appletea233/Temporal-R1, verl/utils/reward_score/tvg.py `tvg_accuracy_reward`, commit 95045b3).
 *
 * @example
 * parseTemporalR1Span('<answer>{"start_time": "3.1", "end_time": 10.9}</answer>'); // => [3.1, 10.9]
 * parseTemporalR1Span('<answer>3.1 to 10.9</answer>'); // => null
 */
export function parseTemporalR1Span(completion: string): [number, number] | null {
  const answer = typeof completion === 'string' ? firstTagContent(completion, '<answer>', '</answer>') : null;
  if (answer === null) return null;
  const parsed = pyJsonLoads(pyStrip(answer));
  if (!(parsed instanceof PyDict) || !parsed.values.has('start_time') || !parsed.values.has('end_time')) return null;
  const start = pyFloat(parsed.values.get('start_time'));
  const end = pyFloat(parsed.values.get('end_time'));
  return start === null || end === null ? null : [start, end];
}

/**
 * Temporal-R1's accuracy reward: the `temporal_iou` of the answered span divided by the video length
 * with the gold span divided by it too (Temporal-R1's data stores the gold span normalized), clipped at 0;
 * a parse failure or its ZeroDivisionError → 0. Never refuses: an irrelevant target → 0. In [0, 1].
 *
 * Source: Temporal-R1 (appletea233/Temporal-R1, verl/utils/reward_score/tvg.py `tvg_accuracy_reward`, commit 95045b3).
 *
 * @example
 * temporalR1IoU('<answer>{"start_time": "4.88", "end_time": "12.68"}</answer>', { relevant: true, span: [3.1, 10.9], duration: 30.04 }); // => 0.62839248434238
 */
export function temporalR1IoU(completion: string, target: RaRftTarget): number {
  assertTarget('temporalR1IoU', target);
  if (!target.relevant) return 0;
  const span = parseTemporalR1Span(completion);
  if (span === null) return 0;
  return normalizedTemporalIoU(span, target.span as Span, target.duration as number);
}

/**
 * Temporal-R1's reward: `0.9 · IoU + 0.1 · format` ({@link temporalR1IoU}, {@link isTemporalR1Format}), 0…1.
 *
 * Source: Temporal-R1 (appletea233/Temporal-R1, verl/utils/reward_score/tvg.py `tvg_compute_score`, commit 95045b3).
 *
 * @example
 * temporalR1Reward('<think>ok</think><answer>{"start_time": "3.1", "end_time": "10.9"}</answer>', { relevant: true, span: [3.1, 10.9], duration: 30.04 }); // => 1
 */
export function temporalR1Reward(completion: string, target: RaRftTarget, options?: TemporalR1RewardOptions): number {
  const formatWeight = options?.formatWeight ?? 0.1;
  const iouWeight = options?.iouWeight ?? 0.9;
  assertFiniteNumber('temporalR1Reward', 'options.formatWeight', formatWeight);
  assertFiniteNumber('temporalR1Reward', 'options.iouWeight', iouWeight);
  const iou = temporalR1IoU(completion, target);
  return iouWeight * iou + formatWeight * (isTemporalR1Format(completion) ? 1 : 0);
}
