import { OptionsError, TargetError } from '../errors.js';
import { formatReward } from '../format/format-reward.js';
import { type StripEndTokensOptions, stripEndTokens } from '../format/strip-end-tokens.js';
import { type AnswerKind, classifyAnswer } from '../grounding/classify-answer.js';
import { temporalIoU } from '../grounding/temporal-iou.js';
import { cosine } from '../internal/cosine.js';
import { assertEmbedder, embedDistinct } from '../internal/embed.js';
import { profileRules } from '../rules/profile-rules.js';
import type { Embedder, RewardProfile, Span } from '../types.js';
import { categoryJaccard } from './categories.js';
import { explanationText, referenceText } from './texts.js';
import type {
  CategoryMetrics,
  ClassMetrics,
  ConfusionCell,
  EvaluationItem,
  EvaluationMetrics,
  EvaluationResult,
  ExplanationMetrics,
  HardnessMetrics,
  ItemEvaluation,
  ItemJudgement,
  Judge,
  JudgedMetrics,
  RecallMetrics,
} from './types.js';

/** Options of {@link evaluatePredictions}. */
export interface EvaluatePredictionsOptions {
  /** How answers are read ({@link classifyAnswer}): `ra-rft` (default, the reference's parser) or `strict`. */
  profile?: RewardProfile | undefined;
  /**
   * An output with no answer at all (`classifyAnswer` → `none`):
   * - `wrong` (default): a wrong decision whatever the truth (FN for a relevant query, FP for an irrelevant one),
   *   so unreadable output never earns credit — as the trainer's held-out refusal accuracy counts it;
   * - `irrelevant`: decided irrelevant, as the reference evaluator does when its judge gives no class.
   */
  noAnswer?: 'wrong' | 'irrelevant' | undefined;
  /** Strip trailing end-of-turn / pad tokens first ({@link stripEndTokens}); true (default), false, or its options. */
  stripEndTokens?: boolean | StripEndTokensOptions | undefined;
  /** Scores refusal explanations (cosine clipped to [0, 1]); without it `metrics.explanation` is null. */
  embedder?: Embedder | undefined;
  /** Names the embedder in the metrics; default `embedder.name`, else `unnamed embedder`. */
  embedderName?: string | undefined;
  /** Texts per `embed` call (default 64). */
  batchSize?: number | undefined;
  /** Adds the judge-dependent metrics; without it `metrics.judged` is null. */
  judge?: Judge | undefined;
  /** Called as items are done, per stage. */
  onProgress?: ((stage: 'explanation' | 'judge', done: number, total: number) => void) | undefined;
}

const FN_NAME = 'evaluatePredictions';
const THRESHOLDS = [0.3, 0.5, 0.7] as const;

const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

function checkTarget(item: EvaluationItem, index: number): Span | null {
  const field = `items[${index}]`;
  if (item === null || typeof item !== 'object') throw new TargetError(FN_NAME, field, 'must be an object {completion, target}');
  const target = item.target as unknown;
  if (target === null || typeof target !== 'object') throw new TargetError(FN_NAME, `${field}.target`, 'must be an object with a boolean `relevant`');
  const { relevant, span } = target as { relevant?: unknown; span?: unknown };
  if (typeof relevant !== 'boolean') throw new TargetError(FN_NAME, `${field}.target.relevant`, `must be a boolean, got ${JSON.stringify(relevant)}`);
  if (!relevant) return null;
  const ok = Array.isArray(span) && span.length === 2 && span.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0) && (span[1] as number) >= (span[0] as number);
  if (!ok) throw new TargetError(FN_NAME, `${field}.target.span`, `must be [start, end] seconds with 0 <= start <= end for a relevant target, got ${JSON.stringify(span)}`);
  return span as unknown as Span;
}

function predictedSpan(text: string, profile: RewardProfile): Span | null {
  const rules = profileRules(FN_NAME, profile);
  const answer = rules.answer(text);
  return answer === null ? null : rules.span(answer);
}

