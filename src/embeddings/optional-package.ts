// The embedders load their optional peers through the library's one loader; a missing one is an
// EmbedderUnavailableError (an OptionalDependencyError).
import { importOptionalPackage as importOptional } from '../internal/edge/optional-dependency.js';
import { EmbedderUnavailableError } from './errors.js';

export { isPackageInstalled, resolveOptionalPackage } from '../internal/edge/optional-dependency.js';

/** {@link importOptional} throwing an {@link EmbedderUnavailableError}. */
export function importOptionalPackage<T>(fn: string, name: string, install: string): Promise<T> {
  return importOptional<T>(fn, name, install, EmbedderUnavailableError);
}
