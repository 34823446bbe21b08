import { z } from 'zod';
import { RA_RFT_PARTS, type RaRftPart } from '../internal/reward-parts.js';

const seconds = z.number().finite().nonnegative();

/** The fields of a target as zod types, for schemas that build on them. */
export const targetFields = {
  relevant: z.boolean(),
  span: z.tuple([seconds, seconds]).refine(([start, end]) => end >= start, { message: 'end must be >= start' }).optional(),
  duration: z.number().finite().positive().optional(),
  answer: z.string().optional(),
  contrast: z.string().optional(),
  query: z.string().optional(),
};

function relevantNeedsSpan(target: { relevant: boolean; span?: unknown; duration?: unknown }, context: z.RefinementCtx): void {
  if (!target.relevant) return;
  if (target.span === undefined) context.addIssue({ code: 'custom', path: ['span'], message: 'is required when relevant is true' });
  if (target.duration === undefined) context.addIssue({ code: 'custom', path: ['duration'], message: 'is required when relevant is true' });
}

/**
 * A target field given as `null` counts as absent. Parquet structs (verl's `reward_model.ground_truth`) and
 * pandas rows fill the keys a row lacks with None, so an irrelevant target arrives as `{"span": null, …}`.
 * Required fields stay required: a relevant target with `"span": null` is still told that span is required.
 */
export function nullAsAbsent(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const entries = Object.entries(value);
  if (!entries.some(([, field]) => field === null)) return value;
  return Object.fromEntries(entries.filter(([, field]) => field !== null));
}

/**
 * zod schema of a {@link RaRftTarget} as it arrives over the wire (CLI input, HTTP requests, Python shims):
 * the same rules as the rewards' own checks, reported as zod issues naming each field. Fields given as `null`
 * count as absent.
 */
export const raRftTargetSchema = z.preprocess(nullAsAbsent, z.object(targetFields).superRefine(relevantNeedsSpan));

const referenceText = z.string({ error: 'is required: the explain reward compares the answer with it' });

/** {@link raRftTargetSchema} with the reference texts the full RA-RFT reward needs (`answer`, `contrast`). */
export const raRftRewardTargetSchema = z.preprocess(nullAsAbsent, z.object({ ...targetFields, answer: referenceText, contrast: referenceText }).superRefine(relevantNeedsSpan));

/**
 * The target schema for scoring only `parts` (see `RaRftRewardOptions.parts`): `answer` and `contrast` are
 * required only with `explain`, a relevant target's `span` and `duration` only with `refuseIoU`. All four
 * parts give {@link raRftRewardTargetSchema}.
 */
export function raRftRewardTargetSchemaFor(parts: readonly RaRftPart[]) {
  if (RA_RFT_PARTS.every((part) => parts.includes(part))) return raRftRewardTargetSchema;
  const texts = parts.includes('explain') ? { answer: referenceText, contrast: referenceText } : {};
  const object = z.object({ ...targetFields, ...texts });
  return z.preprocess(nullAsAbsent, parts.includes('refuseIoU') ? object.superRefine(relevantNeedsSpan) : object);
}
