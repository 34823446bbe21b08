// Checks every `json strict-case` block of docs/strict.md against the library.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RaRftTarget, type RewardProfile, STRICT_RULES, formatReward, queryCorrection, refuseIoU, trigramHashEmbedder } from '../src/index.js';
import { repoRoot } from './helpers/shared.js';

interface StrictCase {
  id: string;
  reward: 'refuseIoU' | 'format' | 'correction';
  completion: string;
  target: RaRftTarget;
  reference: number;
  strict: number;
  strictOptions?: { thinkPrefilled?: boolean };
}

const doc = readFileSync(join(repoRoot, 'docs/strict.md'), 'utf8');
const cases = [...doc.matchAll(/```json strict-case\n([^]*?)\n```/g)].map((m) => JSON.parse(m[1] as string) as StrictCase);
const embedder = trigramHashEmbedder();

async function score(c: StrictCase, profile: RewardProfile, thinkPrefilled = false): Promise<number> {
  if (c.reward === 'refuseIoU') return refuseIoU(c.completion, c.target, { profile });
  if (c.reward === 'format') return formatReward(c.completion, { profile, thinkPrefilled });
  return queryCorrection(c.completion, c.target, { profile, embedder });
}

describe('docs/strict.md', () => {
  it('documents a case for every rule', () => {
    expect(cases.length).toBeGreaterThanOrEqual(14);
  });

  it('lists the rules of STRICT_RULES, by id and in order, in its rules table', () => {
    const ids = [...doc.matchAll(/^\| \d+ \| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    expect(ids).toEqual(STRICT_RULES.map((rule) => rule.id));
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    expect(await score(c, 'ra-rft')).toBeCloseTo(c.reference, 12);
    expect(await score(c, 'strict', c.strictOptions?.thinkPrefilled ?? false)).toBeCloseTo(c.strict, 12);
  });
});
