import { OptionsError } from '../errors.js';
import { assertEmbedder, embedDistinct } from '../internal/embed.js';
import { assertOneOf, assertTarget } from '../internal/validate.js';
import { profileRules } from '../rules/profile-rules.js';
import type { Embedder, RaRftTarget, RewardProfile } from '../types.js';
import { type CorrectionMetric, planCorrection, scoreCorrection } from './plan.js';

/** Options of {@link queryCorrection}. */
export interface QueryCorrectionOptions {
  /** Required for the `embedding` metric. */
  embedder?: Embedder | undefined;
  /** `embedding` (reference, default) or `levenshtein` (`1 − distance / max length`, needs no embedder). */
  metric?: CorrectionMetric | undefined;
  /** `ra-rft` (default): NIL = `"NIL"` anywhere in the upper-cased correction; `strict`: exactly `NIL`. */
  profile?: RewardProfile | undefined;
}

/**
 * Query correction (RA-RFT's correction reward), in [0, 1].
 * - relevant target: 1 when the `<correction>` says NIL, else 0;
 * - irrelevant target: 0 without a correction, with a NIL one, or without `target.query`; otherwise
 *   `(cos(correction, query) + 1)/2` (or the Levenshtein similarity).
 *
 * Source: RA-RFT (JINSUBY/RA-RFT, main_rarft.py, commit 8843cbb). Quirk kept in `ra-rft`: "NIL" inside a word
 * ("vanilla", "Manila") counts as NIL; `strict` closes it.
 *
 * @example
 * const target = { relevant: false, query: 'person opens the door.' };
 * await queryCorrection('<correction>person opens the door.</correction>', target, { metric: 'levenshtein' }); // => 1
 * await queryCorrection('<correction>NIL</correction>', { relevant: true, span: [1, 2], duration: 9 }, { metric: 'levenshtein' }); // => 1
 * await queryCorrection('<correction>vanilla</correction>', { relevant: true, span: [1, 2], duration: 9 }, { metric: 'levenshtein' }); // => 1
 */
export async function queryCorrection(completion: string, target: RaRftTarget, options?: QueryCorrectionOptions): Promise<number> {
  const fn = 'queryCorrection';
  assertTarget(fn, target);
  const rules = profileRules(fn, options?.profile);
  const metric = options?.metric === undefined ? 'embedding' : assertOneOf(fn, 'options.metric', options.metric, ['embedding', 'levenshtein'] as const);
  if (metric === 'embedding') {
    if (options?.embedder === undefined) {
      throw new OptionsError(fn, 'options.embedder', "is required for metric 'embedding' (or pass metric: 'levenshtein')");
    }
    assertEmbedder(fn, options.embedder);
  }
  const plan = planCorrection(completion, target, rules);
  if ('score' in plan || metric === 'levenshtein') return scoreCorrection(plan, metric, null);
  return scoreCorrection(plan, metric, await embedDistinct(fn, options?.embedder as Embedder, [plan.correction, plan.query]));
}
