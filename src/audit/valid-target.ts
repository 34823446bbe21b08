import { assertTarget } from '../internal/validate.js';
import type { RaRftTarget } from '../types.js';

/**
 * A logged ground truth the rewards can score against, or null: a dump's bad target leaves the detectors that
 * need it silent instead of stopping the audit.
 *
 * @example
 * validTarget({ relevant: true, span: [1, 2], duration: 9 }); // => { relevant: true, span: [1, 2], duration: 9 }
 * validTarget({ relevant: true, span: [2, 1], duration: 9 }); // => null
 */
export function validTarget(target: RaRftTarget | null | undefined): RaRftTarget | null {
  if (target === null || target === undefined) return null;
  try {
    assertTarget('audit', target);
    return target;
  } catch {
    return null;
  }
}