/** The exact evaluation of one item (no explanation similarity yet). */
function evaluateItem(item: EvaluationItem, index: number, text: string, profile: RewardProfile, noAnswer: 'wrong' | 'irrelevant'): ItemEvaluation {
  const gtSpan = checkTarget(item, index);
  const gtRelevant = item.target.relevant;
  const answer: AnswerKind = classifyAnswer(text, { profile });
  const span = answer === 'span' ? predictedSpan(text, profile) : null;
  const decision = answer === 'span' ? 'relevant' : answer === 'refusal' || noAnswer === 'irrelevant' ? 'irrelevant' : gtRelevant ? 'irrelevant' : 'relevant';
  const correct = (decision === 'relevant') === gtRelevant;
  const cell: ConfusionCell = gtRelevant ? (correct ? 'TP' : 'FN') : correct ? 'TN' : 'FP';
  const iou = gtRelevant && span !== null && gtSpan !== null ? temporalIoU(span, gtSpan) : null;
  const raIoU = !correct ? 0 : gtRelevant ? (iou ?? 0) : 1;
  return {
    index,
    ...(item.id === undefined ? {} : { id: item.id }),
    gtRelevant,
    answer,
    decision,
    correct,
    cell,
    span,
    iou,
    raIoU,
    format: formatReward(text, { profile }),
    ...(item.hardness === undefined ? {} : { hardness: item.hardness }),
    ...(item.categories === undefined ? {} : { categories: item.categories }),
    similarity: null,
  };
}

function recalls(values: readonly number[]): RecallMetrics {
  const at = (threshold: number) => ratio(values.filter((value) => value >= threshold).length, values.length);
  return { count: values.length, 'R@0.3': at(0.3), 'R@0.5': at(0.5), 'R@0.7': at(0.7) };
}

const mean = (values: readonly number[]): number | null => ratio(values.reduce((sum, value) => sum + value, 0), values.length);

function confusionOf(items: readonly ItemEvaluation[]): Record<ConfusionCell, number> {
  const confusion = { TP: 0, FP: 0, FN: 0, TN: 0 };
  for (const item of items) confusion[item.cell]++;
  return confusion;
}

function classMetrics(items: readonly ItemEvaluation[], relevant: boolean): ClassMetrics {
  const { TP, FP, FN, TN } = confusionOf(items);
  // For the irrelevant class the roles swap: its true positives are the relevance TNs.
  const [tp, fp, fn] = relevant ? [TP, FP, FN] : [TN, FN, FP];
  const members = items.filter((item) => item.gtRelevant === relevant);
  const recall = ratio(tp, tp + fn);
  return {
    count: tp + fn,
    predicted: tp + fp,
    precision: ratio(tp, tp + fp),
    recall,
    f1: ratio(2 * tp, 2 * tp + fp + fn),
    accuracy: recall,
    refusalRate: ratio(members.filter((item) => item.answer === 'refusal').length, members.length),
  };
}

function hardnessMetrics(items: readonly ItemEvaluation[]): Record<string, HardnessMetrics> {
  const levels = new Map<string, ItemEvaluation[]>();
  for (const item of items) {
    if (item.hardness === undefined || item.hardness === '') continue;
    const members = levels.get(item.hardness);
    if (members === undefined) levels.set(item.hardness, [item]);
    else members.push(item);
  }
  const out: Record<string, HardnessMetrics> = {};
  for (const [level, members] of [...levels].sort(([a], [b]) => a.localeCompare(b))) {
    const values = members.map((item) => item.raIoU);
    out[level] = {
      count: members.length,
      relevant: members.filter((item) => item.gtRelevant).length,
      irrelevant: members.filter((item) => !item.gtRelevant).length,
      accuracy: members.filter((item) => item.correct).length / members.length,
      confusion: confusionOf(members),
      raIoU: { mean: mean(values) as number, ...recalls(values) },
    };
  }
  return out;
}

function categoryMetrics(items: readonly ItemEvaluation[]): Record<string, CategoryMetrics> {
  const counts = new Map<string, { count: number; correct: number }>();
  for (const item of items) {
    if (item.gtRelevant) continue;
    for (const label of new Set(item.categories ?? [])) {
      const entry = counts.get(label) ?? { count: 0, correct: 0 };
      entry.count++;
      if (item.correct) entry.correct++;
      counts.set(label, entry);
    }
  }
  const out: Record<string, CategoryMetrics> = {};
  for (const [label, { count, correct }] of [...counts].sort(([a], [b]) => a.localeCompare(b))) out[label] = { count, correct, accuracy: correct / count };
  return out;
}

