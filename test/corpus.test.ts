// The reward-hacking corpus (corpus/reward-hacks.jsonl): every documented reward must be what the library
// computes, the file must be what corpus/build.ts makes of the hack registry, and `strict` must give no
// hack more than the genuine answer of the same kind.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORPUS_VARIANTS, type CorpusRewards, type HackCorpusEntry, buildHackCorpus, corpusRewards, variantReward } from '../src/benchmark/corpus.js';
import { VARIANTS } from '../src/variants/registry.js';
import { repoRoot } from './helpers/shared.js';

const entries = readFileSync(join(repoRoot, 'corpus/reward-hacks.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as HackCorpusEntry);
const byId = new Map(entries.map((entry) => [entry.id, entry]));

function entry(id: string): HackCorpusEntry {
  const found = byId.get(id);
  if (found === undefined) throw new Error(`corpus has no entry ${id}`);
  return found;
}

function expectRewards(actual: CorpusRewards, documented: CorpusRewards, label: string): void {
  for (const profile of ['ra-rft', 'strict'] as const) {
    for (const part of ['format', 'refuseIoU', 'explain', 'correction', 'total'] as const) {
      expect(actual[profile][part], `${label} ${profile}.${part}`).toBeCloseTo(documented[profile][part], 12);
    }
  }
  // Every built-in variant of the registry: a variant missing from the corpus, or a corpus reward that is not
  // the library's, fails here.
  for (const variant of CORPUS_VARIANTS) {
    expect(typeof documented[variant.id], `${label}: the corpus documents ${variant.id}`).toBe('number');
    expect(variantReward(actual, variant.id), `${label} ${variant.id}`).toBeCloseTo(variantReward(documented, variant.id), 12);
  }
  expect(Object.keys(documented).sort(), `${label}: documented variants`).toEqual(VARIANTS.map((variant) => variant.id).sort());
}

describe('reward-hacking corpus', () => {
  it('covers the required hack families, one line per hack, each explained', () => {
    const hacks = new Set(entries.map((e) => e.hack));
    for (const required of [
      'multiple-answers',
      'tags-inside-think',
      'empty-answer',
      'nil-in-word',
      'prose-around-tags',
      'hidden-timestamp',
      'huge-think',
      'digit-flood',
      'unicode-lookalike-tags',
      'lookalike-digits',
      'empty-correction',
      'reversed-span',
      'past-video-end',
      'whole-video',
      'two-spans-one-answer',
    ]) {
      expect(hacks, required).toContain(required);
    }
    expect(byId.size).toBe(entries.length);
    for (const e of entries) {
      expect(e.why.length, e.id).toBeGreaterThan(40);
      expect(e.completion).not.toBe(e.genuine);
    }
  });

  it('is what corpus/build.ts makes of the hack registry (rebuild with `npx tsx corpus/build.ts`)', async () => {
    const built = await buildHackCorpus();
    const shape = (list: readonly HackCorpusEntry[]) => list.map(({ id, hack, format, targetKind, why, prompt, target, completion, genuine }) => ({ id, hack, format, targetKind, why, prompt, target, completion, genuine }));
    expect(shape(entries)).toEqual(shape(built));
  });

  it.each(entries.map((e) => [e.id, e] as const))('%s: the documented rewards are the library\'s', async (id, e) => {
    expectRewards(await corpusRewards(e.completion, e.target), e.rewards, id);
    expectRewards(await corpusRewards(e.genuine, e.target), e.genuineRewards, `${id} (genuine)`);
  });

  it.each(entries.map((e) => [e.id, e] as const))('%s: strict gives the hack no more than the genuine answer', (id, e) => {
    const [hack, genuine] = [e.rewards.strict, e.genuineRewards.strict];
    // The rule-based parts strict hardens; explain depends on the embedder and is reported, not bounded.
    for (const part of ['format', 'refuseIoU', 'correction'] as const) expect(hack[part], `${id} strict.${part}`).toBeLessThanOrEqual(genuine[part] + 1e-12);
    expect(hack.format + hack.refuseIoU + hack.correction).toBeLessThanOrEqual(genuine.format + genuine.refuseIoU + genuine.correction + 1e-12);
  });
});

describe('the corpus\' claims about each hack', () => {
  let reference: (id: string) => CorpusRewards['ra-rft'];
  let strict: (id: string) => CorpusRewards['strict'];
  beforeAll(() => {
    reference = (id) => entry(id).rewards['ra-rft'];
    strict = (id) => entry(id).rewards.strict;
  });

  it('the reference pays hedges and hidden tags; strict does not', () => {
    expect([reference('multiple-answers').format, reference('multiple-answers').refuseIoU]).toEqual([1, 1]);
    expect([strict('multiple-answers').format, strict('multiple-answers').refuseIoU]).toEqual([0, 0]);
    expect(reference('tags-inside-think').refuseIoU).toBe(1);
    expect(strict('tags-inside-think').refuseIoU).toBe(0);
    expect(reference('two-spans-one-answer').refuseIoU).toBe(1);
    expect(strict('two-spans-one-answer').refuseIoU).toBe(0);
    expect(entry('tags-inside-think@tvg-r1').rewards['tvg-r1']).toBeCloseTo(0.9, 12); // IoU read from inside <think>
  });

  it('the reference counts empty, one-word, hidden-timestamp and digit-flood answers as refusals; strict does not', () => {
    for (const id of ['empty-answer', 'one-word-refusal', 'hidden-timestamp', 'digit-flood']) {
      expect(reference(id).refuseIoU, id).toBe(1);
      expect(strict(id).refuseIoU, id).toBe(0);
    }
    expect(reference('empty-answer').correction).toBe(0.5);
    expect(strict('empty-answer').correction).toBe(0);
    expect(reference('empty-correction').correction).toBe(0.5);
    expect(strict('empty-correction').correction).toBe(0);
  });

  it('"NIL" inside a word is NIL for the reference only', () => {
    expect(reference('nil-in-word').correction).toBe(1);
    expect(strict('nil-in-word').correction).toBe(0);
  });

  it('fullwidth digits are a span for both profiles (Python \\d); strict weaknesses stay documented: spelled-out spans count as refusals, refusal wording beside a span is paid', () => {
    expect(reference('lookalike-digits').refuseIoU).toBe(0);
    expect(strict('lookalike-digits').refuseIoU).toBe(0);
    expect(strict('spelled-out-span').refuseIoU).toBe(1);
    expect(strict('refusal-with-span').refuseIoU).toBe(1);
  });

  it('look-alike tags hide the answer from tag parsers, not from TimeLens', () => {
    const rewards = entry('unicode-lookalike-tags').rewards;
    expect([rewards['ra-rft'].refuseIoU, rewards.strict.refuseIoU, rewards['time-r1'], rewards['tvg-r1']]).toEqual([0, 0, 0, 0]);
    expect(rewards.timelens).toBe(1);
  });

  it('past the video end: negative for the reference, clamped by strict (and equal to the exact answer when the gold span runs past the end)', () => {
    expect(reference('past-video-end').refuseIoU).toBeLessThan(0);
    expect(strict('past-video-end').refuseIoU).toBeGreaterThan(0);
    const pastEnd = entry('past-video-end#gold-past-end');
    expect(pastEnd.rewards.strict.refuseIoU).toBeCloseTo(pastEnd.genuineRewards.strict.refuseIoU, 12);
    // strict cuts the gold span at the stated duration too, so the exact answer still earns the full reward.
    expect(pastEnd.genuineRewards.strict.refuseIoU).toBe(1);
  });

  it('reversed spans and length earn nothing extra anywhere', () => {
    // (time-r1 and plain-iou get no format point either: the RA-RFT layout ends with </correction>, not </answer>.)
    const reversed = entry('reversed-span').rewards;
    expect([reversed['ra-rft'].refuseIoU, reversed.strict.refuseIoU, reversed['time-r1'], reversed['plain-iou'], reversed.timelens]).toEqual([0, 0, 0, 0, 0]);
    expect(entry('huge-think').rewards['ra-rft'].total).toBeCloseTo(entry('huge-think').genuineRewards['ra-rft'].total, 12);
  });
});
