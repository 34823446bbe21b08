import { OptionsError } from '../errors.js';
import { assertTarget } from '../internal/validate.js';
import { profileRules } from '../rules/profile-rules.js';
import { raRftRules } from '../rules/ra-rft.js';
import type { RaRftTarget, RewardProfile } from '../types.js';

export { distanceWeightedIoU } from '../internal/iou.js';

/** Options of {@link refuseIoU}. */
export interface RefuseIoUOptions {
  /** `ra-rft` (default) reproduces the reference exactly; `strict` closes its loopholes (docs/strict.md). */
  profile?: RewardProfile | undefined;
  /** `strict` only: fewest words (letter runs) a refusal must have to count. Default {@link STRICT_MIN_REFUSAL_WORDS}. */
  minRefusalWords?: number | undefined;
}

/** Validated `minRefusalWords` of `options`, or the profile's default. */
export function minRefusalWordsOf(fn: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new OptionsError(fn, 'options.minRefusalWords', `must be a non-negative integer, got ${String(value)}`);
  }
  return value;
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
 * The rules live in `src/rules/ra-rft.ts` and `src/rules/strict.ts`. Bad model output scores 0 (never
 * throws); a bad target throws {@link TargetError}.
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
  // Without options (the hot path of a reproduction) no lookups at all.
  const rules = options === undefined ? raRftRules : profileRules('refuseIoU', options.profile);
  const minWords = options?.minRefusalWords === undefined ? rules.minRefusalWords : minRefusalWordsOf('refuseIoU', options.minRefusalWords, rules.minRefusalWords);
  return typeof completion === 'string' ? rules.refuseIoU(completion, target, minWords) : 0;
}
