import type { AnswerKind } from '../grounding/classify-answer.js';
import type { RaRftTarget, Span } from '../types.js';

/**
 * One model output to evaluate, with its ground truth.
 *
 * - `target.relevant`: the query is grounded in the video; `target.span` (seconds) is then required.
 * - `target.answer`: the ground-truth answer text; for an irrelevant query, the refusal explanation the
 *   model's explanation is compared with (tags allowed). Optional: without it the item has no explanation score.
 * - `hardness`: the query's hardness / irrelevance level (RA-RFT `hardness_level` or `irrelevance_level`,
 *   HI-VTG `difficulty`), for the per-level breakdown.
 * - `categories`: the query's ground-truth mismatch categories (RA-RFT `gt_categories`, HI-VTG `c`).
 */
export interface EvaluationItem {
  completion: string;
  target: RaRftTarget;
  hardness?: string | undefined;
  categories?: readonly string[] | undefined;
  /** Anything that identifies the item in `items.jsonl` (video, query, input line…). */
  id?: unknown;
}

/** Confusion cell of an item, relevant being the positive class. */
export type ConfusionCell = 'TP' | 'FP' | 'FN' | 'TN';

/** The exact, judge-free evaluation of one item. */
export interface ItemEvaluation {
  /** Position in the input list. */
  index: number;
  id?: unknown;
  gtRelevant: boolean;
  /** What the normalized output's answer does ({@link classifyAnswer}). */
  answer: AnswerKind;
  /** The relevance decision: `relevant` when the answer gives a span, `irrelevant` for a refusal; see `noAnswer`. */
  decision: 'relevant' | 'irrelevant';
  correct: boolean;
  cell: ConfusionCell;
  /** The predicted span, when the answer gives one. */
  span: Span | null;
  /** Temporal IoU of the predicted span with the ground-truth span (relevant queries answered with a span), else null. */
  iou: number | null;
  /** RA-IoU: 1 for a correct refusal, the temporal IoU for a relevant query answered with a span, 0 for a wrong decision. */
  raIoU: number;
  /** 1 when the output has the RA-RFT `<think>…</think><answer>…</answer><correction>…</correction>` format. */
  format: number;
  hardness?: string | undefined;
  categories?: readonly string[] | undefined;
  /** Explanation similarity in [0, 1] (irrelevant queries with a reference text, when an embedder ran), else null. */
  similarity: number | null;
}

/** Precision, recall, F1 and accuracy of one ground-truth class; null where the quotient is 0/0. */
export interface ClassMetrics {
  /** Items whose ground truth is this class. */
  count: number;
  /** Items decided as this class. */
  predicted: number;
  /** Correct decisions / decisions of this class; null when nothing was decided as this class. */
  precision: number | null;
  /** Correct decisions / items of this class; null when the class has no item. */
  recall: number | null;
  /** 2·TP / (2·TP + FP + FN) for this class; null when the class has neither items nor decisions. */
  f1: number | null;
  /** Accuracy within the ground-truth class (the same quotient as recall, as the reference reports it). */
  accuracy: number | null;
  /** Items of this class whose answer is a refusal (no span); null when the class has no item. */
  refusalRate: number | null;
}

/** A mean of RA-IoU (or IoU) and its recalls at the paper's thresholds, as fractions; null for no item. */
export interface RecallMetrics {
  count: number;
  'R@0.3': number | null;
  'R@0.5': number | null;
  'R@0.7': number | null;
}

/** Metrics of one hardness level. */
export interface HardnessMetrics {
  count: number;
  relevant: number;
  irrelevant: number;
  /** Correct decisions / items of the level. */
  accuracy: number;
  confusion: Record<ConfusionCell, number>;
  raIoU: RecallMetrics & { mean: number };
}

/** Refusal accuracy of the irrelevant items that carry a mismatch category. */
export interface CategoryMetrics {
  count: number;
  /** Items refused (decided irrelevant). */
  correct: number;
  accuracy: number;
}

