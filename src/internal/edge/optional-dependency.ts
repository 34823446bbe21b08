// The one loader of optional peer dependencies (embeddings, the HTML report, the trainer's plots).
import { createRequire } from 'node:module';
import { OptionalDependencyError } from '../../errors.js';

// Optional peers are resolved from this file's location, in the ESM build (import.meta.url) and in the
// CJS build (__filename), so that packages installed beside ra-rft-rewards are found wherever node runs.
function anchor(): string {
  return typeof __filename === 'string' ? __filename : import.meta.url;
}

/** The entry file of an installed package, or `null` when it is not installed. Does not load it. */
export function resolveOptionalPackage(name: string): string | null {
  try {
    return createRequire(anchor()).resolve(name);
  } catch {
    return null;
  }
}

/** Is the package installed where this library can import it? (It may be ESM-only: then resolving for require fails otherwise.) */
export function isPackageInstalled(name: string): boolean {
  try {
    createRequire(anchor()).resolve(name);
    return true;
  } catch (error) {
    return (error as { code?: unknown } | null)?.code !== 'MODULE_NOT_FOUND';
  }
}

/** The class thrown for a missing package: {@link OptionalDependencyError} or a subclass of it. */
export type OptionalDependencyErrorClass = new (fn: string, field: string, problem: string) => OptionalDependencyError;

/**
 * Imports an optional peer dependency on first use. When it is missing, throws `ErrorClass` (default
 * {@link OptionalDependencyError}) from `fn`, naming the package and saying what to install (`install`).
 */
export async function importOptionalPackage<T>(fn: string, name: string, install: string, ErrorClass: OptionalDependencyErrorClass = OptionalDependencyError): Promise<T> {
  if (!isPackageInstalled(name)) throw new ErrorClass(fn, name, `is not installed: ${install}`);
  // A variable specifier: bundlers leave the import alone, and the package stays optional.
  const specifier: string = name;
  return (await import(specifier)) as T;
}
