import { evaluatePredictions } from '../evaluate/evaluate-predictions.js';
import { parseRaRftSpan } from '../internal/parsers/parse-ra-rft-span.js';
import { lastTagContent } from '../internal/tags.js';
import type { Span } from '../types.js';
import type { SyntheticSample } from './task.js';

/** Grounding and refusal metrics of a set of completions. */
export interface EvaluationMetrics {
  /** Hard-irrelevant queries answered with a refusal (RA-RFT refuseIoU = 1: an answer without a span). */
  refusalAccuracy: number;
  /** Relevant queries wrongly refused (an answer without a span). */
  falseRefusalRate: number;
  /** Mean temporal IoU on relevant queries (0 for a refusal or no answer). */
  mIoU: number;
  /** Share of relevant queries with IoU ≥ 0.5. */
  recallAt05: number;
  /** Share of completions with the RA-RFT format. */
  formatRate: number;
  relevantCount: number;
  irrelevantCount: number;
}

/**
 * The span of a completion's last answer, as RA-RFT parses it, or `null`.
 *
 * @example
 * answerSpan('<think> 3 9 opens red door </think> <answer> 3 to 9 </answer>'); // => [3, 9]
 * answerSpan('<answer> not kicks but opens </answer>'); // => null
 */
export function answerSpan(completion: string): Span | null {
  const answer = lastTagContent(completion, '<answer>', '</answer>');
  return answer === null ? null : parseRaRftSpan(answer);
}

/**
 * Metrics of completions for their samples (same order), through the evaluation protocol of
 * `ra-rft-rewards/evaluate` (`evaluatePredictions`, no end-token stripping, a missing answer a wrong decision):
 * refusal accuracy on hard-irrelevant samples (an answer without a span, RA-RFT `refuseIoU` = 1), plain temporal
 * IoU of the answer span on relevant ones (mIoU, R@0.5; 0 for a refusal or no answer), false refusals (an
 * answer without a span on a relevant sample) and the RA-RFT format rate. An empty class gives 0.
 */
export async function evaluateCompletions(samples: readonly SyntheticSample[], completions: readonly string[]): Promise<EvaluationMetrics> {
  const items = samples.map((sample, i) => ({ completion: completions[i] ?? '', target: sample.target }));
  const { metrics } = await evaluatePredictions(items, { noAnswer: 'wrong', stripEndTokens: false });
  return {
    refusalAccuracy: metrics.relevance.irrelevant.accuracy ?? 0,
    falseRefusalRate: metrics.relevance.relevant.refusalRate ?? 0,
    mIoU: metrics.relevantOnly.mIoU ?? 0,
    recallAt05: metrics.relevantOnly['R@0.5'] ?? 0,
    formatRate: metrics.formatRate ?? 0,
    relevantCount: metrics.relevance.relevant.count,
    irrelevantCount: metrics.relevance.irrelevant.count,
  };
}
