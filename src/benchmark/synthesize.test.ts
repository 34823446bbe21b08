import { describe, expect, it } from 'vitest';
import { temporalIoU } from '../grounding/temporal-iou.js';
import { OUTPUT_FORMATS } from './formats.js';
import { REWARD_HACKS } from './hacks.js';
import { seededRng } from '../internal/rng.js';
import { nearMissSpan, synthesizeCompletions, synthesizeGroups } from './synthesize.js';
import { REFUSALS, THINKS } from './texts.js';
import type { BenchTarget } from './types.js';

const targets: BenchTarget[] = [
  { target: { relevant: true, span: [8.2, 13.6], duration: 16.75, query: 'person puts the glass on the table.' }, prompt: 'person puts the glass on the table.', source: 'a' },
  { target: { relevant: false, duration: 16.75, query: 'person puts the glass on the table.' }, prompt: 'person puts the bottle on the table.', source: 'a' },
  { target: { relevant: true, span: [28.7, 34], duration: 31.12 }, prompt: 'person closing the door.', source: 'b' },
];

describe('nearMissSpan', () => {
  it('hits the requested IoU before rounding and stays inside [0, limit]', () => {
    const rng = seededRng(3);
    for (let k = 0; k < 300; k++) {
      const start = rng.uniform(0, 50);
      const gold = [start, start + rng.uniform(0.5, 30)] as const;
      const limit = gold[1] + rng.uniform(0, 40);
      const level = rng.pick([0.9, 0.75, 0.5, 0.25, 0.1]);
      const span = nearMissSpan(rng, gold, limit, level);
      expect(temporalIoU(span, gold)).toBeCloseTo(level, 9);
      expect(span[0]).toBeGreaterThanOrEqual(0);
      expect(span[1]).toBeLessThanOrEqual(limit + 1e-9);
    }
  });
});

describe('synthesizeCompletions', () => {
  const completions = synthesizeCompletions(targets, { seed: 11 });

  it('is deterministic for a seed and changes with it', () => {
    expect(synthesizeCompletions(targets, { seed: 11 })).toEqual(completions);
    expect(synthesizeCompletions(targets, { seed: 12 })).not.toEqual(completions);
  });

  it('makes every kind for each target kind, with labels and true IoUs', () => {
    const kindsOf = (index: number) => new Set(completions.filter((c) => c.targetIndex === index).map((c) => c.kind));
    expect(kindsOf(0)).toEqual(new Set(['correct', 'near-miss', 'wrong-span', 'wrong-refusal', 'alt-notation', 'format-error', 'hack']));
    expect(kindsOf(1)).toEqual(new Set(['correct-refusal', 'missed-refusal', 'format-error', 'hack']));
    for (const completion of completions) {
      if (completion.kind === 'correct' || completion.kind === 'correct-refusal') expect(completion.label).toBe('good');
      else if (completion.kind === 'near-miss' || completion.kind === 'alt-notation') expect(completion.label).toBeNull();
      else expect(completion.label).toBe('bad');
    }
    const nearMisses = completions.filter((c) => c.targetIndex === 0 && c.kind === 'near-miss');
    expect(nearMisses.map((c) => c.bucket)).toEqual(['near-miss@0.9', 'near-miss@0.75', 'near-miss@0.5', 'near-miss@0.25', 'near-miss@0.1']);
    // Two-decimal rounding moves the IoU of a 5.4 s span by well under 0.01.
    for (const c of nearMisses) expect(Math.abs((c.iou as number) - Number(c.bucket.split('@')[1]))).toBeLessThan(0.01);
    expect(completions.find((c) => c.targetIndex === 0 && c.kind === 'wrong-span')?.iou).toBe(0);
  });

  it('renders each completion in each format, in that format\'s own layout', () => {
    const correct = completions.find((c) => c.targetIndex === 0 && c.kind === 'correct')?.texts as Record<string, string>;
    expect(correct['ra-rft']).toBe(`<think>${correct['ra-rft']?.slice(7, correct['ra-rft'].indexOf('</think>'))}</think>\n<answer>8.2 to 13.6</answer>\n<correction>NIL</correction>`);
    expect(correct.r1).toMatch(/<\/think>\n<answer>8\.2 to 13\.6<\/answer>$/);
    expect(correct['tvg-r1']).toMatch(/<\/think> <time>\[8\.2, 13\.6\]<\/time>$/);
    expect(correct.plain).toBe('The event happens in 8.2 - 13.6 seconds.');
    const refusal = completions.find((c) => c.kind === 'correct-refusal')?.texts as Record<string, string>;
    expect(refusal['ra-rft']).toMatch(/<correction>person puts the glass on the table\.<\/correction>$/);
  });

  it('renders one completion per benchmark hack of the target kind, null where the hack has no form', () => {
    const hacks = completions.filter((c) => c.targetIndex === 1 && c.kind === 'hack').map((c) => c.hack);
    expect(hacks).toEqual(REWARD_HACKS.filter((h) => h.benchmark && h.targetKind === 'irrelevant').map((h) => h.id));
    const insideThink = completions.find((c) => c.hack === 'tags-inside-think')?.texts as Record<string, string | null>;
    expect(insideThink.plain).toBeNull();
    expect(insideThink['ra-rft']).toMatch(/^<think>.*<answer>8\.2 to 13\.6<\/answer><correction>NIL<\/correction><\/think>$/s);
    for (const format of OUTPUT_FORMATS) expect(typeof (completions[0]?.texts as Record<string, string>)[format]).toBe('string');
  });

  it('writes no digit into reasoning and refusal texts (they would read as spans)', () => {
    for (const text of [...THINKS, ...REFUSALS]) expect(text).not.toMatch(/\d/);
  });
});

describe('synthesizeGroups', () => {
  it('makes one group of G per target and skill, all genuine at skill 1 and none at skill 0', () => {
    const groups = synthesizeGroups(targets, { seed: 5, groupSize: 6, skills: [0, 1] });
    expect(groups).toHaveLength(targets.length * 2);
    for (const group of groups) {
      expect(group.completions).toHaveLength(6);
      for (const c of group.completions) expect(group.skill === 1 ? c.label !== 'bad' : c.label === 'bad').toBe(true);
    }
  });

  it('rejects a bad group size or skill', () => {
    expect(() => synthesizeGroups(targets, { groupSize: 1 })).toThrow(/groupSize/);
    expect(() => synthesizeGroups(targets, { skills: [1.5] })).toThrow(/skills/);
    expect(() => synthesizeCompletions(targets, { iouLevels: [1] })).toThrow(/iouLevels/);
  });
});
