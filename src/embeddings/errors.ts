import { OptionalDependencyError, hasErrorKind } from '../errors.js';

/**
 * An embedder cannot run here: an optional package is not installed, or the model files are not where
 * they were looked for (and downloading was off or failed). The message says what to install or where
 * to put which files. `field` names the package or the option, e.g. `@huggingface/transformers` or
 * `options.localModelPath`.
 */
export class EmbedderUnavailableError extends OptionalDependencyError {
  static override readonly kind: string = 'EmbedderUnavailableError';
  override name = 'EmbedderUnavailableError';
}

/** Is `error` an {@link EmbedderUnavailableError}? True across the ESM and CJS builds (a brand, not `instanceof`). */
export function isEmbedderUnavailableError(error: unknown): error is EmbedderUnavailableError {
  return hasErrorKind(error, 'EmbedderUnavailableError');
}
