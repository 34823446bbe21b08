import { distance } from 'fastest-levenshtein';
import { cosine } from '../internal/cosine.js';
import type { VectorLookup } from '../internal/embed.js';
import { pyStrip } from '../internal/python-text.js';
import type { ProfileRules } from '../rules/types.js';
import type { RaRftTarget } from '../types.js';

/** How a correction is compared with the original query. */
export type CorrectionMetric = 'embedding' | 'levenshtein';

/** A correction score decided without comparing texts, or the two texts to compare. */
export type CorrectionPlan = { score: number } | { correction: string; query: string };

/**
 * Step 1 of the correction reward.
 * - relevant target: 1 when the correction says NIL (reference: `"NIL"` anywhere in the upper-cased text).
 * - irrelevant target: 0 without a correction, with a NIL one, or without `target.query`; else compare texts.
 *   `strict` also scores an empty correction 0 (the reference gives it (cos(0-vector, q)+1)/2 = 0.5).
 */
export function planCorrection(completion: string, target: RaRftTarget, rules: ProfileRules): CorrectionPlan {
  const correction = typeof completion === 'string' ? rules.correction(completion) : null;
  if (target.relevant) return { score: correction !== null && rules.isNil(correction) ? 1 : 0 };
  if (correction === null || rules.isNil(correction) || !rules.comparesCorrection(correction)) return { score: 0 };
  // The reference strips the query when it loads the data; the same here keeps hand-made targets equal.
  const query = target.query === undefined ? '' : pyStrip(target.query);
  if (query === '') return { score: 0 };
  return { correction, query };
}

/** Levenshtein similarity `1 − distance / max(length)` in UTF-16 code units; two empty texts score 1. */
export function levenshteinSimilarity(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  return longest === 0 ? 1 : 1 - distance(a, b) / longest;
}

/** Step 2: `(cos(correction, query) + 1)/2`, or the Levenshtein similarity. */
export function scoreCorrection(plan: CorrectionPlan, metric: CorrectionMetric, vector: VectorLookup | null): number {
  if ('score' in plan) return plan.score;
  if (metric === 'levenshtein' || vector === null) return levenshteinSimilarity(plan.correction, plan.query);
  return (cosine(vector(plan.correction), vector(plan.query)) + 1) / 2;
}
