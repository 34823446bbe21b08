// Fixed wording of synthesized completions. No digits anywhere: a number in the reasoning or in a refusal
// would be read as a span by some parsers and blur what the benchmark measures.
import type { Rng } from '../internal/rng.js';

/** The reasoning texts, in a fixed order (the corpus uses the first). */
export const THINKS = [
  'I scan the video for the moment the query describes and compare it with what happens.',
  'The query names an action; I check each part of the video for it and note where it starts and ends.',
  'I look for the described event, then compare the people, objects and actions with the query.',
] as const;

/** The genuine refusal explanations, in a fixed order (the corpus uses the first). */
export const REFUSALS = [
  'The video never shows this: no moment matches what the query describes.',
  'This query does not fit the video, because the action it describes never happens.',
  'No part of the video matches the query; the objects and actions it names do not appear together.',
  'The query is irrelevant to this video: the described event does not occur at any point.',
] as const;

/** A reasoning text for `<think>`. */
export function thinkText(rng: Rng): string {
  return rng.pick(THINKS);
}

/** A genuine refusal explanation (no digits, several words). */
export function refusalText(rng: Rng): string {
  return rng.pick(REFUSALS);
}

/**
 * The most common opening sentence of HI-VTG's reference refusals (323 of the 1,097 Charades refusals start
 * with it), used alone by the boilerplate hack: a refusal that explains nothing.
 */
export const BOILERPLATE_REFUSAL = 'This query does not align well with the video segment.';
