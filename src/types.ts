/** A temporal segment `[start, end]` in seconds. */
export type Span = readonly [start: number, end: number];

/**
 * The ground truth for one prompt (the reference trainer's sample).
 *
 * - `relevant`: the query is grounded in the video (reference task type "answerable") or not ("refusable").
 * - `span`, `duration`: seconds; required when `relevant` is true.
 * - `answer`: the reference answer text: a timestamp text for relevant targets, the refusal explanation
 *   for irrelevant ones. `<answer>…</answer>` tags are allowed and reduced to the last tag's content.
 * - `contrast`: the contrasting answer text (a refusal for relevant targets, the timestamp text otherwise).
 * - `query`: the original relevant query of the same video, which a correction should recover.
 */
export type RaRftTarget = {
  relevant: boolean;
  span?: Span | undefined;
  duration?: number | undefined;
  answer?: string | undefined;
  contrast?: string | undefined;
  query?: string | undefined;
};

/** Reward profiles: `ra-rft` reproduces the reference exactly, quirks included; `strict` closes its loopholes. */
export type RewardProfile = 'ra-rft' | 'strict';

/** Format profiles: the RA-RFT ones plus DeepSeek-R1/Time-R1 (`r1`) and TVG-R1 (`tvg-r1`). */
export type FormatProfile = RewardProfile | 'r1' | 'tvg-r1';

/**
 * Anything that turns texts into vectors. The library computes cosine similarity itself and does not
 * assume unit vectors. `embed` must return one vector per input text, in order, and must be
 * deterministic per text (batching may not change a text's vector), so that batch and per-item scores agree.
 */
export interface Embedder {
  embed(texts: readonly string[]): Promise<ArrayLike<number>[]>;
  /** A short name for reports, e.g. `trigram-hash-256` or `Xenova/all-MiniLM-L6-v2`. */
  readonly name?: string;
}
