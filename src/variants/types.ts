// The one description of a reward variant: everything the benchmark, the corpus, the playground, the CLI
// help, the docs tables and the tests need to know about it. Built-in variants are one file each in this
// folder; third-party variants (bench-variants --variant-module) use the same interface.
import type { Embedder, RaRftTarget, Span } from '../types.js';

/**
 * What a reward judges: `format` (tag layout), `span` (the grounding of relevant targets), `refusal`
 * (refusing irrelevant targets), `correction` and `explain` (RA-RFT's embedding parts). A hack is
 * counted against a variant only when it attacks a part that the variant scores.
 */
export type RewardPart = 'format' | 'span' | 'refusal' | 'correction' | 'explain';

/** The completion layouts completions are first written in; every output style starts from one. */
export type BaseLayout = 'ra-rft' | 'r1' | 'tvg-r1' | 'plain';

/** The upstream function a variant restates. */
export interface UpstreamRef {
  /** `owner/name` on GitHub. */
  readonly repo: string;
  /** File path in the repository. */
  readonly path: string;
  /** Commit the restatement was written from (short hash). */
  readonly commit: string;
  /** Function(s) in that file. */
  readonly symbol?: string | undefined;
}

/**
 * How a completion of known quality is written in a method's own style: rendered in `base` first, then
 * rewritten by `derive` (its spans in the method's notation). Variants sharing a style share its id.
 */
export interface OutputStyle {
  /** Unique id, e.g. `r1`, `taro`; the key of a synthesized completion's texts. */
  readonly id: string;
  /** The layout rendered before `derive`. */
  readonly base: BaseLayout;
  /** One line on what the style looks like. */
  readonly example: string;
  /** Rewrites a `base` rendering into this style; absent: the base text as is. */
  readonly derive?: ((text: string) => string) | undefined;
}

/** One per-sample (or per-group) input a variant needs beyond the completion and the target, passed by name. */
export interface VariantExtra {
  /** Name of the input in `extras`, e.g. `diffLogProb`. */
  readonly name: string;
  /** `sample`: one value per completion; `group`: one value per group (for `scoreGroup`). */
  readonly scope: 'sample' | 'group';
  /** JSON type of the value. */
  readonly type: 'number' | 'string' | 'number[]' | 'string[]';
  /** What it is and who computes it. */
  readonly description: string;
}

/** The extra inputs of one completion (or one group), by name. */
export type VariantExtras = Readonly<Record<string, unknown>>;

/** A variant's parts for one completion: its format and span (IoU) parts before weighting, where it has them, and the total. */
export interface VariantParts {
  /** The format part before weighting (TVG-R1: 0 or 1, weighed 0.1), or `null` when the variant has none. */
  readonly format: number | null;
  /** The span part before weighting (TVG-R1: the IoU, weighed 0.9), or `null` when it has none. */
  readonly iou: number | null;
  /** The reward: the variant's `score`. */
  readonly total: number;
}

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

/**
 * A reward variant: a function `(completion, target, extras?) → number` plus what reports, the corpus and
 * the playground need to describe it. Give `score` (synchronous, the fast path), `scoreBatch` (e.g.
 * embedding rewards) or both; a variant whose reward depends on the whole group also gives `scoreGroup`.
 *
 * @example
 * const lenient: VariantDescriptor = {
 *   id: 'lenient-iou', name: 'IoU, any notation', source: 'mine', formula: 'IoU of the first span',
 *   parser: 'readTimestamps', format: 'r1', scores: ['span'],
 *   score: (completion, target) => timeLensIoU(completion, target),
 * };
 */
export interface VariantDescriptor {
  /** Short unique id used on the command line and in reports, e.g. `ra-rft`. */
  readonly id: string;
  /** Display name. */
  readonly name: string;
  /** Paper and repository it reproduces, in words. */
  readonly source: string;
  /** The upstream functions it restates (repo, path, commit). */
  readonly upstream?: readonly UpstreamRef[] | undefined;
  /** The formula, e.g. `format + refuseIoU`. */
  readonly formula: string;
  /** How the span / refusal is read from the completion. */
  readonly parser: string;
  /** Id of the output style its policy is prompted for: synthesized completions are written in it. */
  readonly format: string;
  /** The style itself, for a style the registry does not know yet (a third-party variant may bring one). */
  readonly output?: OutputStyle | undefined;
  /** The parts it judges; hacks on other parts are not counted against it. Default: all parts. */
  readonly scores?: readonly RewardPart[] | undefined;
  /** Known weaknesses, for the variant table. */
  readonly weaknesses?: readonly string[] | undefined;
  /** Each weakness with the corpus entry that shows it (built-ins: checked by test/weaknesses.test.ts). */
  readonly evidence?: readonly VariantWeakness[] | undefined;
  /** Extra inputs it reads from `extras`, by name; none when absent. */
  readonly extras?: readonly VariantExtra[] | undefined;
  /** The spans it scores in a completion (for display), in its own reading; `[]` when it reads none. */
  readonly readSpans?: ((completion: string) => Span[]) | undefined;
  /** Its parts for one completion. */
  readonly parts?: ((completion: string, target: RaRftTarget, extras?: VariantExtras) => VariantParts) | undefined;
  /** The reward of one completion. */
  readonly score?: ((completion: string, target: RaRftTarget, extras?: VariantExtras) => number) | undefined;
  /** The rewards of many completions (one target per completion); used instead of `score` when given. */
  readonly scoreBatch?: ((completions: readonly string[], targets: readonly RaRftTarget[]) => Promise<number[]>) | undefined;
  /** The rewards of one group (completions of one prompt); `extras` holds the group's inputs. */
  readonly scoreGroup?: ((completions: readonly string[], target: RaRftTarget, extras?: VariantExtras) => number[]) | undefined;
}

/** A built-in variant: every descriptor field the registry maps over is present. */
export interface BuiltinVariant extends VariantDescriptor {
  readonly upstream: readonly UpstreamRef[];
  readonly output: OutputStyle;
  readonly scores: readonly RewardPart[];
  readonly weaknesses: readonly string[];
  readonly evidence: readonly VariantWeakness[];
  readonly extras: readonly VariantExtra[];
  readonly readSpans: (completion: string) => Span[];
  readonly parts: (completion: string, target: RaRftTarget, extras?: VariantExtras) => VariantParts;
  readonly score: (completion: string, target: RaRftTarget, extras?: VariantExtras) => number;
}

/** A variant that needs an embedder (RA-RFT's explain and correction parts). */
export type EmbeddingVariantFactory = (embedder: Embedder) => VariantDescriptor;
