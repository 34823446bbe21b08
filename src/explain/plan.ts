import { cosine } from '../internal/cosine.js';
import type { VectorLookup } from '../internal/embed.js';
import { referenceText } from '../internal/tags.js';
import { requireText } from '../internal/validate.js';
import type { ProfileRules } from '../rules/types.js';
import type { RaRftTarget } from '../types.js';

/** The texts one explanation score needs, or `null` when the completion has no answer (score 0). */
export interface ExplainTexts {
  prediction: string;
  answer: string;
  contrast: string;
}

/** Step 1 of the explanation reward: extraction. Throws a TargetError when a reference text is missing. */
export function planExplain(fn: string, completion: string, target: RaRftTarget, rules: ProfileRules): ExplainTexts | null {
  const answer = referenceText(requireText(fn, target, 'answer'));
  const contrast = referenceText(requireText(fn, target, 'contrast'));
  const prediction = typeof completion === 'string' ? rules.answer(completion) : null;
  return prediction === null ? null : { prediction, answer, contrast };
}

/** Step 2: `(cos(pred, answer) + 1)/2 − (cos(pred, contrast) + 1)/2`. */
export function scoreExplain(texts: ExplainTexts | null, vector: VectorLookup): number {
  if (texts === null) return 0;
  const prediction = vector(texts.prediction);
  return (cosine(prediction, vector(texts.answer)) + 1) / 2 - (cosine(prediction, vector(texts.contrast)) + 1) / 2;
}
