import { describe, expect, it } from 'vitest';
import { trigramHashEmbedder } from '../embeddings/trigram-hash-embedder.js';
import { OptionsError } from '../errors.js';
import { raRftRewardBatch } from '../profiles/ra-rft-reward.js';
import { Rng } from '../internal/rng.js';
import { EVENT_CATEGORIES, HI_VTG_CATEGORY, SyntheticHiVtgTask, type SyntheticSample } from './task.js';

const task = new SyntheticHiVtgTask();
const rng = new Rng(42);
const relevant = Array.from({ length: 200 }, () => task.sample(rng, 'relevant'));
const irrelevant = Array.from({ length: 300 }, (_, i) => task.sample(rng, EVENT_CATEGORIES[i % 3]!));
const matches = (s: SyntheticSample) => s.video.events.filter((e) => e.action === s.query.action && e.attribute === s.query.attribute && e.object === s.query.object).length;

describe('SyntheticHiVtgTask', () => {
  it('lays out prompts as the events then the query, with every time token of a video distinct', () => {
    for (const s of [...relevant, ...irrelevant]) {
      expect(s.prompt).toHaveLength(task.promptLength);
      expect(task.decode(s.prompt)).toBe(`${s.video.events.map((e) => `${e.action} ${e.attribute} ${e.object} ${e.start} ${e.end}`).join(' ')} ${s.queryText}`);
      const times = s.video.events.flatMap((e) => [e.start, e.end]);
      expect(new Set(times).size).toBe(times.length);
      expect(Math.max(...times)).toBeLessThan(s.video.duration);
    }
  });

  it('makes relevant queries name exactly one event, and events share words (only the triple identifies one)', () => {
    for (const s of relevant) expect(matches(s)).toBe(1);
    const sharing = relevant.filter((s) => s.video.events.filter((e) => e.object === s.query.object).length > 1).length;
    expect(sharing / relevant.length).toBeGreaterThan(0.5);
  });

  it('makes hard-irrelevant queries change exactly one category so that no event matches', () => {
    for (const s of irrelevant) {
      expect(matches(s)).toBe(0);
      const event = s.video.events[s.eventIndex]!;
      const changed = EVENT_CATEGORIES.filter((c) => event[c] !== s.query[c]);
      expect(changed).toEqual([s.changed]);
      expect(HI_VTG_CATEGORY[s.changed!]).toMatch(/^(Action|Attribute|Object)\//);
    }
    // Both kinds of change occur: a word the video shows elsewhere, and one it never shows.
    const shown = irrelevant.filter((s) => s.video.events.some((e) => e[s.changed!] === s.query[s.changed!])).length;
    expect(shown).toBeGreaterThan(60);
    expect(shown).toBeLessThan(240);
  });

  it('gives ideal completions the top RA-RFT reward parts and SFT-style answers no refusal credit', async () => {
    const embedder = trigramHashEmbedder();
    const samples = [...relevant.slice(0, 20), ...irrelevant.slice(0, 30)];
    const ideal = await raRftRewardBatch(samples.map((s) => s.ideal), samples.map((s) => s.target), { embedder });
    ideal.forEach((r) => {
      expect(r.format).toBe(1);
      expect(r.refuseIoU).toBe(1);
      expect(r.explain).toBeGreaterThan(0);
      // NIL for relevant targets; the original query itself for hard-irrelevant ones.
      expect(r.correction).toBeCloseTo(1, 9);
    });
    // Answering a hard-irrelevant query with the near-miss event's span, as the SFT policy does.
    const answered = irrelevant.slice(0, 30).map((s) => s.ideal.replace(/<answer>.*<\/answer> <correction>.*<\/correction>/, `<answer> ${s.target.contrast} </answer> <correction> NIL </correction>`));
    const scores = await raRftRewardBatch(answered, irrelevant.slice(0, 30).map((s) => s.target), { embedder });
    for (const r of scores) expect([r.refuseIoU, r.correction]).toEqual([0, 0]);
  });

  it('round-trips text through the vocabulary and rejects unknown words and bad options', () => {
    const text = relevant[0]!.ideal;
    expect(task.decode(task.encode(text))).toBe(text);
    expect(() => task.encode('<think> flies </think>')).toThrow(OptionsError);
    expect(() => new SyntheticHiVtgTask({ eventsPerVideo: 9 })).toThrow(/eventsPerVideo/);
    expect(() => new SyntheticHiVtgTask({ wordsPerCategory: 1, eventsPerVideo: 4 })).toThrow(/wordsPerCategory/);
  });

  it('is reproducible for a seed', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    expect(Array.from({ length: 5 }, () => task.sample(a, 'object').ideal)).toEqual(Array.from({ length: 5 }, () => task.sample(b, 'object').ideal));
  });
});
