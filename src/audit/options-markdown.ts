import { auditOptionFields } from './option-fields.js';

/**
 * The options table of docs/audit.md, made from the schema: flag, default, range, meaning.
 *
 * @example
 * auditOptionsMarkdown().split('\n')[2]; // => '| `--window` | 5 | 1 to 1000 | sliding window, in steps, over which every rate is computed |'
 */
export function auditOptionsMarkdown(): string {
  const rows = auditOptionFields().map((f) => {
    const range = f.kind === 'choice' ? (f.choices ?? []).join(' \\| ') : `${f.min} to ${f.max}`;
    return `| \`${f.flag}\` | ${f.default} | ${range} | ${f.description.replace(/\|/g, '\\|')} |`;
  });
  return ['| flag | default | range | meaning |', '|---|---|---|---|', ...rows].join('\n');
}
