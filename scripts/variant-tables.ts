// Prints the docs tables of the built-in variants from the registry (src/variants/registry.ts):
// `npx tsx scripts/variant-tables.ts` and paste into docs/variants.md and README.md; test/variant-docs.test.ts
// fails when a variant is missing from them.
import { VARIANTS } from '../src/variants/registry.js';

const cell = (text: string): string => text.replaceAll('|', '\\|');
console.log('| Variant | Restates (repo, path, commit) | Formula | Output style | Extra inputs |\n|---|---|---|---|---|');
for (const v of VARIANTS) {
  const upstream = v.upstream.map((u) => `${u.repo} \`${u.path}\` ${u.commit}`).join('; ');
  const extras = v.extras.map((e) => `\`${e.name}\` (${e.scope})`).join(', ') || '—';
  console.log(`| \`${v.id}\` | ${cell(upstream)} | ${cell(v.formula)} | \`${v.format}\` | ${extras} |`);
}
console.log('\n| Variant | Known weaknesses (corpus entry) |\n|---|---|');
for (const v of VARIANTS) console.log(`| \`${v.id}\` | ${v.evidence.map((w) => `${w.text} (\`${w.entry}\`)`).join('; ')} |`);
