import type { EmbedderChoice } from '../internal/embedder-choice.js';
import type { Embedder } from '../types.js';

export { EMBEDDER_CHOICES, type EmbedderChoice } from '../internal/embedder-choice.js';

/** An embedder and which one it is: rewards from different embedders are on different scales. */
export interface ChosenEmbedder {
  embedder: Embedder;
  name: string;
  reason: string;
}

/** Resolves `choice` through `ra-rft-rewards/embeddings` (loaded lazily: the trigram path stays light). */
export async function chooseEmbedder(choice: EmbedderChoice, log: (line: string) => void): Promise<ChosenEmbedder> {
  const { resolveEmbedder } = await import('../embeddings/index.js');
  const resolved = await resolveEmbedder(choice);
  log(`embedder: ${resolved.name} (${resolved.reason})`);
  return { embedder: resolved.embedder, name: resolved.name, reason: resolved.reason };
}
