// ra-rft-rewards/embeddings: sentence embedders for the explain and correction rewards. transformers.js and
// the @energetic-ai packages are optional peers, imported only when an embedder that needs them is built.
export { type TrigramHashEmbedderOptions, trigramHashEmbedder, trigramHashVector } from './trigram-hash-embedder.js';
export { EmbedderUnavailableError, isEmbedderUnavailableError } from './errors.js';
export {
  type CachedEmbedder,
  type CachedEmbedderOptions,
  type CachedEmbedderStats,
  cachedEmbedder,
} from './cached-embedder.js';
export {
  DEFAULT_TRANSFORMERS_MODEL,
  DTYPE_FILE_SUFFIX,
  MINILM_MAX_TOKENS,
  type TransformersDevice,
  type TransformersDtype,
  type TransformersEmbedder,
  type TransformersEmbedderOptions,
  type TransformersModule,
  type TransformersProgress,
  transformersEmbedder,
  transformersModelFiles,
} from './transformers-embedder.js';
export {
  EmbeddingServiceError,
  type OpenAIEmbedderOptions,
  type OpenAIEmbedderSpec,
  embeddingsUrl,
  isEmbeddingServiceError,
  isOpenAIEmbedderSpec,
  openAIEmbedder,
  parseOpenAIEmbedderSpec,
} from './openai-embedder.js';
export { USE_LITE_MAX_TOKENS, USE_LITE_PACKAGES, type UseLiteEmbedder, type UseLiteEmbedderOptions, useLiteEmbedder } from './use-lite-embedder.js';
export {
  type EmbedderChoice,
  type EmbedderKind,
  type ResolveEmbedderOptions,
  type ResolvedEmbedder,
  findLocalTransformersModel,
  resolveEmbedder,
} from './resolve-embedder.js';
