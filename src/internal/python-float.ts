// Python's float() of an arbitrary value (str, int, float, bool), as TVG-R1's reward applies it to
// whatever json.loads returned. `null` stands for the exception Python would raise.

const PY_FLOAT_TEXT = /^[+-]?(?:(?:\d(?:_?\d)*)?(?:\.\d(?:_?\d)*)?|\d(?:_?\d)*\.)(?:[eE][+-]?\d(?:_?\d)*)?$/;

export function pyFloat(value: unknown): number | null {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const lower = text.toLowerCase();
  const unsigned = lower.replace(/^[+-]/, '');
  if (unsigned === 'inf' || unsigned === 'infinity') return lower.startsWith('-') ? -Infinity : Infinity;
  if (unsigned === 'nan') return Number.NaN;
  if (!/\d/.test(text) || !PY_FLOAT_TEXT.test(text)) return null;
  return Number(text.replaceAll('_', ''));
}
