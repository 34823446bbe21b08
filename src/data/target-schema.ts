import { z } from 'zod';

const seconds = z.number().finite().nonnegative();

const targetFields = {
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
 * zod schema of a {@link RaRftTarget} as it arrives over the wire (CLI input, HTTP requests, Python shims):
 * the same rules as the rewards' own checks, reported as zod issues naming each field.
 */
export const raRftTargetSchema = z.object(targetFields).superRefine(relevantNeedsSpan);

const referenceText = z.string({ error: 'is required: the explain reward compares the answer with it' });

/** {@link raRftTargetSchema} with the reference texts the full RA-RFT reward needs (`answer`, `contrast`). */
export const raRftRewardTargetSchema = z.object({ ...targetFields, answer: referenceText, contrast: referenceText }).superRefine(relevantNeedsSpan);
