import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readUrlState, writeUrlState } from './url-state.js';

const target = fc.oneof(
  fc.record({ relevant: fc.constant(true), span: fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 50, max: 99 })), duration: fc.integer({ min: 100, max: 200 }), answer: fc.string(), contrast: fc.string() }),
  fc.record({ relevant: fc.constant(false), query: fc.string(), answer: fc.string(), contrast: fc.string() }),
);

describe('url state', () => {
  it('reads back what it writes, any text and target', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), target, fc.constantFrom('ra-rft' as const, 'strict' as const), (completion, t, profile) => {
        const read = readUrlState(writeUrlState({ completion, target: t, profile }));
        expect(read.errors).toEqual([]);
        expect(read.state).toEqual({ completion, target: t, profile });
      }),
    );
  });

  it('reports a malformed target or profile instead of throwing', () => {
    expect(readUrlState('?target=%7Bnope&profile=loose').errors).toEqual([expect.stringMatching(/^profile: /), expect.stringMatching(/^target: invalid JSON/)]);
    expect(readUrlState(`?target=${encodeURIComponent('{"relevant": true}')}`).errors[0]).toMatch(/span is required/);
    expect(readUrlState('').state).toEqual({});
  });
});
