import { OptionsError, TargetError } from '../errors.js';
import type { RaRftTarget } from '../types.js';

// Hand-written checks: these run once per scored completion, so no zod here (zod guards the edges).

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * Checks the fields every reward relies on; throws a {@link TargetError} naming `fn` and the field.
 * `needsSpan` false: a relevant target may lack `span` and `duration` (only the temporal part reads them;
 * given ones are still checked).
 */
export function assertTarget(fn: string, target: RaRftTarget, needsSpan = true): void {
  // A small boolean check that V8 inlines into every reward; only a failing target pays for the messages.
  if (!isValidTarget(target, needsSpan)) throwTargetError(fn, target, needsSpan);
}

/** The checks of {@link throwTargetError} as one boolean (comparisons with NaN are false, so `s >= 0` and `d > 0` reject it). */
function isValidTarget(target: RaRftTarget, needsSpan: boolean): boolean {
  if (target === null || typeof target !== 'object') return false;
  const relevant: unknown = target.relevant;
  const span: unknown = target.span;
  const duration: unknown = target.duration;
  if (relevant !== true && relevant !== false) return false;
  if (span !== undefined) {
    if (!Array.isArray(span) || span.length !== 2) return false;
    const start: unknown = span[0];
    const end: unknown = span[1];
    if (typeof start !== 'number' || typeof end !== 'number' || !(start >= 0 && end >= start && end < Infinity)) return false;
  } else if (relevant && needsSpan) return false;
  if (duration !== undefined) {
    if (typeof duration !== 'number' || !(duration > 0 && duration < Infinity)) return false;
  } else if (relevant && needsSpan) return false;
  const { answer, contrast, query } = target as { answer?: unknown; contrast?: unknown; query?: unknown };
  return (answer === undefined || typeof answer === 'string') && (contrast === undefined || typeof contrast === 'string') && (query === undefined || typeof query === 'string');
}

/** Throws the {@link TargetError} that names the first bad field of `target` (returns if there is none). */
function throwTargetError(fn: string, target: RaRftTarget, needsSpan: boolean): void {
  if (target === null || typeof target !== 'object') {
    throw new TargetError(fn, 'target', `must be an object, got ${target === null ? 'null' : typeof target}`);
  }
  if (typeof target.relevant !== 'boolean') {
    throw new TargetError(fn, 'target.relevant', `must be a boolean, got ${typeof target.relevant}`);
  }
  const { span, duration } = target;
  if (span !== undefined) {
    if (!Array.isArray(span) || span.length !== 2) {
      throw new TargetError(fn, 'target.span', 'must be a [start, end] pair of seconds');
    }
    const [start, end] = span as unknown[];
    if (!isFiniteNumber(start)) throw new TargetError(fn, 'target.span[0]', `must be a finite number, got ${String(start)}`);
    if (!isFiniteNumber(end)) throw new TargetError(fn, 'target.span[1]', `must be a finite number, got ${String(end)}`);
    if (start < 0) throw new TargetError(fn, 'target.span[0]', `must be >= 0, got ${start}`);
    if (end < start) throw new TargetError(fn, 'target.span', `must have end >= start, got [${start}, ${end}]`);
  } else if (target.relevant && needsSpan) {
    throw new TargetError(fn, 'target.span', 'is required when target.relevant is true');
  }
  if (duration !== undefined) {
    if (!isFiniteNumber(duration)) throw new TargetError(fn, 'target.duration', `must be a finite number, got ${String(duration)}`);
    if (duration <= 0) throw new TargetError(fn, 'target.duration', `must be > 0, got ${duration}`);
  } else if (target.relevant && needsSpan) {
    throw new TargetError(fn, 'target.duration', 'is required when target.relevant is true');
  }
  if (target.answer !== undefined && typeof target.answer !== 'string') throw notAString(fn, 'answer', target.answer);
  if (target.contrast !== undefined && typeof target.contrast !== 'string') throw notAString(fn, 'contrast', target.contrast);
  if (target.query !== undefined && typeof target.query !== 'string') throw notAString(fn, 'query', target.query);
}

function notAString(fn: string, field: string, value: unknown): TargetError {
  return new TargetError(fn, `target.${field}`, `must be a string, got ${typeof value}`);
}

/** Returns `target[field]`, throwing a {@link TargetError} when that reference text is missing. */
export function requireText(fn: string, target: RaRftTarget, field: 'answer' | 'contrast'): string {
  const value = target[field];
  if (value === undefined) throw new TargetError(fn, `target.${field}`, 'is required by this reward (a reference text)');
  return value;
}

/** The one finite-number option check: throws an {@link OptionsError} from `fn` naming `field` unless `value` is a finite number. */
export function assertFiniteNumber(fn: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new OptionsError(fn, field, `must be a finite number, got ${String(value)}`);
  return value;
}

/** Throws an {@link OptionsError} unless `value` is one of `allowed`. */
export function assertOneOf<T extends string>(fn: string, field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new OptionsError(fn, field, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}`);
}

/** Throws an {@link OptionsError} unless two batch inputs have equal lengths. */
export function assertSameLength(fn: string, field: string, expected: number, actual: number): void {
  if (expected !== actual) {
    throw new OptionsError(fn, field, `must have one entry per completion: expected ${expected}, got ${actual}`);
  }
}