/** Similarity of the model's refusal explanations to the ground-truth ones. */
export interface ExplanationMetrics {
  /** Which embedder ran (the reference used all-mpnet-base-v2): scores of different embedders do not compare. */
  embedder: string;
  /** Irrelevant items with a reference explanation (scored). */
  count: number;
  /** Of them, correct refusals. */
  correctRefusals: number;
  /** The reference's headline: similarities of correct refusals summed, divided by `count` (a wrong decision scores 0); null for no item. */
  mean: number | null;
  /** Mean similarity over correct refusals only; null when there is none. */
  meanCorrectRefusals: number | null;
  /** Irrelevant items left out because they have no reference text. */
  withoutReference: number;
}

/** Everything {@link evaluatePredictions} measures without a judge. */
export interface EvaluationMetrics {
  count: number;
  relevance: {
    /** Correct decisions / all items; null for no item. */
    accuracy: number | null;
    confusion: Record<ConfusionCell, number>;
    relevant: ClassMetrics;
    irrelevant: ClassMetrics;
  };
  /** RA-IoU over all items. */
  raIoU: RecallMetrics & { mean: number | null };
  /** Temporal IoU over relevant items alone (a refusal or no span scores 0). */
  relevantOnly: RecallMetrics & { mIoU: number | null };
  /** Per hardness level (items without one are not counted here). */
  byHardness: Record<string, HardnessMetrics>;
  /** Per ground-truth mismatch category, over irrelevant items. */
  byCategory: Record<string, CategoryMetrics>;
  /** Null when no embedder was given. */
  explanation: ExplanationMetrics | null;
  /** How the answers read: a span, a refusal, or no answer at all. */
  answers: Record<AnswerKind, number>;
  /** Share of outputs in the RA-RFT format; null for no item. */
  formatRate: number | null;
  /** Judge-dependent metrics; null when no judge ran. */
  judged: JudgedMetrics | null;
  /** The settings the numbers depend on. */
  settings: { profile: 'ra-rft' | 'strict'; noAnswer: 'wrong' | 'irrelevant'; stripEndTokens: boolean; thresholds: readonly [0.3, 0.5, 0.7] };
}

/** Judge-dependent metrics (they change with the judge model and its prompts). */
export interface JudgedMetrics {
  /** The judge, e.g. `openai-compatible gpt-4o-mini (prompts v1)`. */
  judge: string;
  reasoning: {
    /** Irrelevant items. */
    count: number;
    /** Correct refusals the judge scored. */
    scored: number;
    /** Replies that held no score (counted as 0). */
    unparsed: number;
    /** The reference's headline: scores (0–5) of correct refusals summed / irrelevant items; null for none. */
    mean: number | null;
    /** Mean score over scored correct refusals; null when none. */
    meanCorrectRefusals: number | null;
  };
  /** Mismatch-category extraction: mean Jaccard of predicted vs ground-truth categories over irrelevant items (a wrong decision predicts none). */
  rtIoU: { count: number; mean: number | null; unparsed: number };
}

/** The judge-dependent part of one item. */
export interface ItemJudgement {
  /** 0–5, null when not judged or the reply held no score. */
  reasoningScore: number | null;
  predictedCategories: string[] | null;
  /** Jaccard of predicted vs ground-truth categories. */
  rtIoU: number | null;
}

/** The result of {@link evaluatePredictions}: the metrics and one record per item. */
export interface EvaluationResult {
  metrics: EvaluationMetrics;
  items: (ItemEvaluation & { judged?: ItemJudgement | undefined })[];
}

/**
 * A judge for the judge-dependent metrics (see `openAIJudge` for one over any OpenAI-compatible endpoint).
 * Each method resolves to null when the judge's reply holds no usable answer; a failed request rejects.
 */
export interface Judge {
  /** Names the judge in reports, e.g. `gpt-4o-mini via http://127.0.0.1:8000/v1 (prompts v1)`. */
  readonly name: string;
  /** How consistent the model's refusal explanation is with the ground-truth one, 0 (none) to 5 (fully). */
  scoreReasoning(explanation: string, reference: string): Promise<number | null>;
  /** The video–text mismatch categories the explanation uses, from {@link VTG_MISMATCH_CATEGORIES}. */
  extractCategories(explanation: string): Promise<string[] | null>;
}
