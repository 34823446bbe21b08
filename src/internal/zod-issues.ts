import type { z } from 'zod';

/** A zod issue path as `item.GRPO[1].r` (or `GRPO[1].r` with an empty root). */
export function issuePath(root: string, path: readonly PropertyKey[]): string {
  const joined = path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
  return root === '' ? joined.replace(/^\./, '') || '(root)' : root + joined;
}

/**
 * A readable one-line summary of zod issues: `item.GRPO[1].r: expected boolean, received string; …`.
 *
 * @example
 * formatIssues('item', [{ code: 'custom', path: ['GRPO', 1, 'r'], message: 'expected boolean', input: 1 }]); // => 'item.GRPO[1].r: expected boolean'
 */
export function formatIssues(root: string, issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `${issuePath(root, issue.path)}: ${issue.message}`).join('; ');
}

