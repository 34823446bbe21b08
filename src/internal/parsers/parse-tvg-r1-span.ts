import { pyFloat } from '../python-float.js';
import { PyDict, pyJsonLoads } from '../python-json.js';
import { pyStrip } from '../python-text.js';
import { firstTagContent } from '../tags.js';

/**
 * TVG-R1's span parser: the first `<time>(.*?)</time>` block, stripped as Python's `str.strip()` does,
 * parsed by Python's `json.loads` and unpacked into two values that Python's `float()` accepts. Python
 * unpacks any iterable of two items: a list, a string of two characters (quirk kept: `"12"` → [1, 2]), an
 * object's two keys in insertion order (`{"10": 0, "5": 0}` → [10, 5]). Any failure → `null`.
 *
 * Source: TVG-R1 (zjuruizhechen/TVG-R1, EasyR1/verl/utils/reward_score/tvgonly.py, commit 793b3dc, `tvg_accuracy_reward`).
 *
 * @example
 * parseTvgR1Span('<think>…</think> <time>[5.2, 10.4]</time>'); // => [5.2, 10.4]
 * parseTvgR1Span('<time>5.2 to 10.4</time>'); // => null
 * parseTvgR1Span('<time>{"10": 1, "5": 2}</time>'); // => [10, 5]
 */
export function parseTvgR1Span(completion: string): [number, number] | null {
  const time = typeof completion === 'string' ? firstTagContent(completion, '<time>', '</time>') : null;
  if (time === null) return null;
  const parsed = pyJsonLoads(pyStrip(time));
  const items = Array.isArray(parsed) ? parsed : typeof parsed === 'string' ? [...parsed] : parsed instanceof PyDict ? parsed.keys : null;
  if (items === null || items.length !== 2) return null;
  const start = pyFloat(items[0]);
  const end = pyFloat(items[1]);
  return start === null || end === null ? null : [start, end];
}