async function explanationMetrics(
  results: ItemEvaluation[],
  items: readonly EvaluationItem[],
  texts: readonly string[],
  embedder: Embedder,
  name: string,
  batchSize: number,
  onProgress: EvaluatePredictionsOptions['onProgress'],
): Promise<ExplanationMetrics> {
  const pairs: { result: ItemEvaluation; prediction: string; reference: string }[] = [];
  let withoutReference = 0;
  for (const result of results) {
    if (result.gtRelevant) continue;
    const answer = items[result.index]?.target.answer;
    const reference = typeof answer === 'string' ? referenceText(answer) : '';
    if (reference === '') withoutReference++;
    else pairs.push({ result, prediction: explanationText(texts[result.index] as string), reference });
  }
  for (let start = 0; start < pairs.length; start += batchSize) {
    const batch = pairs.slice(start, start + batchSize);
    const vector = await embedDistinct(FN_NAME, embedder, batch.flatMap((pair) => (pair.prediction === '' ? [] : [pair.prediction, pair.reference])));
    // The reference scores an empty explanation 0 without embedding it.
    for (const pair of batch) pair.result.similarity = pair.prediction === '' ? 0 : Math.min(1, Math.max(0, cosine(vector(pair.prediction), vector(pair.reference))));
    onProgress?.('explanation', Math.min(pairs.length, start + batchSize), pairs.length);
  }
  const correct = pairs.filter((pair) => pair.result.correct).map((pair) => pair.result.similarity as number);
  return {
    embedder: name,
    count: pairs.length,
    correctRefusals: correct.length,
    mean: ratio(correct.reduce((sum, value) => sum + value, 0), pairs.length),
    meanCorrectRefusals: mean(correct),
    withoutReference,
  };
}

async function judgedMetrics(
  results: readonly ItemEvaluation[],
  items: readonly EvaluationItem[],
  texts: readonly string[],
  judge: Judge,
  onProgress: EvaluatePredictionsOptions['onProgress'],
): Promise<{ metrics: JudgedMetrics; perItem: Map<number, ItemJudgement> }> {
  const irrelevant = results.filter((result) => !result.gtRelevant);
  const perItem = new Map<number, ItemJudgement>();
  let reasoningUnparsed = 0;
  let categoriesUnparsed = 0;
  let done = 0;
  await Promise.all(
    irrelevant.map(async (result) => {
      const truth = result.categories ?? [];
      let judgement: ItemJudgement;
      if (!result.correct) {
        // A wrong decision gives no explanation: no category, no reasoning score (the reference counts it 0).
        judgement = { reasoningScore: null, predictedCategories: [], rtIoU: categoryJaccard([], truth) };
      } else {
        const explanation = explanationText(texts[result.index] as string);
        const answer = items[result.index]?.target.answer;
        const reference = typeof answer === 'string' ? referenceText(answer) : '';
        const [score, categories] = await Promise.all([
          explanation === '' ? 0 : reference === '' ? null : judge.scoreReasoning(explanation, reference),
          explanation === '' ? [] : judge.extractCategories(explanation),
        ]);
        if (score === null && reference !== '') reasoningUnparsed++;
        if (categories === null) categoriesUnparsed++;
        const predicted = categories ?? [];
        judgement = { reasoningScore: reference === '' ? null : score === null ? 0 : Math.min(5, Math.max(0, score)), predictedCategories: predicted, rtIoU: categoryJaccard(predicted, truth) };
      }
      perItem.set(result.index, judgement);
      onProgress?.('judge', ++done, irrelevant.length);
    }),
  );
  const scores = irrelevant.flatMap((result) => {
    const score = perItem.get(result.index)?.reasoningScore;
    return score === null || score === undefined ? [] : [score];
  });
  const jaccards = irrelevant.map((result) => perItem.get(result.index)?.rtIoU as number);
  return {
    metrics: {
      judge: judge.name,
      reasoning: {
        count: irrelevant.length,
        scored: scores.length,
        unparsed: reasoningUnparsed,
        mean: ratio(scores.reduce((sum, value) => sum + value, 0), irrelevant.length),
        meanCorrectRefusals: mean(scores),
      },
      rtIoU: { count: jaccards.length, mean: mean(jaccards), unparsed: categoriesUnparsed },
    },
    perItem,
  };
}

