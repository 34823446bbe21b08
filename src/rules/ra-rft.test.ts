// The ra-rft rules read the last answer block and its span in one pass; here they are held to the plain
// composition they replace, parseRaRftSpan(lastTagContent(…)), on random completions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceWeightedIoU } from '../internal/iou.js';
import { parseRaRftSpan } from '../internal/parsers/parse-ra-rft-span.js';
import { lastTagContent } from '../internal/tags.js';
import type { RaRftTarget, Span } from '../types.js';
import { raRftRules } from './ra-rft.js';

function composed(completion: string, target: RaRftTarget): number {
  const answer = lastTagContent(completion, '<answer>', '</answer>');
  if (answer === null) return 0;
  const span = parseRaRftSpan(answer);
  if (!target.relevant) return span === null ? 1 : 0;
  return span === null ? 0 : distanceWeightedIoU(span, target.span as Span, target.duration as number);
}

const pieces = ['<answer>', '</answer>', '<answer>', '</answer>', '<think>', '</think>', '<correction>', '1', '2', '0', '9', '.', ' ', '\n', '\xa0', '\u3000', 'to', 'TO', 'x', '<', '>', '٣', '𝟓', 'é'];
const completion = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((parts) => parts.join(''));
const target = fc.constantFrom<RaRftTarget>({ relevant: true, span: [1, 9], duration: 20 }, { relevant: false }, { relevant: true, span: [0, 0.5], duration: 2 });

describe('raRftRules.refuseIoU equals the composition parseRaRftSpan(lastTagContent(…))', () => {
  it('on random completions', () => {
    fc.assert(
      fc.property(completion, target, (text, t) => {
        expect(raRftRules.refuseIoU(text, t, 0)).toBe(composed(text, t));
      }),
      { numRuns: 30000 },
    );
  });

  it('on known cases', () => {
    const relevant: RaRftTarget = { relevant: true, span: [1, 9], duration: 20 };
    const cases = [
      '<answer>1 to 9</answer>',
      '<answer>1 to 9</answer><answer>no</answer>',
      '<answer>no</answer><answer>1 to 9',
      '<answer>1 to 9<answer>2 to 3</answer>',
      '<answer> \u3000 1 to 9 </answer>',
      '<answer>1 to 9٣</answer>',
      '<answer>٣ to 9</answer>',
      '<answer>1 to</answer> 9</answer>',
      '<answer>3 to 5</answer>x</answer><answer>',
    ];
    for (const text of cases) expect(raRftRules.refuseIoU(text, relevant, 0), text).toBe(composed(text, relevant));
  });
});
