import { assertEmbedder, embedDistinct } from '../internal/embed.js';
import { assertTarget } from '../internal/validate.js';
import { profileRules } from '../rules/profile-rules.js';
import type { Embedder, RaRftTarget, RewardProfile } from '../types.js';
import { planExplain, scoreExplain } from './plan.js';

/** Options of {@link explanationSimilarity}. */
export interface ExplanationSimilarityOptions {
  /** Sentence embedder; the reference used all-MiniLM-L6-v2 (see `ra-rft-rewards/embeddings`). */
  embedder: Embedder;
  /** Answer extraction: `ra-rft` (last `<answer>`, default) or `strict` (the single answer after `</think>`). */
  profile?: RewardProfile | undefined;
}

/**
 * Explanation similarity (RA-RFT's explain reward), in [−1, 1]:
 * `(cos(pred, answer) + 1)/2 − (cos(pred, contrast) + 1)/2`, where `pred` is the completion's answer
 * text and `answer` / `contrast` are the target's reference texts (tags reduced). No answer → 0.
 * Rewards answers that read like the right kind of answer (a refusal explanation for irrelevant queries,
 * a timestamp for relevant ones). Source: RA-RFT (JINSUBY/RA-RFT, main_rarft.py, commit 8843cbb).
 *
 * Embeds the three texts in one `embed` call. Scores from different embedders are on different scales.
 *
 * @example
 * const embedder = trigramHashEmbedder();
 * const target = { relevant: false, answer: 'No such event happens.', contrast: '3.1 to 10.9' };
 * await explanationSimilarity('<answer>No such event happens.</answer>', target, { embedder }); // => 0.5
 */
export async function explanationSimilarity(completion: string, target: RaRftTarget, options: ExplanationSimilarityOptions): Promise<number> {
  const fn = 'explanationSimilarity';
  assertTarget(fn, target);
  assertEmbedder(fn, options?.embedder);
  const texts = planExplain(fn, completion, target, profileRules(fn, options.profile));
  if (texts === null) return 0;
  const vector = await embedDistinct(fn, options.embedder, [texts.prediction, texts.answer, texts.contrast]);
  return scoreExplain(texts, vector);
}