/**
 * The RA-RFT paper's evaluation protocol (JINSUBY/RA-RFT src/llm_eval/, commit 8843cbb), exact and offline for
 * everything that needs no model. Each output is normalized ({@link stripEndTokens}) and its answer read with
 * {@link classifyAnswer}: a span decides "relevant", a refusal "irrelevant" (no answer: see `noAnswer`).
 *
 * - Relevance: accuracy and confusion counts with relevant as the positive class; per class precision
 *   TP/(TP+FP), recall TP/(TP+FN), F1 2TP/(2TP+FP+FN) and accuracy within the class (for the irrelevant
 *   class TP is the relevance TN).
 * - RA-IoU per item: 1 for a correct refusal, IoU(predicted, truth) for a relevant query answered with a span,
 *   0 for a wrong decision. Its mean and R@k = share of all items with RA-IoU ≥ k (k = 0.3, 0.5, 0.7; a tie
 *   counts). `relevantOnly`: mIoU and R@k of the temporal IoU over relevant items (no span → 0).
 * - `byHardness`, `byCategory` (refusal accuracy per ground-truth mismatch category), explanation
 *   similarity (cosine clipped to [0, 1]) with `options.embedder`, judged metrics with `options.judge`.
 *
 * Every quotient whose denominator is 0 (an empty class, no item) is `null`, never NaN and never a made-up 0.
 * R@k are fractions in [0, 1] (the reference prints percentages). Bad model output never throws: it is a
 * wrong decision or a miss. A bad target throws a {@link TargetError} naming `items[i].target.<field>`.
 *
 * @example
 * const items = [
 *   { completion: '<answer>2 to 6</answer>', target: { relevant: true, span: [2, 8] } },
 *   { completion: '<answer>No dog is in this video.</answer>', target: { relevant: false } },
 * ];
 * const { metrics } = await evaluatePredictions(items);
 * metrics.relevance.confusion; // => { TP: 1, FP: 0, FN: 0, TN: 1 }
 * metrics.raIoU.mean; // => 0.8333333333333333
 * metrics.relevance.irrelevant.precision; // => 1
 */
export async function evaluatePredictions(items: readonly EvaluationItem[], options?: EvaluatePredictionsOptions): Promise<EvaluationResult> {
  if (!Array.isArray(items)) throw new OptionsError(FN_NAME, 'items', 'must be an array of {completion, target}');
  const profile = options?.profile ?? 'ra-rft';
  if (profile !== 'ra-rft' && profile !== 'strict') throw new OptionsError(FN_NAME, 'options.profile', `must be 'ra-rft' or 'strict', got ${JSON.stringify(profile)}`);
  const noAnswer = options?.noAnswer ?? 'wrong';
  if (noAnswer !== 'wrong' && noAnswer !== 'irrelevant') throw new OptionsError(FN_NAME, 'options.noAnswer', `must be 'wrong' or 'irrelevant', got ${JSON.stringify(noAnswer)}`);
  const batchSize = options?.batchSize ?? 64;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new OptionsError(FN_NAME, 'options.batchSize', `must be a positive integer, got ${String(batchSize)}`);
  if (options?.embedder !== undefined) assertEmbedder(FN_NAME, options.embedder);
  const strip = options?.stripEndTokens ?? true;
  const stripOptions = typeof strip === 'object' ? strip : undefined;

  const texts = items.map((item) => {
    const completion = (item as { completion?: unknown } | null)?.completion;
    const text = typeof completion === 'string' ? completion : '';
    return strip === false ? text : stripEndTokens(text, stripOptions);
  });
  const results = items.map((item, index) => evaluateItem(item, index, texts[index] as string, profile, noAnswer));

  const raIoU = results.map((result) => result.raIoU);
  const relevantIoU = results.filter((result) => result.gtRelevant).map((result) => result.iou ?? 0);
  const answers = { span: 0, refusal: 0, none: 0 };
  for (const result of results) answers[result.answer]++;
  const explanation =
    options?.embedder === undefined
      ? null
      : await explanationMetrics(results, items, texts, options.embedder, options.embedderName ?? options.embedder.name ?? 'unnamed embedder', batchSize, options.onProgress);
  const judged = options?.judge === undefined ? null : await judgedMetrics(results, items, texts, options.judge, options.onProgress);

  const metrics: EvaluationMetrics = {
    count: results.length,
    relevance: {
      accuracy: ratio(results.filter((result) => result.correct).length, results.length),
      confusion: confusionOf(results),
      relevant: classMetrics(results, true),
      irrelevant: classMetrics(results, false),
    },
    raIoU: { mean: mean(raIoU), ...recalls(raIoU) },
    relevantOnly: { mIoU: mean(relevantIoU), ...recalls(relevantIoU) },
    byHardness: hardnessMetrics(results),
    byCategory: categoryMetrics(results),
    explanation,
    answers,
    formatRate: mean(results.map((result) => result.format)),
    judged: judged?.metrics ?? null,
    settings: { profile, noAnswer, stripEndTokens: strip !== false, thresholds: THRESHOLDS },
  };
  const perItem = judged?.perItem;
  return { metrics, items: perItem === undefined ? results : results.map((result) => ({ ...result, ...(perItem.has(result.index) ? { judged: perItem.get(result.index) } : {}) })) };
}
