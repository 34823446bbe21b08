// `npm run bench`: runs every bench/*.bench.mjs section (or those named: `npm run bench -- core serve`),
// prints each section's report and writes all results to bench/results/latest.json.
// A section module exports `name` and `async run({ log })`, returning a JSON-able object of figures.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((file) => file.endsWith('.bench.mjs'))
  .sort()
  .filter((file) => wanted.length === 0 || wanted.includes(file.replace('.bench.mjs', '')));

const machine = { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: +(totalmem() / 2 ** 30).toFixed(1) };
console.log(`ra-rft-rewards bench — node ${machine.node}, ${machine.cores} × ${machine.cpu}, ${machine.memoryGiB} GiB`);
const results = { machine, date: new Date().toISOString(), sections: {} };
let failed = false;
for (const file of files) {
  const section = await import(pathToFileURL(join(here, file)).href);
  console.log(`\n## ${section.name}`);
  try {
    results.sections[section.name] = await section.run({ log: (line) => console.log(line) });
  } catch (error) {
    failed = true;
    console.error(`section ${section.name} failed: ${error?.stack ?? error}`);
  }
}
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log('\nresults: bench/results/latest.json');
process.exitCode = failed ? 1 : 0;
