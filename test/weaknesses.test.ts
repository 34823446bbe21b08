// Every documented weakness of a built-in variant is a claim about a corpus entry; the corpus itself is
// checked against the library (test/corpus.test.ts), so a fixed weakness fails here instead of going stale.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type HackCorpusEntry, variantReward } from '../src/benchmark/corpus.js';
import { BUILTIN_VARIANTS } from '../src/benchmark/variants.js';
import { VARIANT_WEAKNESSES, type VariantWeakness } from '../src/benchmark/weaknesses.js';
import { repoRoot } from './helpers/shared.js';

const entries = new Map(
  readFileSync(join(repoRoot, 'corpus/reward-hacks.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as HackCorpusEntry)
    .map((entry) => [entry.id, entry]),
);


function holds(weakness: VariantWeakness, id: string): boolean {
  const entry = entries.get(weakness.entry);
  if (entry === undefined) return false;
  const hack = variantReward(entry.rewards, id);
  const genuine = variantReward(entry.genuineRewards, id);
  switch (weakness.claim) {
    case 'ties':
      return hack >= genuine - 1e-9;
    case 'pays':
      return hack > 0;
    case 'negative':
      return hack < 0;
    case 'unpaid-genuine':
      return Math.abs(hack - genuine) <= 1e-9;
  }
}

describe('variant weaknesses', () => {
  // What can go wrong is a variant with no weakness listed, or a claim about a corpus entry that does not exist.
  it('every built-in variant has a weakness, each about a corpus entry that exists', () => {
    expect(BUILTIN_VARIANTS.filter((variant) => (variant.weaknesses?.length ?? 0) === 0).map((variant) => variant.id)).toEqual([]);
    const missing = BUILTIN_VARIANTS.flatMap((variant) => (VARIANT_WEAKNESSES[variant.id] ?? []).filter((w) => !entries.has(w.entry)).map((w) => `${variant.id}: ${w.entry}`));
    expect(missing).toEqual([]);
  });

  it.each(BUILTIN_VARIANTS.flatMap((variant) => (VARIANT_WEAKNESSES[variant.id] ?? []).map((w) => [`${variant.id}: ${w.text} (${w.claim} on ${w.entry})`, variant.id, w] as const)))(
    '%s',
    (_name, id, weakness) => {
      expect(holds(weakness, id)).toBe(true);
    },
  );

  it('docs/variants.md lists every weakness with its corpus entry', () => {
    const doc = readFileSync(join(repoRoot, 'docs/variants.md'), 'utf8').split('### Known weaknesses')[1] ?? '';
    for (const [id, weaknesses] of Object.entries(VARIANT_WEAKNESSES)) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${id}\` | `));
      expect(row, id).toBeDefined();
      for (const weakness of weaknesses) expect(row, `${id}: ${weakness.text}`).toContain(`${weakness.text} (\`${weakness.entry}\`)`);
    }
  });

  it('the check can fail: a claim the corpus contradicts does not hold', () => {
    expect(holds({ text: 'strict pays an empty answer like a refusal', entry: 'empty-answer', claim: 'ties' }, 'strict')).toBe(false);
  });
});
