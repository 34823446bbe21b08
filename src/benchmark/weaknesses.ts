// The known weaknesses of the built-in variants, each tied to the reward-hacking corpus entry that shows
// it. Each variant states its own in its descriptor (src/variants/*.ts, `evidence`); test/weaknesses.test.ts
// checks every claim against corpus/reward-hacks.jsonl (itself checked against the library), so a weakness
// that a change fixes fails the suite instead of going stale.
import { VARIANTS } from '../variants/registry.js';
import type { VariantWeakness } from '../variants/types.js';

export type { VariantWeakness, WeaknessClaim } from '../variants/types.js';

/** The weaknesses of each built-in variant, by variant id, with their evidence (from the registry). */
export const VARIANT_WEAKNESSES: Readonly<Record<string, readonly VariantWeakness[]>> = Object.fromEntries(VARIANTS.map((variant) => [variant.id, variant.evidence]));

/** The weakness texts of a built-in variant, for its `weaknesses` field. */
export function weaknessesOf(id: string): string[] {
  return (VARIANT_WEAKNESSES[id] ?? []).map((weakness) => weakness.text);
}
