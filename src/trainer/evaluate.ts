import { formatReward } from '../format/format-reward.js';
import { parseRaRftSpan } from '../grounding/parse-ra-rft-span.js';
import { refuseIoU } from '../grounding/refuse-iou.js';
import { temporalIoU } from '../grounding/temporal-iou.js';
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
 * Metrics of completions for their samples (same order): refusal accuracy on hard-irrelevant samples
 * (RA-RFT `refuseIoU` = 1), plain temporal IoU of the answer span on relevant ones (mIoU, R@0.5), false
 * refusals (an answer without a span on a relevant sample) and the RA-RFT format rate.
 */
export function evaluateCompletions(samples: readonly SyntheticSample[], completions: readonly string[]): EvaluationMetrics {
  let refused = 0;
  let falseRefusals = 0;
  let iouSum = 0;
  let hits = 0;
  let formatted = 0;
  let relevantCount = 0;
  let irrelevantCount = 0;
  samples.forEach((sample, i) => {
    const completion = completions[i] ?? '';
    formatted += formatReward(completion);
    if (sample.relevant) {
      relevantCount++;
      const span = answerSpan(completion);
      if (span === null && lastTagContent(completion, '<answer>', '</answer>') !== null) falseRefusals++;
      const iou = span === null ? 0 : temporalIoU(span, sample.target.span as Span);
      iouSum += iou;
      if (iou >= 0.5) hits++;
    } else {
      irrelevantCount++;
      refused += refuseIoU(completion, sample.target);
    }
  });
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  return {
    refusalAccuracy: ratio(refused, irrelevantCount),
    falseRefusalRate: ratio(falseRefusals, relevantCount),
    mIoU: ratio(iouSum, relevantCount),
    recallAt05: ratio(hits, relevantCount),
    formatRate: ratio(formatted, samples.length),
    relevantCount,
    irrelevantCount,
  };
}
