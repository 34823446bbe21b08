import { OptionsError } from '../errors.js';
import { extractAnswer } from '../internal/extract.js';
import { rewardProfile } from '../internal/profile.js';
import { assertTarget } from '../internal/validate.js';
import { STRICT_MIN_REFUSAL_WORDS, countWords, parseStrictSpans } from '../profiles/strict-rules.js';
import type { RaRftTarget, RewardProfile, Span } from '../types.js';
import { parseRaRftSpan } from './parse-ra-rft-span.js';

/** Options of {@link refuseIoU}. */
export interface RefuseIoUOptions {
  /** `ra-rft` (default) reproduces the reference exactly; `strict` closes its loopholes (docs/strict.md). */
  profile?: RewardProfile | undefined;
  /** `strict` only: fewest words (letter runs) a refusal must have to count. Default {@link STRICT_MIN_REFUSAL_WORDS}. */
  minRefusalWords?: number | undefined;
}

/**
 * The reference's relevant-target score for a predicted span `[s, e]` against `[gs, ge]` in a video of
 * duration D: `IoU · (1 − |gs/D − s/D|) · (1 − |ge/D − e/D|)`, 0 when the union is not positive.
 * Not clamped (negative past the video's ends); a non-finite result (overflowing timestamps) scores 0.
 */
export function distanceWeightedIoU(predicted: Span, target: Span, duration: number): number {
  // Indexing, not destructuring: this is the hot path of every span reward.
  const s = predicted[0];
  const e = predicted[1];
  const gs = target[0];
  const ge = target[1];
  const intersection = Math.max(0, Math.min(e, ge) - Math.max(s, gs));
  const union = Math.max(e, ge) - Math.min(s, gs);
  if (!(union > 0)) return 0;
  const reward = (intersection / union) * (1 - Math.abs(gs / duration - s / duration)) * (1 - Math.abs(ge / duration - e / duration));
  return Number.isFinite(reward) ? reward : 0;
}

/**
 * Refusal-aware temporal IoU (RA-RFT's `refuse_iou` reward).
 *
 * `ra-rft` profile (reference, JINSUBY/RA-RFT main_rarft.py): take the last `<answer>` block (none → 0)
 * and the FIRST `(\d+\.?\d*)\s+to\s+(\d+\.?\d*)` in it (case-insensitive).
 * - irrelevant target: 1 when there is no span (any text, even empty, is a refusal), else 0;
 * - relevant target: no span → 0, else `IoU · (1 − |gs/D − s/D|) · (1 − |ge/D − e/D|)` (can be negative).
 *
 * `strict` profile: the single `<answer>` after `</think>`; spans in any common notation (`12.5s to 17.8s`,
 * `12.5 - 17.8`, `[12.5, 17.8]`, `00:12 to 00:17`).
 * - irrelevant: 1 only for a refusal with no span and at least `minRefusalWords` words;
 * - relevant: exactly one span, not reversed; it and the target span are clamped to [0, D] (some
 *   annotations end past the stated duration); the same formula, clamped to [0, 1].
 *
 * Bad model output scores 0 (never throws); a bad target throws {@link TargetError}.
 *
 * @example
 * const target = { relevant: true, span: [3.1, 10.9], duration: 30.04 } as const;
 * refuseIoU('<answer>3.1 to 10.9</answer>', target); // => 1
 * refuseIoU('<answer>4.88 to 12.68</answer>', target); // => 0.5561288694838225
 * refuseIoU('<answer></answer>', { relevant: false }); // => 1 (the reference counts an empty answer as a refusal)
 * refuseIoU('<answer></answer>', { relevant: false }, { profile: 'strict' }); // => 0
 */
export function refuseIoU(completion: string, target: RaRftTarget, options?: RefuseIoUOptions): number {
  assertTarget('refuseIoU', target);
  const profile = rewardProfile('refuseIoU', options?.profile);
  const minWords = options?.minRefusalWords ?? STRICT_MIN_REFUSAL_WORDS;
  if (!Number.isInteger(minWords) || minWords < 0) {
    throw new OptionsError('refuseIoU', 'options.minRefusalWords', `must be a non-negative integer, got ${String(minWords)}`);
  }
  if (typeof completion !== 'string') return 0;
  const answer = extractAnswer(completion, profile);
  if (answer === null) return 0;
  return profile === 'strict' ? strictRefuseIoU(answer, target, minWords) : referenceRefuseIoU(answer, target);
}

function referenceRefuseIoU(answer: string, target: RaRftTarget): number {
  const span = parseRaRftSpan(answer);
  if (!target.relevant) return span === null ? 1 : 0;
  if (span === null) return 0;
  // assertTarget guarantees span and duration for relevant targets.
  return distanceWeightedIoU(span, target.span as Span, target.duration as number);
}

function strictRefuseIoU(answer: string, target: RaRftTarget, minWords: number): number {
  const spans = parseStrictSpans(answer, 2);
  if (!target.relevant) return spans.length === 0 && countWords(answer, minWords) >= minWords ? 1 : 0;
  const [span] = spans;
  if (span === undefined || spans.length > 1 || span[0] > span[1]) return 0;
  const duration = target.duration as number;
  // Both spans are cut to the video: a prediction past the end means "until the end", and annotations that
  // run past the stated duration (some TVGBench items) are cut the same way, so no overshoot can beat them.
  const clamp = ([start, end]: Span): Span => [Math.min(Math.max(start, 0), duration), Math.min(Math.max(end, 0), duration)];
  return Math.min(1, Math.max(0, distanceWeightedIoU(clamp(span), clamp(target.span as Span), duration)));
}
