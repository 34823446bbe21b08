import { raRftRewardBatch } from '../profiles/ra-rft-reward.js';
import { trigramHashEmbedder } from '../embeddings/trigram-hash-embedder.js';
import type { Embedder, RaRftTarget } from '../types.js';
import type { RaRftRewardResult } from '../profiles/ra-rft-reward.js';

/** The trainer's default embedder: this library's deterministic trigram-hash embedder (no model download). */
export const defaultRewardEmbedder: Embedder = trigramHashEmbedder();

/** RA-RFT reward parts of each completion, scored with `raRftRewardBatch` (profile `ra-rft`, equal weights). */
export async function scoreCompletions(texts: readonly string[], targets: readonly RaRftTarget[], embedder: Embedder = defaultRewardEmbedder): Promise<RaRftRewardResult[]> {
  return raRftRewardBatch(texts, targets, { embedder });
}
