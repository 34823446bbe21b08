// Writes examples/completions.jsonl: completions a video LLM might produce for a few HI-VTG items
// (../shared/data/hi-vtg/hi_vtg_charades.json), in both input forms `ra-rft-rewards score` reads.
// Usage: node scripts/make-example-completions.mjs [path/to/hi_vtg_charades.json]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = process.argv[2] ?? resolve(root, '../shared/data/hi-vtg/hi_vtg_charades.json');
const items = JSON.parse(readFileSync(source, 'utf8'));
const strip = (text) => text.replace(/^\s*<answer>|<\/answer>\s*$/g, '').trim();
const think = (item) => `<think>\nI look for "${item.GRPO[0].q.trim()}" in the video.\n</think>`;
const lines = [];
for (const [n, item] of items.slice(0, 12).entries()) {
  const positive = item.GRPO.find((g) => g.r);
  const negative = item.GRPO.find((g) => !g.r);
  const [s, e] = item.timestamp;
  const d = item.duration;
  const target = { relevant: true, span: [s, e], duration: d, answer: positive.a.trim(), contrast: negative.a.trim(), query: positive.q.trim() };
  const refusal = { relevant: false, duration: d, answer: negative.a.trim(), contrast: positive.a.trim(), query: positive.q.trim() };
  const shift = Math.min(2.5, d - e);
  lines.push({ id: `${n}-exact`, completion: `${think(item)}<answer>${s.toFixed(2)} to ${e.toFixed(2)}</answer><correction>NIL</correction>`, target });
  lines.push({ id: `${n}-shifted`, completion: `${think(item)}<answer>${(s + shift).toFixed(2)} to ${(e + shift).toFixed(2)}</answer><correction>NIL</correction>`, target });
  lines.push({ id: `${n}-refuses-relevant`, completion: `${think(item)}<answer>${strip(negative.a)}</answer><correction>${positive.q.trim()}</correction>`, target });
  lines.push({ id: `${n}-refusal`, completion: `${think(item)}<answer>${strip(negative.a)}</answer><correction>${positive.q.trim()}</correction>`, target: refusal });
  lines.push({ id: `${n}-grounds-irrelevant`, completion: `${think(item)}<answer>${s.toFixed(1)} to ${e.toFixed(1)}</answer><correction>NIL</correction>`, target: refusal });
}
// One HI-VTG item with completions for both of its queries: the CLI pairs the targets itself.
const [first] = items;
lines.push({
  ...first,
  completions: {
    relevant: [`${think(first)}<answer>${first.timestamp[0]} to ${first.timestamp[1]}</answer><correction>NIL</correction>`],
    irrelevant: [`${think(first)}<answer>The video shows no such event.</answer><correction>${first.GRPO[0].q.trim()}</correction>`],
  },
});
writeFileSync(join(root, 'examples/completions.jsonl'), `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`);
console.log(`wrote examples/completions.jsonl: ${lines.length} lines from ${source}`);
