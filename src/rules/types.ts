import type { RaRftTarget, RewardProfile, Span } from '../types.js';

/** What a completion's answer does: grounds the query (`span`), refuses it (`refusal`), or neither (`none`). */
export type AnswerKind = 'span' | 'refusal' | 'none';

/**
 * Every rule of one reward profile, in one value: the rewards (format, refuseIoU, explain, correction,
 * classifyAnswer) call these and never look at the profile's name. A profile is one `ProfileRules` value
 * in `src/rules/`: read that file to read (or change) a rule.
 */
export interface ProfileRules {
  /** The profile these rules implement. */
  readonly profile: RewardProfile;
  /** Does the (possibly `<think>`-prefixed) completion have the profile's tag layout? */
  isFormat(completion: string): boolean;
  /** The completion's answer text, stripped, or `null` when it has none under this profile. */
  answer(completion: string): string | null;
  /** The completion's correction text, stripped, or `null`. */
  correction(completion: string): string | null;
  /** The span an answer gives, when it gives one that counts (strict: exactly one), else `null`. */
  span(answer: string): Span | null;
  /** What `answer` does; `minRefusalWords` is honoured by the profiles that count words. */
  classify(answer: string, minRefusalWords: number): AnswerKind;
  /** refuseIoU of a completion (its answer extracted by {@link answer}); `target` is already validated. */
  refuseIoU(completion: string, target: RaRftTarget, minRefusalWords: number): number;
  /** Does the correction say "no correction needed"? */
  isNil(correction: string): boolean;
  /** Is a (non-NIL) correction on an irrelevant target compared with the query at all, or scored 0? */
  comparesCorrection(correction: string): boolean;
  /** Default of `minRefusalWords`. */
  readonly minRefusalWords: number;
}
