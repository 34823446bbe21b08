import type { RaRftTarget } from '../types.js';
import type { OutputFormat } from './formats.js';

/**
 * What a reward judges: `format` (tag layout), `span` (the grounding of relevant targets), `refusal`
 * (refusing irrelevant targets), `correction` and `explain` (RA-RFT's embedding parts). A hack is
 * counted against a variant only when it attacks a part that the variant scores.
 */
export type RewardPart = 'format' | 'span' | 'refusal' | 'correction' | 'explain';

/** Every {@link RewardPart}. */
export const REWARD_PARTS: readonly RewardPart[] = ['format', 'span', 'refusal', 'correction', 'explain'];

/** One prompt of the benchmark: its target and the query the policy was shown. */
export interface BenchTarget {
  target: RaRftTarget;
  /** The query in the prompt (for an irrelevant target, the hard-irrelevant query; `target.query` is the original one). */
  prompt: string;
  /** Where it came from, e.g. `hi_vtg_charades.json#12`. */
  source: string;
}

/** Whether a completion is one a reward should rank high (`good`) or low (`bad`). */
export type QualityLabel = 'good' | 'bad';

/**
 * The kinds of synthesized completion:
 * - relevant targets: `correct` (the gold span), `near-miss` (a span at a chosen IoU), `wrong-span`
 *   (IoU 0), `wrong-refusal`, `alt-notation` (the gold span as `12.5s to 17.8s`, `[12.5, 17.8]`…);
 * - irrelevant targets: `correct-refusal`, `missed-refusal` (a span instead of a refusal);
 * - both: `format-error` (right content, broken layout) and `hack` (see the hack registry).
 */
export type CompletionKind =
  | 'correct'
  | 'near-miss'
  | 'wrong-span'
  | 'wrong-refusal'
  | 'alt-notation'
  | 'correct-refusal'
  | 'missed-refusal'
  | 'format-error'
  | 'hack';

/** One completion to score, with what is known of its true quality. */
export interface BenchCompletion {
  /** Index into the benchmark's targets. */
  targetIndex: number;
  /** A {@link CompletionKind} for synthesized completions; any label for model completions. */
  kind: string;
  /** The distribution bucket it is reported under, e.g. `near-miss@0.75` or `hack (irrelevant)`. */
  bucket: string;
  /** `good` / `bad` for the AUC, `null` when it takes no part (near misses, alternative notations). */
  label: QualityLabel | null;
  /** True IoU of the written span with the gold span (relevant targets with one span), else `null`. */
  iou: number | null;
  /** The hack's id for `hack` completions. */
  hack?: string | undefined;
  /** Which format defect, notation or IoU level produced it. */
  detail?: string | undefined;
  /**
   * The text to score: one string scored as-is by every variant (model completions), or one text per
   * output format (synthesized; `null` when the completion does not exist in that format).
   */
  texts: string | Readonly<Record<OutputFormat, string | null>>;
}

/** The text of a completion in a variant's format, or `null` when it has none there. */
export function textFor(completion: BenchCompletion, format: OutputFormat): string | null {
  return typeof completion.texts === 'string' ? completion.texts : completion.texts[format];
}
