import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EMBEDDER_CHOICES as CHOICES, type EmbedderChoice } from '../internal/embedder-choice.js';
import type { Embedder } from '../types.js';
import { UsageError } from './command.js';

export { EMBEDDER_CHOICES, type EmbedderChoice } from '../internal/embedder-choice.js';

/** An embedder and which one it is: rewards from different embedders are on different scales. */
export interface ChosenEmbedder {
  embedder: Embedder;
  name: string;
  reason: string;
}

/** An `--embedder` value: one of the built-in choices, or `openai:URL#MODEL` (any OpenAI-compatible server). */
export type EmbedderFlag = EmbedderChoice | `openai:${string}`;

/** `--embedder` help text, shared by the commands that take it. */
export const EMBEDDER_FLAG_HELP = `${CHOICES.join(' | ')} | openai:URL#MODEL
                          (openai: any server that speaks OpenAI's /v1/embeddings: text-embeddings-inference,
                          vLLM, Infinity, OpenAI, ra-rft-rewards serve; key from RA_RFT_EMBEDDINGS_API_KEY)`;

/** Is `value` a well-formed `openai:URL#MODEL`? */
export function isOpenAIEmbedderFlag(value: string): value is `openai:${string}` {
  return /^openai:https?:\/\/[^#]+#.+$/.test(value);
}

/** Parses `--embedder`: a built-in choice or `openai:URL#MODEL`; anything else is a {@link UsageError}. */
export function embedderFlag<const Extra extends string = never>(value: string | undefined, fallback: EmbedderFlag | Extra, extra: readonly Extra[] = []): EmbedderFlag | Extra {
  if (value === undefined) return fallback;
  if ((CHOICES as readonly string[]).includes(value) || (extra as readonly string[]).includes(value)) return value as EmbedderFlag | Extra;
  if (value.startsWith('openai:')) {
    if (isOpenAIEmbedderFlag(value)) return value;
    throw new UsageError(`--embedder openai:URL#MODEL needs an http(s) URL and a model after '#', e.g. openai:http://127.0.0.1:8080/v1#sentence-transformers/all-MiniLM-L6-v2; got '${value}'`);
  }
  throw new UsageError(`--embedder must be one of ${[...CHOICES, ...extra].join(', ')} or openai:URL#MODEL, got '${value}'`);
}

/**
 * Resolves `choice` through `ra-rft-rewards/embeddings` (loaded lazily: the trigram path stays light).
 * `modelPath` (`--embedder-path DIR`): a MiniLM model folder, or a folder of model folders, loaded offline.
 */
export async function chooseEmbedder(choice: EmbedderFlag, log: (line: string) => void, modelPath?: string): Promise<ChosenEmbedder> {
  const { resolveEmbedder } = await import('../embeddings/index.js');
  // A folder with config.json is the model itself; any other folder holds <model id>/ folders.
  const transformers =
    modelPath === undefined ? undefined : existsSync(join(modelPath, 'config.json')) ? { model: resolve(modelPath), offline: true } : { localModelPath: resolve(modelPath), offline: true };
  const resolved = await resolveEmbedder(choice, transformers === undefined ? undefined : { transformers });
  log(`embedder: ${resolved.name} (${resolved.reason})`);
  return { embedder: resolved.embedder, name: resolved.name, reason: resolved.reason };
}
