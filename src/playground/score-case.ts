// Every profile and variant on one completion, for the playground: the numbers come straight from the
// library's exported rewards (raRftRewardBatch per profile, the variants' own functions).
import {
  type Embedder,
  type RaRftRewardResult,
  type RaRftTarget,
  formatReward,
  plainIoU,
  raRftRewardBatch,
  refuseIoU,
  timeLensIoU,
  timeR1IoU,
  tvgR1IoU,
  tvgR1Reward,
} from '../index.js';

/** A profile's four parts and total, or why they could not be computed (a typed library error). */
export type ProfileScore = { ok: true; result: RaRftRewardResult } | { ok: false; error: string; format: number; refuseIoU: number };

/** A rule-based variant: its IoU (span part), its format part and its total. */
export interface VariantScore {
  id: 'time-r1' | 'plain-iou' | 'tvg-r1' | 'timelens';
  iou: number;
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

function variants(completion: string, target: RaRftTarget): VariantScore[] {
  const safe = (fn: () => number): number => {
    try {
      return fn();
    } catch {
      return Number.NaN;
    }
  };
  const r1 = formatReward(completion, { profile: 'r1' });
  const tvgFormat = formatReward(completion, { profile: 'tvg-r1' });
  const timeR1 = safe(() => timeR1IoU(completion, target));
  const plain = safe(() => plainIoU(completion, target));
  return [
    { id: 'time-r1', iou: timeR1, format: r1, total: r1 + timeR1 },
    { id: 'plain-iou', iou: plain, format: r1, total: r1 + plain },
    { id: 'tvg-r1', iou: safe(() => tvgR1IoU(completion, target)), format: tvgFormat, total: safe(() => tvgR1Reward(completion, target)) },
    { id: 'timelens', iou: safe(() => timeLensIoU(completion, target)), format: null, total: safe(() => timeLensIoU(completion, target)) },
  ];
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
 * Scores completions (one target each) under the `ra-rft` and `strict` profiles and the rule-based
 * variants (Time-R1, plain IoU, TVG-R1, TimeLens). One embed call per profile.
 *
 * @example
 * const target = { relevant: true, span: [3.1, 10.9], duration: 30.04, answer: '3.1 to 10.9', contrast: 'No such event.' } as const;
 * const [score] = await scoreCases(['<think>t</think><answer>3.1 to 10.9</answer><correction>NIL</correction>'], [target], { embedder: trigramHashEmbedder() });
 * score?.variants.map((v) => v.iou); // => [1, 1, 0, 1]
 */
export async function scoreCases(completions: readonly string[], targets: readonly RaRftTarget[], options: ScoreCasesOptions): Promise<CaseScore[]> {
  const [reference, strict] = await Promise.all([profileScores(completions, targets, 'ra-rft', options), profileScores(completions, targets, 'strict', options)]);
  return completions.map((completion, i) => ({
    profiles: { 'ra-rft': reference[i] as ProfileScore, strict: strict[i] as ProfileScore },
    variants: variants(completion, targets[i] as RaRftTarget),
  }));
}
