// The known weaknesses of the built-in variants, each tied to the reward-hacking corpus entry that shows
// it: test/weaknesses.test.ts checks every claim against corpus/reward-hacks.jsonl (itself checked
// against the library), so a weakness that a change fixes fails the suite instead of going stale.

/**
 * What a corpus entry must show for a weakness to hold, for the variant's reward of the hack (`hack`) and of
 * the genuine answer on the same target (`genuine`): `ties` hack ≥ genuine (the hack is paid as much);
 * `pays` hack > 0; `negative` hack < 0; `unpaid-genuine` genuine = hack (the genuine answer earns nothing
 * more than the hack, e.g. a refusal that is never rewarded).
 */
export type WeaknessClaim = 'ties' | 'pays' | 'negative' | 'unpaid-genuine';

/** One documented weakness of a variant and the corpus entry (`corpus/reward-hacks.jsonl` id) that shows it. */
export interface VariantWeakness {
  readonly text: string;
  readonly entry: string;
  readonly claim: WeaknessClaim;
}

const NEVER_REFUSES = (entry: string): VariantWeakness => ({ text: 'never rewards a refusal: an empty answer earns what a genuine refusal earns', entry, claim: 'unpaid-genuine' });

/** The weaknesses of each built-in variant, by variant id, with their evidence. */
export const VARIANT_WEAKNESSES: Readonly<Record<string, readonly VariantWeakness[]>> = {
  'ra-rft': [
    { text: 'empty answers count as refusals', entry: 'empty-answer', claim: 'ties' },
    { text: 'one-word answers count as refusals', entry: 'one-word-refusal', claim: 'ties' },
    { text: 'spans written 12.5s to 17.8s, 12.5 - 17.8, [12.5, 17.8] or 00:12 to 00:17 are no spans, so they count as refusals', entry: 'hidden-timestamp', claim: 'ties' },
    { text: 'negative rewards past the video ends', entry: 'past-video-end', claim: 'pays' },
    { text: 'repeated answer blocks pass the format check and the last one is scored', entry: 'multiple-answers', claim: 'ties' },
    { text: 'an empty <think> passes the format check', entry: 'empty-think', claim: 'ties' },
    { text: 'two spans in one answer: the first one is scored', entry: 'two-spans-one-answer', claim: 'pays' },
  ],
  strict: [
    { text: 'spelled-out numbers are no spans, so such answers count as refusals', entry: 'spelled-out-span', claim: 'pays' },
    { text: 'counts written as "3 to 5 people" read as a span; refusal wording beside one span on a relevant target is paid', entry: 'refusal-with-span', claim: 'pays' },
    { text: 'a boilerplate refusal is paid like a genuine one', entry: 'boilerplate-refusal', claim: 'ties' },
    { text: 'no reward part looks at length: a 50,000-character <think> costs nothing', entry: 'huge-think', claim: 'ties' },
  ],
  'time-r1': [
    NEVER_REFUSES('empty-answer@r1'),
    { text: 'repeated answer blocks pass the format check; the last one is scored', entry: 'multiple-answers@r1', claim: 'ties' },
    { text: 'an empty <think> passes the format check', entry: 'empty-think@r1', claim: 'ties' },
  ],
  'plain-iou': [
    NEVER_REFUSES('empty-answer@r1'),
    { text: 'the whole video earns the gold share of the video', entry: 'whole-video@r1', claim: 'pays' },
    { text: 'repeated answer blocks pass the format check; the last one is scored', entry: 'multiple-answers@r1', claim: 'ties' },
    { text: 'an empty <think> passes the format check', entry: 'empty-think@r1', claim: 'ties' },
  ],
  'tvg-r1': [
    { text: 'prose around the tags still earns the IoU part (the greedy format regex accepts anything after </time>)', entry: 'prose-around-tags@tvg-r1', claim: 'pays' },
    { text: 'the first <time> block is read, so a hedge can put the gold span first', entry: 'multiple-answers@tvg-r1', claim: 'ties' },
  ],
  timelens: [
    { text: 'no format part: answer tags spelled with look-alike letters still pay the span', entry: 'unicode-lookalike-tags', claim: 'ties' },
    { text: 'the first of two spans is scored', entry: 'two-spans-one-answer', claim: 'ties' },
    { text: 'a span past the video end is scored as written', entry: 'past-video-end', claim: 'pays' },
  ],
  museg: [
    { text: 'never rewards a refusal, and an empty answer earns the full format point where a refusal earns 0.2', entry: 'empty-answer@museg', claim: 'ties' },
    { text: 'the whole video earns a share through local matching', entry: 'whole-video@museg', claim: 'pays' },
    { text: 'enumerating segments keeps part of the reward', entry: 'enumerate-spans@museg', claim: 'pays' },
  ],
  'temporal-r1': [
    { text: 'the whole video earns the gold share of the video', entry: 'whole-video@temporal-r1', claim: 'pays' },
    { text: 'an empty <think> passes the format check', entry: 'empty-think@temporal-r1', claim: 'ties' },
  ],
  'tempsamp-r1': [
    { text: 'the shaping pays about 0.087 for no answer at all', entry: 'unicode-lookalike-tags@r1', claim: 'pays' },
    { text: 'an empty <think> costs nothing', entry: 'empty-think@r1', claim: 'ties' },
    { text: 'repeated answer blocks pass; the first one is read', entry: 'multiple-answers@r1', claim: 'pays' },
  ],
};

/** The weakness texts of a built-in variant, for its `weaknesses` field. */
export function weaknessesOf(id: string): string[] {
  return (VARIANT_WEAKNESSES[id] ?? []).map((weakness) => weakness.text);
}
