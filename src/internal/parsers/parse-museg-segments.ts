import { pyFloat } from '../python-float.js';
import { pySplit } from '../python-text.js';

/**
 * MUSEG's segment list: Python `text.strip().split()`, each item `item.split('-')` read as
 * `float(t[0]), float(t[1])` (a third part is ignored: `1-2-3` → [1, 2]). `null` when an item has no `-`
 * or a part that `float()` rejects (where MUSEG's `try` fails). Nothing is checked about the values.
 *
 * Source: MUSEG (THUNLP-MT/MUSEG, src/train.py `_reward_format`, `reward_global_matching`, commit 889565e).
 *
 * @example
 * parseMusegSegments(' 1.5-3.25 10-12 '); // => [[1.5, 3.25], [10, 12]]
 * parseMusegSegments('1.5 to 3.25'); // => null
 */
export function parseMusegSegments(text: string): [number, number][] | null {
  const segments: [number, number][] = [];
  for (const item of pySplit(text)) {
    const parts = item.split('-');
    if (parts.length < 2) return null;
    const start = pyFloat(parts[0]);
    const end = pyFloat(parts[1]);
    if (start === null || end === null) return null;
    segments.push([start, end]);
  }
  return segments;
}
