import { describe, expect, it } from 'vitest';
import { trigramHashEmbedder } from '../embeddings/trigram-hash-embedder.js';
import { isOptionsError } from '../errors.js';
import { raRftReward } from '../profiles/ra-rft-reward.js';
import { assemble, renderFormats, spanAnswer } from './formats.js';
import { BUILTIN_VARIANTS, type RewardVariant, VariantRegistry, defaultVariantRegistry, embeddingVariant } from './variants.js';

const target = { relevant: true, span: [8.2, 13.6], duration: 16.75, answer: '8.2 to 13.6', contrast: 'No glass.' } as const;

describe('built-in variants', () => {
  it('give the genuine answer, written in their own format, their maximum', () => {
    // MUSEG's ε terms keep its maximum just under 3; TempSamp-R1's shaping caps IoU 1 at 0.8 + 0.01·ln 1.2.
    const maxima: Record<string, number> = { 'ra-rft': 2, strict: 2, 'time-r1': 2, 'plain-iou': 2, 'tvg-r1': 1, timelens: 1, museg: 3, 'temporal-r1': 1, 'tempsamp-r1': 0.9 + 0.01 * Math.log(1.2), taro: 2, 'open-o3-video': 3, 'timesearch-r': 1.5, 'video-r1-t-grpo': 2 };
    for (const variant of BUILTIN_VARIANTS) {
      const completion = renderFormats((format) => assemble(format, { think: 'I look.', answer: spanAnswer(format, [8.2, 13.6]), correction: 'NIL' }))[variant.format] as string;
      expect(variant.score?.(completion, target), variant.id).toBeCloseTo(maxima[variant.id] as number, variant.id === 'museg' ? 5 : 12);
    }
  });

  it('only the refusal-aware variants pay a refusal on an irrelevant target', () => {
    const irrelevant = { relevant: false, duration: 16.75 };
    const paid = BUILTIN_VARIANTS.map((variant) => [variant.id, variant.score?.(renderFormats((format) => assemble(format, { think: 'I look.', answer: 'The video never shows this.', correction: 'x' }))[variant.format] as string, irrelevant)]);
    expect(Object.fromEntries(paid)).toEqual({ 'ra-rft': 2, strict: 2, 'time-r1': 1, 'plain-iou': 1, 'tvg-r1': 0.1, timelens: 0, museg: 0.2, 'temporal-r1': 0, 'tempsamp-r1': 0, taro: 1, 'open-o3-video': 0.5, 'timesearch-r': 1, 'video-r1-t-grpo': 1 });
  });

  it('embedding variants score the full RA-RFT total in batches', async () => {
    const embedder = trigramHashEmbedder();
    const completions = ['<think>a</think><answer>8.2 to 13.6</answer><correction>NIL</correction>', '<answer>No glass here.</answer>'];
    const totals = (await embeddingVariant('strict', embedder).scoreBatch?.(completions, [target, target])) ?? [];
    for (const [i, completion] of completions.entries()) {
      expect(totals[i]).toBeCloseTo((await raRftReward(completion, target, { embedder, profile: 'strict' })).total, 12);
    }
    // A target without contrast (an irrelevant-only HI-VTG item) is scored with '' instead of throwing.
    expect(await embeddingVariant('ra-rft', embedder).scoreBatch?.(['<answer>No.</answer>'], [{ relevant: false, answer: 'No.' }])).toHaveLength(1);
  });
});

describe('VariantRegistry', () => {
  const mine: RewardVariant = { id: 'mine', name: 'Mine', source: 'me', formula: '1', parser: 'none', format: 'r1', score: () => 1 };

  it('registers, lists and selects variants', () => {
    const registry = defaultVariantRegistry().register(mine);
    expect(registry.ids()).toEqual([...BUILTIN_VARIANTS.map((v) => v.id), 'mine']);
    expect(registry.select(['mine', 'strict']).map((v) => v.id)).toEqual(['mine', 'strict']);
    expect(defaultVariantRegistry({ embedder: trigramHashEmbedder() }).ids()).toContain('strict+embed');
  });

  it('rejects duplicates, malformed variants and unknown ids with an OptionsError', () => {
    const registry = new VariantRegistry([mine]);
    for (const bad of [
      () => registry.register(mine),
      () => registry.register({ ...mine, id: 'x y' }),
      () => registry.register({ ...mine, id: 'other', format: 'html' as never }),
      () => registry.register({ ...mine, id: 'other', score: undefined }),
      () => registry.register({ ...mine, id: 'other', scores: ['speed' as never] }),
      () => registry.select(['nope']),
    ]) {
      let caught: unknown;
      try {
        bad();
      } catch (error) {
        caught = error;
      }
      expect(isOptionsError(caught)).toBe(true);
    }
  });
});
