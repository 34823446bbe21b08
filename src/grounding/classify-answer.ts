import { extractAnswer } from '../internal/extract.js';
import { rewardProfile } from '../internal/profile.js';
import { STRICT_MIN_REFUSAL_WORDS, countWords, parseStrictSpans } from '../profiles/strict-rules.js';
import type { RewardProfile } from '../types.js';
import { parseRaRftSpan } from './parse-ra-rft-span.js';

/** What a completion's answer does: grounds the query (`span`), refuses it (`refusal`), or neither (`none`). */
export type AnswerKind = 'span' | 'refusal' | 'none';

/** Options of {@link classifyAnswer}. */
export interface ClassifyAnswerOptions {
  /** `ra-rft` (default): as refuseIoU's reference branch decides; `strict`: as the strict profile decides. */
  profile?: RewardProfile | undefined;
}

/**
 * Classifies a completion the way {@link refuseIoU} reads it, for refusal rates and refusal accuracy:
 * `none` when there is no answer (or, under `strict`, an answer that is neither one span nor a refusal of
 * at least {@link STRICT_MIN_REFUSAL_WORDS} words), `span` when the answer holds a span, else `refusal`.
 *
 * @example
 * classifyAnswer('<answer>3.1 to 10.9</answer>'); // => 'span'
 * classifyAnswer('<answer>No one dances in this video.</answer>'); // => 'refusal'
 * classifyAnswer('<answer></answer>', { profile: 'strict' }); // => 'none'
 */
export function classifyAnswer(completion: string, options?: ClassifyAnswerOptions): AnswerKind {
  const profile = rewardProfile('classifyAnswer', options?.profile);
  const answer = typeof completion === 'string' ? extractAnswer(completion, profile) : null;
  if (answer === null) return 'none';
  if (profile === 'ra-rft') return parseRaRftSpan(answer) === null ? 'refusal' : 'span';
  const spans = parseStrictSpans(answer, 2).length;
  if (spans === 1) return 'span';
  return spans === 0 && countWords(answer, STRICT_MIN_REFUSAL_WORDS) >= STRICT_MIN_REFUSAL_WORDS ? 'refusal' : 'none';
}
