import type { VariantWeakness } from './types.js';

/**
 * The weakness every variant without a refusal reward shares, shown on `entry`: an empty answer earns what
 * a genuine refusal earns.
 *
 * @example
 * neverRefuses('empty-answer@r1').claim; // => 'unpaid-genuine'
 */
export function neverRefuses(entry: string): VariantWeakness {
  return { text: 'never rewards a refusal: an empty answer earns what a genuine refusal earns', entry, claim: 'unpaid-genuine' };
}
