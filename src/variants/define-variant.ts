import type { BuiltinVariant, OutputStyle, RewardPart, UpstreamRef, VariantDescriptor, VariantExtra, VariantExtras, VariantParts, VariantWeakness } from './types.js';
import type { RaRftTarget, Span } from '../types.js';

/** What a built-in variant's file states; {@link defineVariant} derives the rest. */
export interface VariantSpec extends Omit<VariantDescriptor, 'format' | 'weaknesses' | 'score'> {
  readonly upstream: readonly UpstreamRef[];
  readonly output: OutputStyle;
  readonly scores: readonly RewardPart[];
  readonly evidence: readonly VariantWeakness[];
  readonly extras?: readonly VariantExtra[] | undefined;
  readonly readSpans: (completion: string) => Span[];
  readonly parts: (completion: string, target: RaRftTarget, extras?: VariantExtras) => VariantParts;
  /** The reward; default: `parts(…).total`. */
  readonly score?: ((completion: string, target: RaRftTarget, extras?: VariantExtras) => number) | undefined;
}

/**
 * A built-in variant from its spec: `format` is the output style's id, `weaknesses` the texts of its
 * evidence, `score` the parts' total unless given, `extras` none unless given.
 *
 * @example
 * const mine = defineVariant({ id: 'one', name: 'One', source: 'me', formula: '1', parser: 'none', upstream: [], output: { id: 'r1', base: 'r1', example: '' }, scores: ['span'], evidence: [], readSpans: () => [], parts: () => ({ format: null, iou: 1, total: 1 }) });
 * [mine.format, mine.score('', { relevant: false })]; // => ['r1', 1]
 */
export function defineVariant(spec: VariantSpec): BuiltinVariant {
  const parts = spec.parts;
  return {
    ...spec,
    format: spec.output.id,
    weaknesses: spec.evidence.map((weakness) => weakness.text),
    extras: spec.extras ?? [],
    score: spec.score ?? ((completion, target, extras) => parts(completion, target, extras).total),
  };
}
