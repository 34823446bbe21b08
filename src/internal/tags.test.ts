import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pyStrip } from './python-text.js';
import { lastTagContent, referenceText } from './tags.js';

describe('lastTagContent equals re.findall(r"<answer>(.*?)</answer>", re.DOTALL)[-1].strip()', () => {
  it('on random text', () => {
    const text = fc
      .array(fc.constantFrom('<answer>', '</answer>', '<answer', 'answer>', ' ', '\n', 'x', '1 to 2'), { maxLength: 12 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (input) => {
        const last = [...input.matchAll(/<answer>([^]*?)<\/answer>/g)].at(-1);
        expect(lastTagContent(input, '<answer>', '</answer>')).toBe(last === undefined ? null : pyStrip(last[1] as string));
      }),
      { numRuns: 10000 },
    );
  });

  it('reduces reference texts with or without tags', () => {
    expect(referenceText('<answer> 3.1 to 10.9 </answer>')).toBe('3.1 to 10.9');
    expect(referenceText('  no tags here ')).toBe('no tags here');
    expect(referenceText('<answer>a</answer><correct>b</correct>')).toBe('a');
  });
});
