import { z } from 'zod';

/** One GRPO entry of a HI-VTG item: a query `q`, its answer text `a`, relevance `r`. */
export const hiVtgEntrySchema = z.looseObject({
  q: z.string(),
  a: z.string(),
  r: z.boolean(),
  c: z.array(z.string()).optional(),
  q_origin: z.string().optional(),
  difficulty: z.string().nullable().optional(),
});

/** A HI-VTG annotation item (RA-RFT's dataset/anno files); unknown fields are kept. */
export const hiVtgItemSchema = z.looseObject({
  video: z.string(),
  query_text: z.string(),
  // Simply-shuffled items whose queries are all irrelevant (ss_vtg_charades.json) carry an empty timestamp.
  timestamp: z.union([
    z.tuple([]),
    z.tuple([z.number().nonnegative(), z.number().nonnegative()]).refine(([start, end]) => end >= start, { message: 'end must be >= start' }),
  ]),
  duration: z.number().positive(),
  think: z.string().optional(),
  GRPO: z.array(hiVtgEntrySchema).min(1),
});

/** A HI-VTG annotation item. */
export type HiVtgItem = z.infer<typeof hiVtgItemSchema>;
/** One GRPO entry of a HI-VTG item. */
export type HiVtgEntry = z.infer<typeof hiVtgEntrySchema>;
