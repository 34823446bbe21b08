/**
 * A duration as `3m07s` (or `42s`; `?` when not finite): the one duration formatter for logs and reports
 * (the trainer's progress lines, summaries).
 *
 * @example
 * formatSeconds(187); // => '3m07s'
 * formatSeconds(42.4); // => '42s'
 */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
