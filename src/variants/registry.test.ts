// Every built-in variant of the registry must appear everywhere the library shows variants: a variant
// missing from the playground, the corpus, the benchmark's default registry, the CLI help or the docs fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_VARIANTS } from '../benchmark/corpus.js';
import { assemble, renderFormats, spanAnswer } from '../benchmark/formats.js';
import { defaultVariantRegistry } from '../benchmark/variants.js';
import { command as benchVariantsCommand } from '../cli/commands/bench-variants.js';
import { trigramHashEmbedder } from '../embeddings/trigram-hash-embedder.js';
import { scoreCases } from '../playground/score-case.js';
import { OUTPUT_STYLES, VARIANTS, VARIANTS_BY_ID } from './registry.js';

const root = join(import.meta.dirname, '../..');
const target = { relevant: true, span: [8.2, 13.6], duration: 16.75, answer: '8.2 to 13.6', contrast: 'No glass.' } as const;

describe('the variant registry', () => {
  it('has unique ids, styles and a complete descriptor for every variant', () => {
    expect(VARIANTS_BY_ID.size).toBe(VARIANTS.length);
    for (const variant of VARIANTS) {
      expect(variant.upstream.length, variant.id).toBeGreaterThan(0);
      for (const ref of variant.upstream) expect(ref.commit, variant.id).toMatch(/^[0-9a-f]{7}$/);
      expect(OUTPUT_STYLES.map((style) => style.id)).toContain(variant.format);
      expect(variant.evidence.length, variant.id).toBeGreaterThan(0);
    }
  });

  it('gives the genuine answer, written in each variant\'s own style, its maximum, and reads its span', () => {
    const maxima: Record<string, number> = {
      'ra-rft': 2, strict: 2, 'time-r1': 2, 'plain-iou': 2, 'tvg-r1': 1, timelens: 1, museg: 3, 'temporal-r1': 1, 'tempsamp-r1': 0.9 + 0.01 * Math.log(1.2),
      taro: 2, 'open-o3-video': 3, 'timesearch-r': 1.5, 'video-r1-t-grpo': 2,
    };
    expect(Object.keys(maxima).sort()).toEqual(VARIANTS.map((v) => v.id).sort());
    for (const variant of VARIANTS) {
      const completion = renderFormats((format) => assemble(format, { think: 'I look.', answer: spanAnswer(format, [8.2, 13.6]), correction: 'NIL' }))[variant.format] as string;
      expect(variant.score(completion, target), variant.id).toBeCloseTo(maxima[variant.id] as number, variant.id === 'museg' ? 5 : 12);
      expect(variant.parts(completion, target).total, variant.id).toBe(variant.score(completion, target));
      expect(variant.readSpans(completion), variant.id).toEqual([[8.2, 13.6]]);
    }
  });

  it('appears in the benchmark, the corpus, the playground and the CLI help', async () => {
    const ids = VARIANTS.map((variant) => variant.id);
    expect(defaultVariantRegistry().ids()).toEqual(ids);
    expect([...['ra-rft', 'strict'], ...CORPUS_VARIANTS.map((variant) => variant.id)]).toEqual(ids);
    const [score] = await scoreCases(['<think>t</think><answer>1 to 2</answer>'], [target], { embedder: trigramHashEmbedder() });
    expect(['ra-rft', 'strict', ...(score?.variants.map((v) => v.id) ?? [])]).toEqual(ids);
    const help = benchVariantsCommand.help.replace(/\s+/g, ' ');
    for (const id of ids) expect(help, id).toMatch(new RegExp(`[ ,]${id.replace(/[.+]/g, '\\$&')}[,\\s]`));
  });

  it('appears in docs/variants.md (registry and weaknesses tables) and the README rewards table', () => {
    const doc = readFileSync(join(root, 'docs/variants.md'), 'utf8');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const variant of VARIANTS) {
      expect(doc.split("\n").filter((line) => line.startsWith(`| \`${variant.id}\` | `)).length, variant.id).toBeGreaterThanOrEqual(2);
      expect(readme, variant.id).toContain(`\`${variant.id}\``);
    }
  });

  it('the parse view reads the span each variant scores: TimeLens reads the first answer block', () => {
    const text = '<think>a</think><answer>1 to 2</answer><answer>4 to 12</answer>';
    expect(VARIANTS_BY_ID.get('timelens')?.readSpans(text)).toEqual([[1, 2]]);
    expect(VARIANTS_BY_ID.get('timelens')?.score(text, { relevant: true, span: [4, 12], duration: 30 })).toBe(0);
    expect(VARIANTS_BY_ID.get('time-r1')?.readSpans(text)).toEqual([[4, 12]]);
  });
});
