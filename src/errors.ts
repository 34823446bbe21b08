/**
 * Error classes thrown for bad configuration and bad targets. Bad model output never throws: it
 * scores a documented value instead.
 *
 * Every error names the function and the field, e.g. `refuseIoU: target.span must be [start, end] with end >= start`.
 */

/** Base class of every error this library throws on purpose. */
export class RaRftError extends Error {
  override name = 'RaRftError';
  /** The public function that rejected its input, e.g. `refuseIoU`. */
  readonly fn: string;
  /** The offending field as a dotted path, e.g. `target.span` or `options.groupSize`. */
  readonly field: string;

  constructor(fn: string, field: string, problem: string) {
    super(`${fn}: ${field} ${problem}`);
    this.fn = fn;
    this.field = field;
  }
}

/** A target (the ground truth for one prompt) is malformed: missing span, bad duration, NaN, end < start… */
export class TargetError extends RaRftError {
  override name = 'TargetError';
}

/** An option or argument is invalid: unknown profile, non-integer group size, batch lengths that differ… */
export class OptionsError extends RaRftError {
  override name = 'OptionsError';
}

/**
 * An optional peer dependency a feature needs is not installed (the HTML report's `vega` / `vega-lite`,
 * the embedders' `@huggingface/transformers`…): `field` names the package, the message what to install.
 */
export class OptionalDependencyError extends RaRftError {
  override name = 'OptionalDependencyError';
}

/** Is `error` an {@link OptionalDependencyError}? */
export function isOptionalDependencyError(error: unknown): error is OptionalDependencyError {
  return error instanceof OptionalDependencyError;
}

/** Is `error` any error thrown on purpose by this library? */
export function isRaRftError(error: unknown): error is RaRftError {
  return error instanceof RaRftError;
}

/** Is `error` a {@link TargetError}? */
export function isTargetError(error: unknown): error is TargetError {
  return error instanceof TargetError;
}

/** Is `error` an {@link OptionsError}? */
export function isOptionsError(error: unknown): error is OptionsError {
  return error instanceof OptionsError;
}
