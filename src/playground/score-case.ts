// Every profile and variant on one completion, for the playground: the numbers come straight from the
// library's exported rewards (raRftRewardBatch per profile, the variants' own functions).
import { type Embedder, type RaRftRewardResult, type RaRftTarget, formatReward, raRftRewardBatch, refuseIoU } from '../index.js';
import { VARIANTS } from '../variants/registry.js';

/** Every built-in variant but the two RA-RFT profiles (shown with their four parts). */
const RULE_VARIANTS = VARIANTS.filter((variant) => variant.id !== 'ra-rft' && variant.id !== 'strict');

/** A profile's four parts and total, or why they could not be computed (a typed library error). */
export type ProfileScore = { ok: true; result: RaRftRewardResult } | { ok: false; error: string; format: number; refuseIoU: number };

/** A rule-based variant (every one of the registry but the two profiles): its span part, format part and total. */
export interface VariantScore {
  id: string;
  iou: number | null;
  format: number | null;
  total: number;
}

/** All the rewards of one case. */
export interface CaseScore {
  profiles: { 'ra-rft': ProfileScore; strict: ProfileScore };
  variants: VariantScore[];
}

/** Options of {@link scoreCases}. */
export interface ScoreCasesOptions {
  embedder: Embedder;
  /** See `RaRftRewardOptions.thinkPrefilled`. */
  thinkPrefilled?: boolean | undefined;
}

// The variants' own parts (src/variants/), so the playground never recomposes a formula.
function variants(completion: string, target: RaRftTarget): VariantScore[] {
  return RULE_VARIANTS.map((variant) => {
    try {
      const parts = variant.parts(completion, target);
      return { id: variant.id, iou: parts.iou, format: parts.format, total: parts.total };
    } catch {
      return { id: variant.id, iou: Number.NaN, format: Number.NaN, total: Number.NaN };
    }
  });
}

async function profileScores(completions: readonly string[], targets: readonly RaRftTarget[], profile: 'ra-rft' | 'strict', options: ScoreCasesOptions): Promise<ProfileScore[]> {
  const thinkPrefilled = options.thinkPrefilled === true;
  try {
    const results = await raRftRewardBatch(completions, targets, { embedder: options.embedder, profile, thinkPrefilled });
    return results.map((result) => ({ ok: true, result }));
  } catch {
    // One bad target spoils the batch: score each alone so the others still show.
    return Promise.all(
      completions.map(async (completion, i) => {
        const target = targets[i] as RaRftTarget;
        try {
          const [result] = await raRftRewardBatch([completion], [target], { embedder: options.embedder, profile, thinkPrefilled });
          return { ok: true, result: result as RaRftRewardResult } as const;
        } catch (error) {
          const part = (fn: () => number) => {
            try {
              return fn();
            } catch {
              return Number.NaN;
            }
          };
          return {
            ok: false,
            error: error instanceof Error ? error.message : String(error),
            format: formatReward(completion, { profile, thinkPrefilled }),
            refuseIoU: part(() => refuseIoU(completion, target, { profile })),
          } as const;
        }
      }),
    );
  }
}

/**
 * Scores completions (one target each) under the `ra-rft` and `strict` profiles and every other built-in
 * variant of the registry (its own parts). One embed call per profile.
 *
 * @example
 * const target = { relevant: true, span: [3.1, 10.9], duration: 30.04, answer: '3.1 to 10.9', contrast: 'No such event.' } as const;
 * const [score] = await scoreCases(['<think>t</think><answer>3.1 to 10.9</answer><correction>NIL</correction>'], [target], { embedder: trigramHashEmbedder() });
 * score?.variants.slice(0, 4).map((v) => v.iou); // => [1, 1, 0, 1]
 */
export async function scoreCases(completions: readonly string[], targets: readonly RaRftTarget[], options: ScoreCasesOptions): Promise<CaseScore[]> {
  const [reference, strict] = await Promise.all([profileScores(completions, targets, 'ra-rft', options), profileScores(completions, targets, 'strict', options)]);
  return completions.map((completion, i) => ({
    profiles: { 'ra-rft': reference[i] as ProfileScore, strict: strict[i] as ProfileScore },
    variants: variants(completion, targets[i] as RaRftTarget),
  }));
}
