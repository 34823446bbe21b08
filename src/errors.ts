/**
 * Error classes thrown for bad configuration and bad targets. Bad model output never throws: it
 * scores a documented value instead.
 *
 * Every error names the function and the field, e.g. `refuseIoU: target.span must be [start, end] with end >= start`.
 */

/**
 * The brand every {@link RaRftError} carries: the names of its classes, most derived first. A registered
 * symbol (`Symbol.for`) is the same in the ESM and the CommonJS build, and in two copies of the package, where
 * `instanceof` is false (each build has its own classes). The `is…Error` guards read it, as ky's guards read
 * the error's name.
 */
const KINDS = Symbol.for('ra-rft-rewards.error-kinds');

/** Is `error` branded with `kind` (by this copy of the library or another)? For the `is…Error` guards. */
export function hasErrorKind(error: unknown, kind: string): boolean {
  if (error === null || typeof error !== 'object') return false;
  const kinds = (error as { [KINDS]?: unknown })[KINDS];
  return Array.isArray(kinds) && kinds.includes(kind);
}

/** Base class of every error this library throws on purpose. */
export class RaRftError extends Error {
  /** The class's brand name (see {@link hasErrorKind}); each subclass sets its own. */
  static readonly kind: string = 'RaRftError';
  override name = 'RaRftError';
  /** The brand: this error's class names, most derived first (see {@link hasErrorKind}). */
  readonly [KINDS]: readonly string[];
  /** The public function that rejected its input, e.g. `refuseIoU`. */
  readonly fn: string;
  /** The offending field as a dotted path, e.g. `target.span` or `options.groupSize`. */
  readonly field: string;

  constructor(fn: string, field: string, problem: string) {
    super(`${fn}: ${field} ${problem}`);
    this.fn = fn;
    this.field = field;
    const kinds: string[] = [];
    for (let c: unknown = new.target; typeof c === 'function' && c !== Error; c = Object.getPrototypeOf(c)) {
      if (Object.hasOwn(c, 'kind')) kinds.push((c as unknown as { kind: string }).kind);
    }
    this[KINDS] = kinds;
  }
}

/** A target (the ground truth for one prompt) is malformed: missing span, bad duration, NaN, end < start… */
export class TargetError extends RaRftError {
  static override readonly kind: string = 'TargetError';
  override name = 'TargetError';
}

/** An option or argument is invalid: unknown profile, non-integer group size, batch lengths that differ… */
export class OptionsError extends RaRftError {
  static override readonly kind: string = 'OptionsError';
  override name = 'OptionsError';
}

/**
 * An optional peer dependency a feature needs is not installed (the HTML report's `vega` / `vega-lite`,
 * the embedders' `@huggingface/transformers`…): `field` names the package, the message what to install.
 */
export class OptionalDependencyError extends RaRftError {
  static override readonly kind: string = 'OptionalDependencyError';
  override name = 'OptionalDependencyError';
}

/** Is `error` an {@link OptionalDependencyError}? True across the ESM and CJS builds (a brand, not `instanceof`). */
export function isOptionalDependencyError(error: unknown): error is OptionalDependencyError {
  return hasErrorKind(error, 'OptionalDependencyError');
}

/** Is `error` any error thrown on purpose by this library? True across the ESM and CJS builds (a brand, not `instanceof`). */
export function isRaRftError(error: unknown): error is RaRftError {
  return hasErrorKind(error, 'RaRftError');
}

/** Is `error` a {@link TargetError}? True across the ESM and CJS builds (a brand, not `instanceof`). */
export function isTargetError(error: unknown): error is TargetError {
  return hasErrorKind(error, 'TargetError');
}

/** Is `error` an {@link OptionsError}? True across the ESM and CJS builds (a brand, not `instanceof`). */
export function isOptionsError(error: unknown): error is OptionsError {
  return hasErrorKind(error, 'OptionsError');
}
