import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROLLOUT_PARTS, RolloutStats, readRolloutLine } from './rollouts.js';

const target = { relevant: true, span: [1, 2], duration: 9, answer: '1 to 2', contrast: 'no' };

describe('readRolloutLine', () => {
  it('reads score output, score input, TRL-style rows with chat messages, and HI-VTG items', () => {
    expect(readRolloutLine(JSON.stringify({ line: 1, id: 'a', total: 2, format: 1, refuseIoU: 1, explain: 0, correction: 0, answer: 'span' }), 1)).toEqual({
      kind: 'scored', group: '"a"', label: 'line 1 (id "a")', parts: { total: 2, format: 1, refuseIoU: 1, explain: 0, correction: 0 },
    });
    const trl = readRolloutLine(JSON.stringify({ prompt: [{ role: 'system', content: 's' }, { role: 'user', content: 'find it' }], completion: [{ role: 'assistant', content: '<answer>1 to 2</answer>' }], target }), 2);
    expect(trl).toMatchObject({ kind: 'to-score', items: [{ group: 'find it', completion: '<answer>1 to 2</answer>' }] });
    const input = readRolloutLine(JSON.stringify({ completion: 'x', target, id: 7 }), 3);
    expect(input).toMatchObject({ kind: 'to-score', items: [{ group: '7' }] });
    const item = { video: 'v', query_text: 'a man sings.', timestamp: [1, 2], duration: 9, GRPO: [{ q: 'a man sings.', a: '<answer>1 to 2</answer>', r: true }, { q: 'a man dances.', a: '<answer>No one dances.</answer>', r: false }], completions: { relevant: ['a', 'b'], irrelevant: ['c'] } };
    const hi = readRolloutLine(JSON.stringify(item), 4);
    expect(hi.kind === 'to-score' && hi.items.map((i) => [i.group, i.completion])).toEqual([['a man sings.', 'a'], ['a man sings.', 'b'], ['a man dances.', 'c']]);
  });

  it('reports bad lines without throwing', () => {
    expect(readRolloutLine('[1]', 5)).toEqual({ kind: 'error', message: 'line 5: expected a JSON object' });
    expect(readRolloutLine(JSON.stringify({ completion: 'x', target: { relevant: true } }), 6)).toMatchObject({ kind: 'error', message: expect.stringMatching(/^line 6: target: /) });
    expect(readRolloutLine(JSON.stringify({ total: 'high' }), 7).kind).toBe('error');
  });
});

describe('RolloutStats', () => {
  it('agrees with a direct computation of means, group statistics, histograms and best/worst', () => {
    const row = fc.record({ group: fc.constantFrom('p', 'q', 'r'), total: fc.integer({ min: -3, max: 4 }) });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 60 }), (rows) => {
        const stats = new RolloutStats(3);
        rows.forEach((r, i) => stats.add(r.group, `#${i}`, { total: r.total, format: 1, refuseIoU: r.total / 2, explain: 0, correction: 0 }));
        const summary = stats.summary(4);
        expect(summary.rows).toBe(rows.length);
        expect(summary.means.total).toBeCloseTo(rows.reduce((s, r) => s + r.total, 0) / rows.length, 12);
        for (const part of ROLLOUT_PARTS) expect(summary.histograms.filter((b) => b.part === part).reduce((s, b) => s + b.count, 0)).toBe(rows.length);
        for (const g of summary.groups) {
          const totals = rows.filter((r) => r.group === g.group).map((r) => r.total);
          const mean = totals.reduce((s, t) => s + t, 0) / totals.length;
          const std = totals.length > 1 ? Math.sqrt(totals.reduce((s, t) => s + (t - mean) ** 2, 0) / (totals.length - 1)) : 0;
          expect(g.count).toBe(totals.length);
          expect(g.std).toBeCloseTo(std, 9);
          expect(g.zeroVariance).toBe(totals.length > 1 && totals.every((t) => t === totals[0]));
        }
        const sorted = rows.map((r) => r.total).sort((a, b) => b - a);
        expect(summary.best.map((b) => b.total)).toEqual(sorted.slice(0, 3));
        expect(summary.worst.map((b) => b.total)).toEqual([...sorted].reverse().slice(0, 3));
      }),
    );
  });
});
