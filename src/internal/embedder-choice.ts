/** The embedders the CLI, the server and `resolveEmbedder` can pick: the one list of them. */
export const EMBEDDER_CHOICES = ['auto', 'minilm', 'use-lite', 'trigram'] as const;

/** One of {@link EMBEDDER_CHOICES}. */
export type EmbedderChoice = (typeof EMBEDDER_CHOICES)[number];
