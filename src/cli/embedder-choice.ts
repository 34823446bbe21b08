import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EmbedderChoice } from '../internal/embedder-choice.js';
import type { Embedder } from '../types.js';

export { EMBEDDER_CHOICES, type EmbedderChoice } from '../internal/embedder-choice.js';

/** An embedder and which one it is: rewards from different embedders are on different scales. */
export interface ChosenEmbedder {
  embedder: Embedder;
  name: string;
  reason: string;
}

/**
 * Resolves `choice` through `ra-rft-rewards/embeddings` (loaded lazily: the trigram path stays light).
 * `modelPath` (`--embedder-path DIR`): a MiniLM model folder, or a folder of model folders, loaded offline.
 */
export async function chooseEmbedder(choice: EmbedderChoice, log: (line: string) => void, modelPath?: string): Promise<ChosenEmbedder> {
  const { resolveEmbedder } = await import('../embeddings/index.js');
  // A folder with config.json is the model itself; any other folder holds <model id>/ folders.
  const transformers =
    modelPath === undefined ? undefined : existsSync(join(modelPath, 'config.json')) ? { model: resolve(modelPath), offline: true } : { localModelPath: resolve(modelPath), offline: true };
  const resolved = await resolveEmbedder(choice, transformers === undefined ? undefined : { transformers });
  log(`embedder: ${resolved.name} (${resolved.reason})`);
  return { embedder: resolved.embedder, name: resolved.name, reason: resolved.reason };
}
