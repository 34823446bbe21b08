import { describe, expect, it } from 'vitest';
import { readHiVtg, readPublicVectors } from '../../test/helpers/shared.js';
import { isTargetError } from '../errors.js';
import { hiVtgItemSchema } from './hi-vtg-schema.js';
import { hiVtgTargets } from './hi-vtg-targets.js';

const files = ['hi_vtg_charades.json', 'hi_vtg_tvgbench.json', 'human_anno.json', 'ss_vtg_charades.json'];

describe('hiVtgTargets', () => {
  it.each(files)('parses every item of %s', (file) => {
    const items = readHiVtg(file);
    expect(items.length).toBeGreaterThan(50);
    for (const item of items) {
      const targets = hiVtgTargets(item);
      expect(targets.relevant ?? targets.irrelevant).toBeDefined();
      if (targets.relevant !== undefined) expect(targets.relevant.relevant).toBe(true);
      if (targets.irrelevant !== undefined) expect(targets.irrelevant.relevant).toBe(false);
    }
  });

  it('pairs targets exactly as the public vectors (the reference trainer) do', () => {
    const items = readHiVtg('hi_vtg_charades.json').map((item) => hiVtgTargets(item));
    let compared = 0;
    for (const vector of readPublicVectors()) {
      const candidates = items.flatMap((t) => [t.relevant, t.irrelevant]).filter((t) => t !== undefined);
      const match = candidates.find((t) => t.relevant === vector.target.relevant && t.query === vector.target.query && t.answer === vector.target.answer);
      expect(match, vector.id).toBeDefined();
      expect(match).toEqual(vector.target);
      compared++;
    }
    expect(compared).toBe(480);
  });

  it('names the bad field of a malformed item', () => {
    const [item] = readHiVtg('hi_vtg_charades.json') as Record<string, unknown>[];
    const broken = { ...item, GRPO: [{ q: 'a', a: 'b', r: 'yes' }] };
    let caught: unknown;
    try {
      hiVtgTargets(broken);
    } catch (error) {
      caught = error;
    }
    expect(isTargetError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(/^hiVtgTargets: item\.GRPO\[0\]\.r is invalid: item\.GRPO\[0\]\.r: /);
    expect(() => hiVtgTargets({ ...item, duration: -1 })).toThrow(/item\.duration/);
    expect(() => hiVtgTargets({ ...item, timestamp: [5, 1] })).toThrow(/item\.timestamp/);
    expect(() => hiVtgTargets({ ...item, timestamp: [] })).toThrow(/hiVtgTargets: item\.timestamp must be \[start, end\]/);
    expect(hiVtgItemSchema.safeParse({ ...item, video: 3 }).success).toBe(false);
  });

  it('uses the chosen refusable entry and rejects one that does not exist', () => {
    const [item] = readHiVtg('hi_vtg_charades.json');
    expect(() => hiVtgTargets(item, { irrelevantIndex: 5 })).toThrow(/options\.irrelevantIndex/);
  });
});
