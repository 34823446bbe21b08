/** A number as Python's `repr(float)` writes it (`2.0`, `1e-05`), or as an int for `int`s. */
function pyNumber(value: number, integer: boolean): string {
  if (integer && Number.isInteger(value)) return String(value);
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return value.toFixed(1);
  return String(value).replace(/e([+-])(\d)$/, 'e$10$2');
}

/**
 * `json.dumps(value, ensure_ascii=False)` as Python writes it: `", "` and `": "` separators, floats with a
 * fraction (`2.0`), non-ASCII text as is. Numbers under the keys in `ints` are Python ints. Used to write
 * dumps exactly as verl's `_dump_generations` does (tests, the bench, the docs' sample run).
 *
 * @example
 * pythonJsonDumps({ input: 'é', score: 2, step: 3, gts: { span: [1, 2.5] } }, ['step']); // => '{"input": "é", "score": 2.0, "step": 3, "gts": {"span": [1.0, 2.5]}}'
 */
export function pythonJsonDumps(value: unknown, ints: readonly string[] = [], key = ''): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return pyNumber(value, ints.includes(key));
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => pythonJsonDumps(item, ints, key)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${pythonJsonDumps(v, ints, k)}`).join(', ')}}`;
}
