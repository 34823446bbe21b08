import { type CorrectionPlan, planCorrection, scoreCorrection } from '../correction/plan.js';
import { OptionsError } from '../errors.js';
import { type ExplainTexts, planExplain, scoreExplain } from '../explain/plan.js';
import { assertEmbedder, embedDistinct } from '../internal/embed.js';
import { RA_RFT_PARTS, type RaRftPart } from '../internal/reward-parts.js';
import { assertFiniteNumber, assertSameLength, assertTarget } from '../internal/validate.js';
import { profileRules } from '../rules/profile-rules.js';
import type { ProfileRules } from '../rules/types.js';
import type { Embedder, RaRftTarget, RewardProfile } from '../types.js';

export type { RaRftPart } from '../internal/reward-parts.js';

/** The options of {@link raRftReward} and {@link raRftRewardBatch} that do not depend on the parts scored. */
export interface RaRftRewardCommonOptions {
  /** Weight of each part in `total`; missing parts weigh 1 (the reference sums them unweighted). */
  weights?: Partial<Record<RaRftPart, number>> | undefined;
  /** `ra-rft` (default, the reference) or `strict` for every part. */
  profile?: RewardProfile | undefined;
  /** See {@link FormatRewardOptions.thinkPrefilled}. */
  thinkPrefilled?: boolean | undefined;
}

/**
 * Options of {@link raRftReward} and {@link raRftRewardBatch}. `parts` (default all four) picks the parts to
 * score. A part left out is not computed: it is 0 in the result, adds nothing to `total`, and the target
 * fields only it reads are not required (`refuseIoU`: a relevant target's `span` and `duration`; `explain`:
 * `answer` and `contrast`). So a dataset with spans only can be scored for `format` and `refuseIoU`, and then
 * no embedder is needed.
 */
export type RaRftRewardOptions = RaRftRewardCommonOptions &
  (
    | {
        /** Sentence embedder for the explain and correction parts (the reference: all-MiniLM-L6-v2). */
        embedder: Embedder;
        parts?: readonly RaRftPart[] | undefined;
      }
    | {
        /** Not read: no part that embeds is scored. */
        embedder?: Embedder | undefined;
        parts: readonly ('format' | 'refuseIoU')[];
      }
  );

/** Every part of the RA-RFT reward of one completion. */
export interface RaRftRewardResult {
  /** `Σ weight · part`. */
  total: number;
  format: number;
  refuseIoU: number;
  explain: number;
  correction: number;
  /** `explain + correction`: the reference's single "explain" reward function value. */
  explainAndCorrection: number;
}

/** The vector lookup when nothing is embedded (no part reads it). */
const NO_VECTORS = (): ArrayLike<number> => [];

interface Plan {
  format: number;
  refuseIoU: number;
  explain: ExplainTexts | null;
  correction: CorrectionPlan;
}

function resolveWeights(fn: string, weights: RaRftRewardOptions['weights']): Record<RaRftPart, number> {
  const resolved = { format: 1, refuseIoU: 1, explain: 1, correction: 1 };
  if (weights === undefined) return resolved;
  if (weights === null || typeof weights !== 'object') throw new OptionsError(fn, 'options.weights', 'must be an object');
  for (const key of Object.keys(weights)) {
    if (!(RA_RFT_PARTS as readonly string[]).includes(key)) throw new OptionsError(fn, `options.weights.${key}`, `is not a reward part (${RA_RFT_PARTS.join(', ')})`);
    const value = weights[key as RaRftPart];
    if (value === undefined) continue;
    resolved[key as RaRftPart] = assertFiniteNumber(fn, `options.weights.${key}`, value);
  }
  return resolved;
}

type PartSet = Record<RaRftPart, boolean>;

const ALL_PARTS: PartSet = { format: true, refuseIoU: true, explain: true, correction: true };

function resolveParts(fn: string, parts: RaRftRewardOptions['parts']): PartSet {
  if (parts === undefined) return ALL_PARTS;
  if (!Array.isArray(parts) || parts.length === 0) throw new OptionsError(fn, 'options.parts', `must be a non-empty array of reward parts (${RA_RFT_PARTS.join(', ')})`);
  const set: PartSet = { format: false, refuseIoU: false, explain: false, correction: false };
  parts.forEach((part: unknown, i) => {
    if (typeof part !== 'string' || !(RA_RFT_PARTS as readonly string[]).includes(part)) {
      throw new OptionsError(fn, `options.parts[${i}]`, `is not a reward part (${RA_RFT_PARTS.join(', ')}), got ${JSON.stringify(part)}`);
    }
    set[part as RaRftPart] = true;
  });
  return set;
}

const SKIPPED_CORRECTION: CorrectionPlan = { score: 0 };

