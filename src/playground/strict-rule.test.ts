// strictRulesFired names the docs/strict.md rule of every documented case, computed from the library's own
// part values for both profiles.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RaRftTarget, type RewardProfile, formatReward, queryCorrection, raRftReward, refuseIoU, trigramHashEmbedder } from '../index.js';
import { buildHackCorpus } from '../benchmark/corpus.js';
import { repoRoot } from '../../test/helpers/shared.js';
import { type PartValues, strictRulesFired } from './strict-rule.js';

interface StrictCase {
  id: string;
  completion: string;
  target: RaRftTarget;
  strictOptions?: { thinkPrefilled?: boolean };
}

const doc = readFileSync(join(repoRoot, 'docs/strict.md'), 'utf8');
const cases = [...doc.matchAll(/```json strict-case\n([^]*?)\n```/g)].map((m) => JSON.parse(m[1] as string) as StrictCase);
const embedder = trigramHashEmbedder();

/** The rule each documented case illustrates (docs/strict.md, "One completion per rule"). */
const EXPECTED: Record<string, number> = {
  'empty-answer': 2,
  'one-word-refusal': 2,
  'nil-inside-word': 5,
  'empty-correction': 6,
  'seconds-suffix-as-refusal': 3,
  'dash-span-as-refusal': 3,
  'bracket-span-as-refusal': 3,
  'clock-span-as-refusal': 3,
  'seconds-suffix-relevant': 3,
  'negative-past-the-end': 4,
  'two-answers': 1,
  'two-spans-in-one-answer': 3,
  'tags-inside-think': 7,
  'empty-think': 8,
  'punctuation-think': 8,
  'hollow-blocks': 8,
};

async function parts(c: StrictCase, profile: RewardProfile): Promise<PartValues> {
  // The documented targets carry no reference texts, so the explain part (equal for both) is left at 0.
  return {
    format: formatReward(c.completion, { profile }),
    refuseIoU: refuseIoU(c.completion, c.target, { profile }),
    explain: 0,
    correction: await queryCorrection(c.completion, c.target, { profile, embedder }),
  };
}

describe('strictRulesFired', () => {
  it('covers every documented case but prefilled-think (rule 9 is an option, not a difference)', () => {
    expect(cases.map((c) => c.id).filter((id) => !(id in EXPECTED))).toEqual(['prefilled-think']);
  });

  it.each(cases.filter((c) => c.id in EXPECTED).map((c) => [c.id, c] as const))('%s', async (id, c) => {
    const fired = strictRulesFired(c.completion, c.target, await parts(c, 'ra-rft'), await parts(c, 'strict'));
    expect(fired.map((r) => r.rule)).toContain(EXPECTED[id]);
    expect(fired.every((r) => r.name.length > 0 && r.detail.length > 0)).toBe(true);
    expect(doc).toContain(`| ${EXPECTED[id]} | \`${fired.find((r) => r.rule === EXPECTED[id])?.id}\` |`); // the docs table's number and id
  });

  it('names nothing when the profiles agree', () => {
    const same = { format: 1, refuseIoU: 0.5, explain: 0.1, correction: 1 };
    expect(strictRulesFired('<think>t</think><answer>1 to 2</answer><correction>NIL</correction>', { relevant: true, span: [1, 2], duration: 9 }, same, same)).toEqual([]);
  });

  it('explains every part on which the profiles differ for every corpus hack, one reason a part', async () => {
    for (const entry of await buildHackCorpus()) {
      const [reference, strict] = await Promise.all((['ra-rft', 'strict'] as const).map((profile) => raRftReward(entry.completion, entry.target, { embedder, profile })));
      const r = reference as PartValues;
      const s = strict as PartValues;
      const differing = (['format', 'refuseIoU', 'explain', 'correction'] as const).filter((part) => Math.abs(r[part] - s[part]) > 1e-12);
      expect(strictRulesFired(entry.completion, entry.target, r, s).map((f) => f.part), entry.id).toEqual(differing);
    }
  });
});
