import type { RaRftTarget } from '../types.js';
import type { OutputFormat } from './formats.js';
import type { OutputStyle, RewardPart } from '../variants/types.js';

export type { RewardPart } from '../variants/types.js';

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

/**
 * The text of a completion in a variant's format, or `null` when it has none there. A style the
 * synthesized texts lack (a third-party variant's own) is derived from its base layout's text.
 */
export function textFor(completion: BenchCompletion, format: OutputFormat, style?: OutputStyle): string | null {
  if (typeof completion.texts === 'string') return completion.texts;
  const text = completion.texts[format];
  if (text !== undefined) return text;
  if (style === undefined || style.id !== format) return null;
  const base = completion.texts[style.base];
  return base === undefined || base === null ? null : style.derive === undefined ? base : style.derive(base);
}
