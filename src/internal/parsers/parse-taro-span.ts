import { lastTagContent } from '../tags.js';
import { pyFloatOfDigits } from '../python-text.js';

// `(\d+\.?\d*)s (to|and) (\d+\.?\d*)s` under re.IGNORECASE: Python's `\d` is any Unicode decimal digit, and
// its case-insensitive `s` also matches `S` and U+017F (long s), as JavaScript's /iu does.
const TARO_SPAN = /(\p{Nd}+\.?\p{Nd}*)s (?:to|and) (\p{Nd}+\.?\p{Nd}*)s/giu;

/**
 * TaRO's span parser: the last `<answer>…</answer>` block (Python `re.findall(..., re.DOTALL)[-1]`), then the
 * LAST non-overlapping match of `(\d+\.?\d*)s (to|and) (\d+\.?\d*)s` (case-insensitive, one literal space on
 * each side of the word) as `[start, end]`; `null` when there is no answer block or no such span. Every
 * timestamp must carry its `s`: `8.2 to 13.6` is no span for TaRO.
 *
 * Source: TaRO (oceanflowlab/TaRO, src/rewards.py `parse_timestamp_output`, commit 143a234).
 *
 * @example
 * parseTaroSpan('<think>…</think><answer>8.2s to 13.6s</answer>'); // => [8.2, 13.6]
 * parseTaroSpan('<answer>1s to 2s</answer><answer>3S AND 4S</answer>'); // => [3, 4]
 * parseTaroSpan('<answer>8.2 to 13.6</answer>'); // => null
 */
export function parseTaroSpan(completion: string): [number, number] | null {
  if (typeof completion !== 'string') return null;
  const answer = lastTagContent(completion, '<answer>', '</answer>');
  if (answer === null) return null;
  let last: RegExpExecArray | null = null;
  TARO_SPAN.lastIndex = 0;
  for (let match = TARO_SPAN.exec(answer); match !== null; match = TARO_SPAN.exec(answer)) last = match;
  return last === null ? null : [pyFloatOfDigits(last[1] as string), pyFloatOfDigits(last[2] as string)];
}
