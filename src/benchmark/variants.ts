import { OptionsError } from '../errors.js';
import { raRftRewardBatch } from '../profiles/ra-rft-reward.js';
import type { Embedder, RaRftTarget } from '../types.js';
import { OUTPUT_STYLES, VARIANTS } from '../variants/registry.js';
import { raRftVariant } from '../variants/ra-rft.js';
import { strictVariant } from '../variants/strict.js';
import type { BuiltinVariant, VariantDescriptor } from '../variants/types.js';
import { REWARD_PARTS } from './types.js';

export { musegVariant } from '../variants/museg.js';
export { openO3VideoVariant } from '../variants/open-o3-video.js';
export { plainIoUVariant } from '../variants/plain-iou.js';
export { raRftVariant } from '../variants/ra-rft.js';
export { strictVariant } from '../variants/strict.js';
export { taroVariant } from '../variants/taro.js';
export { tempSampVariant } from '../variants/tempsamp-r1.js';
export { temporalR1Variant } from '../variants/temporal-r1.js';
export { timeR1Variant } from '../variants/time-r1.js';
export { timeLensVariant } from '../variants/timelens.js';
export { timeSearchVariant } from '../variants/timesearch-r.js';
export { tvgR1Variant } from '../variants/tvg-r1.js';
export { videoR1TGrpoVariant } from '../variants/video-r1-t-grpo.js';

/**
 * A reward variant under test: the variants layer's {@link VariantDescriptor} (src/variants/types.ts), the
 * same for built-in and third-party variants. Give `score` (synchronous, the fast path) or `scoreBatch`
 * (e.g. embedding rewards); `format` names an output style (built-in, or the variant's own `output`).
 *
 * @example
 * const lenient: RewardVariant = {
 *   id: 'lenient-iou', name: 'IoU, any notation', source: 'mine', formula: 'IoU of the first span',
 *   parser: 'TimeLens', format: 'r1', scores: ['span'], weaknesses: [],
 *   score: (completion, target) => timeLensIoU(completion, target),
 * };
 */
export type RewardVariant = VariantDescriptor;

/** Throws an {@link OptionsError} naming the field when `variant` is not a usable {@link RewardVariant}. */
export function assertVariant(fn: string, variant: RewardVariant): void {
  if (variant === null || typeof variant !== 'object') throw new OptionsError(fn, 'variant', 'must be an object');
  if (typeof variant.id !== 'string' || !/^[\w.+-]{1,40}$/.test(variant.id)) {
    throw new OptionsError(fn, 'variant.id', `must be 1–40 letters, digits, or . + - _, got ${JSON.stringify(variant.id)}`);
  }
  for (const field of ['name', 'source', 'formula', 'parser'] as const) {
    if (typeof variant[field] !== 'string') throw new OptionsError(fn, `variant.${field}`, `must be a string (variant '${variant.id}')`);
  }
  const known = OUTPUT_STYLES.map((style) => style.id);
  const own = variant.output;
  if (own !== undefined && (own === null || typeof own !== 'object' || own.id !== variant.format || !['ra-rft', 'r1', 'tvg-r1', 'plain'].includes(own.base) || (own.derive !== undefined && typeof own.derive !== 'function'))) {
    throw new OptionsError(fn, 'variant.output', `must be an output style { id: variant.format, base: 'ra-rft' | 'r1' | 'tvg-r1' | 'plain', derive? } (variant '${variant.id}')`);
  }
  if (typeof variant.format !== 'string' || (own === undefined && !known.includes(variant.format))) {
    throw new OptionsError(fn, 'variant.format', `must be one of ${known.join(', ')}, or give variant.output (variant '${variant.id}'), got ${JSON.stringify(variant.format)}`);
  }
  if (variant.scoreGroup !== undefined && typeof variant.scoreGroup !== 'function') {
    throw new OptionsError(fn, 'variant.scoreGroup', `must be a function when given (variant '${variant.id}')`);
  }
  if (variant.scores !== undefined && (!Array.isArray(variant.scores) || variant.scores.some((part) => !REWARD_PARTS.includes(part)))) {
    throw new OptionsError(fn, 'variant.scores', `must list parts among ${REWARD_PARTS.join(', ')} (variant '${variant.id}')`);
  }
  if (typeof variant.score !== 'function' && typeof variant.scoreBatch !== 'function') {
    throw new OptionsError(fn, 'variant.score', `or variant.scoreBatch must be a function (variant '${variant.id}')`);
  }
}

