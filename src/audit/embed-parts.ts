import { type CorrectionPlan, planCorrection, scoreCorrection } from '../correction/plan.js';
import { type ExplainTexts, planExplain, scoreExplain } from '../explain/plan.js';
import { embedDistinct } from '../internal/embed.js';
import type { ProfileRules } from '../rules/types.js';
import type { Embedder } from '../types.js';
import type { AuditRollout, EmbeddedParts } from './types.js';
import { validTarget } from './valid-target.js';

interface Planned {
  explain: ExplainTexts | null | undefined;
  correction: CorrectionPlan;
}

/** The texts the plans need embedded, duplicates included (embedDistinct keeps one of each). */
function* textsOf(plans: readonly (Planned | null)[]): Generator<string> {
  for (const item of plans) {
    if (item === null) continue;
    if (item.explain) yield* [item.explain.prediction, item.explain.answer, item.explain.contrast];
    if (!('score' in item.correction)) yield* [item.correction.correction, item.correction.query];
  }
}

/** How many distinct texts re-scoring `rollouts` embeds: what the re-scoring estimate extrapolates from. */
export function distinctTextCount(rollouts: readonly AuditRollout[], rules: ProfileRules): number {
  return new Set(textsOf(rollouts.map((r) => planOf(r, rules)))).size;
}

function planOf(rollout: AuditRollout, rules: ProfileRules): Planned | null {
  const target = validTarget(rollout.target);
  if (typeof rollout.completion !== 'string' || target === null) return null;
  const hasTexts = typeof target.answer === 'string' && typeof target.contrast === 'string';
  return {
    // A target without the reference texts leaves explain unknown (undefined), not 0.
    explain: hasTexts ? planExplain('audit', rollout.completion, target, rules) : undefined,
    correction: planCorrection(rollout.completion, target, rules),
  };
}

/**
 * The explain and correction parts of each rollout as this library computes them with `embedder` (the
 * reference's formulas, `rules`' extraction): one `embed` call for the distinct texts of the whole batch. `null`
 * for a rollout without a completion or a usable target; `explain` is absent when the target has no `answer` and
 * `contrast`. What `audit --embedder` attaches to rollouts as {@link AuditRollout.embedded}.
 *
 * @example
 * const rollout = { step: 1, group: 'g', completion: '<think>x</think><answer>No.</answer><correction>a dog runs</correction>', target: { relevant: false, answer: 'No.', contrast: '1 to 2', query: 'a dog runs' } };
 * await embedParts([rollout, { step: 1, group: 'g' }], trigramHashEmbedder(), auditScorer({}, false).rules); // => [{ correction: 1, explain: 0.5 }, null]
 */
export async function embedParts(rollouts: readonly AuditRollout[], embedder: Embedder, rules: ProfileRules): Promise<(EmbeddedParts | null)[]> {
  const plans = rollouts.map((rollout) => planOf(rollout, rules));
  const vector = await embedDistinct('audit', embedder, textsOf(plans));
  return plans.map((item) => {
    if (item === null) return null;
    const parts: EmbeddedParts = { correction: scoreCorrection(item.correction, 'embedding', vector) };
    if (item.explain !== undefined) parts.explain = scoreExplain(item.explain, vector);
    return parts;
  });
}
