// Rebuilds corpus/reward-hacks.jsonl from the hack registry (src/benchmark/hacks.ts) and the library's
// rewards: `npx tsx corpus/build.ts`. test/corpus.test.ts fails when the file and the library disagree.
import { writeFileSync } from 'node:fs';
import { buildHackCorpus, hackCorpusJsonl } from '../src/benchmark/corpus.js';

const entries = await buildHackCorpus();
const file = new URL('./reward-hacks.jsonl', import.meta.url);
writeFileSync(file, hackCorpusJsonl(entries));
console.log(`wrote ${entries.length} hacks to ${file.pathname}`);
for (const entry of entries) {
  const [hack, genuine] = [entry.rewards, entry.genuineRewards];
  console.log(
    `${entry.id.padEnd(36)} ra-rft ${hack['ra-rft'].total.toFixed(3)} (genuine ${genuine['ra-rft'].total.toFixed(3)})  strict ${hack.strict.total.toFixed(3)} (genuine ${genuine.strict.total.toFixed(3)})`,
  );
}