/**
 * An ordered set of {@link RewardVariant}s with unique ids. Start from {@link defaultVariantRegistry} and
 * `register` your own to benchmark them beside the published ones.
 *
 * @example
 * const registry = defaultVariantRegistry().register(myVariant);
 * await benchVariants({ data: ['../shared/data/hi-vtg'], variants: registry });
 */
export class VariantRegistry {
  private readonly byId = new Map<string, RewardVariant>();

  constructor(variants: readonly RewardVariant[] = []) {
    for (const variant of variants) this.register(variant);
  }

  /** Adds a variant; throws an {@link OptionsError} when it is malformed or its id is taken. */
  register(variant: RewardVariant): this {
    assertVariant('VariantRegistry.register', variant);
    if (this.byId.has(variant.id)) throw new OptionsError('VariantRegistry.register', 'variant.id', `'${variant.id}' is already registered`);
    this.byId.set(variant.id, variant);
    return this;
  }

  /** The variant with this id, or `undefined`. */
  get(id: string): RewardVariant | undefined {
    return this.byId.get(id);
  }

  /** The registered ids, in registration order. */
  ids(): string[] {
    return [...this.byId.keys()];
  }

  /** The registered variants, in registration order. */
  list(): RewardVariant[] {
    return [...this.byId.values()];
  }

  /** The variants with these ids, in the order given; throws an {@link OptionsError} naming an unknown id. */
  select(ids: readonly string[]): RewardVariant[] {
    return ids.map((id) => {
      const variant = this.byId.get(id);
      if (variant === undefined) throw new OptionsError('VariantRegistry.select', 'ids', `has unknown variant '${id}' (known: ${this.ids().join(', ')})`);
      return variant;
    });
  }
}

/** The built-in rule-based variants, in report order (the variants layer's registry, src/variants/registry.ts). */
export const BUILTIN_VARIANTS: readonly BuiltinVariant[] = VARIANTS;

/**
 * The full RA-RFT reward `format + refuseIoU + explain + correction` with `embedder`, for the reference
 * (`ra-rft+embed`) or `strict` (`strict+embed`) profile. Batched: one `embed` call per batch.
 */
export function embeddingVariant(profile: 'ra-rft' | 'strict', embedder: Embedder): RewardVariant {
  const base = profile === 'strict' ? strictVariant : raRftVariant;
  return {
    id: `${profile}+embed`,
    name: `${base.name} + explain + correction`,
    source: base.source,
    formula: `${base.formula.split(';')[0]} + explain + correction (${embedder.name ?? 'custom embedder'})`,
    parser: base.parser,
    format: 'ra-rft',
    scores: ['format', 'span', 'refusal', 'correction', 'explain'],
    weaknesses: [
      ...base.weaknesses,
      profile === 'strict' ? 'explain pays resemblance to the reference wording (boilerplate refusals)' : 'an empty correction earns 0.5; "NIL" inside a word counts as NIL',
    ],
    // Items without a counterpart (ss_vtg's irrelevant-only items) have no contrast text: embed it as ''.
    scoreBatch: async (completions, targets) =>
      (await raRftRewardBatch(completions, targets.map(withReferenceTexts), { embedder, profile })).map((result) => result.total),
  };
}

function withReferenceTexts(target: RaRftTarget): RaRftTarget {
  return target.answer !== undefined && target.contrast !== undefined ? target : { ...target, answer: target.answer ?? '', contrast: target.contrast ?? '' };
}

/** Options of {@link defaultVariantRegistry}. */
export interface DefaultVariantOptions {
  /** Adds `ra-rft+embed` and `strict+embed`, the full RA-RFT reward with this embedder. */
  embedder?: Embedder | undefined;
}

/**
 * A registry of the built-in variants ({@link BUILTIN_VARIANTS}, from the variants layer), plus the two
 * embedding variants when an embedder is given.
 *
 * @example
 * defaultVariantRegistry().ids(); // => ['ra-rft', 'strict', 'time-r1', 'plain-iou', 'tvg-r1', 'timelens', 'museg', 'temporal-r1', 'tempsamp-r1', 'taro', 'open-o3-video', 'timesearch-r', 'video-r1-t-grpo']
 */
export function defaultVariantRegistry(options?: DefaultVariantOptions): VariantRegistry {
  const registry = new VariantRegistry(BUILTIN_VARIANTS);
  if (options?.embedder !== undefined) registry.register(embeddingVariant('ra-rft', options.embedder)).register(embeddingVariant('strict', options.embedder));
  return registry;
}
