import { profileRules } from '../rules/profile-rules.js';
import type { AnswerKind } from '../rules/types.js';
import type { RewardProfile } from '../types.js';
import { minRefusalWordsOf } from './refuse-iou.js';

export type { AnswerKind } from '../rules/types.js';

/** Options of {@link classifyAnswer}: the same as {@link refuseIoU}'s, so that both read an answer alike. */
export interface ClassifyAnswerOptions {
  /** `ra-rft` (default): as refuseIoU's reference branch decides; `strict`: as the strict profile decides. */
  profile?: RewardProfile | undefined;
  /** `strict` only: fewest words a refusal must have (default {@link STRICT_MIN_REFUSAL_WORDS}), as in {@link refuseIoU}. */
  minRefusalWords?: number | undefined;
}

/**
 * Classifies a completion the way {@link refuseIoU} reads it, for refusal rates and refusal accuracy:
 * `none` when there is no answer (or, under `strict`, an answer that is neither one span nor a refusal of
 * at least `minRefusalWords` words), `span` when the answer holds a span, else `refusal`. With the same
 * options, `refusal` is exactly where refuseIoU pays an irrelevant target 1.
 *
 * @example
 * classifyAnswer('<answer>3.1 to 10.9</answer>'); // => 'span'
 * classifyAnswer('<answer>No one dances in this video.</answer>'); // => 'refusal'
 * classifyAnswer('<answer></answer>', { profile: 'strict' }); // => 'none'
 * classifyAnswer('<answer>Never happens.</answer>', { profile: 'strict', minRefusalWords: 2 }); // => 'refusal'
 */
export function classifyAnswer(completion: string, options?: ClassifyAnswerOptions): AnswerKind {
  const rules = profileRules('classifyAnswer', options?.profile);
  const minWords = minRefusalWordsOf('classifyAnswer', options?.minRefusalWords, rules.minRefusalWords);
  const answer = typeof completion === 'string' ? rules.answer(completion) : null;
  return answer === null ? 'none' : rules.classify(answer, minWords);
}
