import { OVERFLOWING_INT, PyDict, type PyJson, pyJsonLoads } from '../python-json.js';
import { pyStrip } from '../python-text.js';

/** A JSON value Python compares and `isinstance(x, (int, float))` accepts: numbers and bools. */
function numeric(value: PyJson | undefined): number | null {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return typeof value === 'number' ? value : null;
}

/**
 * TimeSearch-R's reading of a grounding answer (`general_answer_score` with `is_valid_json_time_format`): a
 * leading `` ```json `` fence removed (with every fence, then stripped), `json.loads`, an object whose
 * `start_time` and `end_time` are numbers (bools count, as Python's `isinstance(x, int)`) with
 * `0 ≤ start ≤ end`; else `null`. NaN and infinities pass as Python lets them; an integer past the double
 * range gives `null` (upstream then raises while computing the IoU).
 *
 * Source: TimeSearch-R (Time-Search/TimeSearch-R, time_r1/reward/v7.py `general_answer_score`, `is_valid_json_time_format`, commit 8d51dbc).
 *
 * @example
 * parseTimeSearchSpan('{"start_time": 8.2, "end_time": 13.6}'); // => [8.2, 13.6]
 * parseTimeSearchSpan('```json\n{"start_time": 1, "end_time": 2}\n```'); // => [1, 2]
 * parseTimeSearchSpan('{"start_time": "8.2", "end_time": "13.6"}'); // => null
 */
export function parseTimeSearchSpan(text: string): [number, number] | null {
  if (typeof text !== 'string') return null;
  let answer = text;
  if (answer.startsWith('```json')) answer = pyStrip(answer.replaceAll('```json', '').replaceAll('```', ''));
  const item = pyJsonLoads(answer);
  if (!(item instanceof PyDict)) return null;
  const startValue = item.values.get('start_time');
  const endValue = item.values.get('end_time');
  if (startValue === OVERFLOWING_INT || endValue === OVERFLOWING_INT) return null;
  const start = numeric(startValue);
  const end = numeric(endValue);
  // `start < 0` on a str, list or dict raises TypeError, which the check catches: not valid.
  if (start === null || end === null || start < 0 || end < 0 || start > end) return null;
  return [start, end];
}