function plan(fn: string, completion: string, target: RaRftTarget, rules: ProfileRules, thinkPrefilled: boolean, parts: PartSet): Plan {
  assertTarget(fn, target, parts.refuseIoU);
  const text = typeof completion === 'string' ? completion : null;
  return {
    format: parts.format && text !== null && rules.isFormat(thinkPrefilled ? `<think>${text}` : text) ? 1 : 0,
    refuseIoU: !parts.refuseIoU || text === null ? 0 : rules.refuseIoU(text, target, rules.minRefusalWords),
    explain: parts.explain ? planExplain(fn, completion, target, rules) : null,
    correction: parts.correction ? planCorrection(completion, target, rules) : SKIPPED_CORRECTION,
  };
}

function textsOf(item: Plan): string[] {
  const texts: string[] = [];
  if (item.explain !== null) texts.push(item.explain.prediction, item.explain.answer, item.explain.contrast);
  if (!('score' in item.correction)) texts.push(item.correction.correction, item.correction.query);
  return texts;
}

function finish(item: Plan, vector: (text: string) => ArrayLike<number>, weights: Record<RaRftPart, number>): RaRftRewardResult {
  const explain = scoreExplain(item.explain, vector);
  const correction = scoreCorrection(item.correction, 'embedding', vector);
  const total = weights.format * item.format + weights.refuseIoU * item.refuseIoU + weights.explain * explain + weights.correction * correction;
  return { total, format: item.format, refuseIoU: item.refuseIoU, explain, correction, explainAndCorrection: explain + correction };
}

/**
 * The full RA-RFT reward of one completion: format + refuseIoU + explain + correction (each weighted,
 * default 1). One `embed` call. Source: RA-RFT ("Learning to Refuse", JINSUBY/RA-RFT, main_rarft.py, commit 8843cbb).
 *
 * @example
 * const target = { relevant: true, span: [3.1, 10.9], duration: 30.04, answer: '3.1 to 10.9', contrast: 'No such event.' };
 * const r = await raRftReward('<think>seen</think><answer>3.1 to 10.9</answer><correction>NIL</correction>', target, { embedder: trigramHashEmbedder() });
 * [r.format, r.refuseIoU, r.correction]; // => [1, 1, 1]
 */
export async function raRftReward(completion: string, target: RaRftTarget, options: RaRftRewardOptions): Promise<RaRftRewardResult> {
  const [result] = await scoreBatch('raRftReward', [completion], [target], options);
  return result as RaRftRewardResult;
}

/**
 * {@link raRftReward} for many completions: `targets` is one target per completion, or a single target
 * shared by the whole group. Each distinct text is embedded once, in ONE `embed` call for the batch;
 * the numbers equal the per-item ones (as long as the embedder is deterministic per text).
 *
 * @example
 * const target = { relevant: false, answer: 'No one sings.', contrast: '1 to 2', query: 'a man dances.' };
 * const results = await raRftRewardBatch(['<answer>1 to 2</answer>', '<answer>No one sings.</answer>'], target, { embedder: trigramHashEmbedder() });
 * results.map((r) => r.refuseIoU); // => [0, 1]
 */
export async function raRftRewardBatch(
  completions: readonly string[],
  targets: readonly RaRftTarget[] | RaRftTarget,
  options: RaRftRewardOptions,
): Promise<RaRftRewardResult[]> {
  const fn = 'raRftRewardBatch';
  if (!Array.isArray(completions)) throw new OptionsError(fn, 'completions', 'must be an array of strings');
  const targetList = Array.isArray(targets) ? (targets as readonly RaRftTarget[]) : completions.map(() => targets as RaRftTarget);
  assertSameLength(fn, 'targets', completions.length, targetList.length);
  return scoreBatch(fn, completions, targetList, options);
}

async function scoreBatch(fn: string, completions: readonly string[], targets: readonly RaRftTarget[], options: RaRftRewardOptions): Promise<RaRftRewardResult[]> {
  const parts = resolveParts(fn, options?.parts);
  const embeds = parts.explain || parts.correction;
  // Without options the embedder check names what is missing (options.embedder), as before `parts` existed.
  if (embeds || options === null || typeof options !== 'object') assertEmbedder(fn, options?.embedder);
  const weights = resolveWeights(fn, options.weights);
  const rules = profileRules(fn, options.profile);
  const thinkPrefilled = options.thinkPrefilled === true;
  const plans = completions.map((completion, i) => plan(fn, completion, targets[i] as RaRftTarget, rules, thinkPrefilled, parts));
  const vector = embeds ? await embedDistinct(fn, options.embedder as Embedder, plans.flatMap(textsOf)) : NO_VECTORS;
  return plans.map((item) => finish(item, vector, weights));
}
