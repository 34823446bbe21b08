import { OptionsError } from '../errors.js';
import { formatReward } from '../format/format-reward.js';
import { plainIoU } from '../grounding/plain-iou.js';
import { refuseIoU } from '../grounding/refuse-iou.js';
import { musegReward } from '../grounding/museg-reward.js';
import { tempSampReward } from '../grounding/tempsamp-reward.js';
import { temporalR1Reward } from '../grounding/temporal-r1-reward.js';
import { timeLensIoU } from '../grounding/time-lens-iou.js';
import { timeR1IoU } from '../grounding/time-r1-iou.js';
import { tvgR1Reward } from '../grounding/tvg-r1-reward.js';
import { raRftRewardBatch } from '../profiles/ra-rft-reward.js';
import type { Embedder, RaRftTarget } from '../types.js';
import { OUTPUT_FORMATS, type OutputFormat } from './formats.js';
import { REWARD_PARTS, type RewardPart } from './types.js';
import { weaknessesOf } from './weaknesses.js';

/**
 * A reward variant under test: a function `(completion, target) → number` plus what the report needs
 * to describe it. Give `score` (synchronous, the fast path) or `scoreBatch` (e.g. embedding rewards).
 *
 * @example
 * const lenient: RewardVariant = {
 *   id: 'lenient-iou', name: 'IoU, any notation', source: 'mine', formula: 'IoU of the first span',
 *   parser: 'TimeLens', format: 'r1', scores: ['span'], weaknesses: [],
 *   score: (completion, target) => timeLensIoU(completion, target),
 * };
 */
export interface RewardVariant {
  /** Short unique id used on the command line and in reports, e.g. `ra-rft`. */
  readonly id: string;
  /** Display name. */
  readonly name: string;
  /** Paper and repository it reproduces. */
  readonly source: string;
  /** The formula, e.g. `format + refuseIoU`. */
  readonly formula: string;
  /** How the span / refusal is read from the completion. */
  readonly parser: string;
  /** The output format its policy is prompted for: synthesized completions are rendered in it. */
  readonly format: OutputFormat;
  /** The parts it judges; hacks on other parts are not counted against it. Default: all parts. */
  readonly scores?: readonly RewardPart[] | undefined;
  /** Known weaknesses, for the variant table. */
  readonly weaknesses?: readonly string[] | undefined;
  /** The reward of one completion. */
  readonly score?: ((completion: string, target: RaRftTarget) => number) | undefined;
  /** The rewards of many completions (one target per completion); used instead of `score` when given. */
  readonly scoreBatch?: ((completions: readonly string[], targets: readonly RaRftTarget[]) => Promise<number[]>) | undefined;
}

/** Throws an {@link OptionsError} naming the field when `variant` is not a usable {@link RewardVariant}. */
export function assertVariant(fn: string, variant: RewardVariant): void {
  if (variant === null || typeof variant !== 'object') throw new OptionsError(fn, 'variant', 'must be an object');
  if (typeof variant.id !== 'string' || !/^[\w.+-]{1,40}$/.test(variant.id)) {
    throw new OptionsError(fn, 'variant.id', `must be 1–40 letters, digits, or . + - _, got ${JSON.stringify(variant.id)}`);
  }
  for (const field of ['name', 'source', 'formula', 'parser'] as const) {
    if (typeof variant[field] !== 'string') throw new OptionsError(fn, `variant.${field}`, `must be a string (variant '${variant.id}')`);
  }
  if (!OUTPUT_FORMATS.includes(variant.format)) {
    throw new OptionsError(fn, 'variant.format', `must be one of ${OUTPUT_FORMATS.join(', ')} (variant '${variant.id}'), got ${JSON.stringify(variant.format)}`);
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

const RA_RFT_SOURCE = 'RA-RFT, "Learning to Refuse" (JINSUBY/RA-RFT, main_rarft.py, commit 8843cbb)';

/** RA-RFT's rule-based rewards as the reference computes them: `format + refuseIoU` (0 to 2; negative past the video ends). */
export const raRftVariant: RewardVariant = {
  id: 'ra-rft',
  name: 'RA-RFT (reference)',
  source: RA_RFT_SOURCE,
  formula: 'format + refuseIoU; refuseIoU = IoU·(1−|Δs|/D)·(1−|Δe|/D) on relevant, 1 for an answer without span on irrelevant',
  parser: 'last <answer>; first (\\d+\\.?\\d*)\\s+to\\s+(\\d+\\.?\\d*)',
  format: 'ra-rft',
  scores: ['format', 'span', 'refusal'],
  weaknesses: weaknessesOf('ra-rft'),
  score: (completion, target) => formatReward(completion) + refuseIoU(completion, target),
};

/** The `strict` profile of the same two parts: `format + refuseIoU` with every strict rule (docs/strict.md). */
export const strictVariant: RewardVariant = {
  id: 'strict',
  name: 'RA-RFT strict',
  source: `${RA_RFT_SOURCE}, hardened by this library (docs/strict.md)`,
  formula: 'strict format + strict refuseIoU (span and gold span clamped to [0, D], reward clamped to [0, 1])',
  parser: 'the single <answer> after </think>; spans in to/-/~/until, s suffix, [a, b], MM:SS, digits of any script; exactly one span',
  format: 'ra-rft',
  scores: ['format', 'span', 'refusal'],
  weaknesses: weaknessesOf('strict'),
  score: (completion, target) => formatReward(completion, { profile: 'strict' }) + refuseIoU(completion, target, { profile: 'strict' }),
};

/** Time-R1's rewards: DeepSeek-R1 format + `iou_v2` (distance-weighted IoU), 0 to 2. */
export const timeR1Variant: RewardVariant = {
  id: 'time-r1',
  name: 'Time-R1 iou_v2',
  source: 'Time-R1, "Towards Comprehensive Temporal Reasoning" for TVG (xiaomi-research/time-r1, main.py, commit 7f2b594)',
  formula: 'r1 format + IoU·(1−|Δs|/D)·(1−|Δe|/D)',
  parser: 'last <answer>; last (\\d+\\.?\\d*) (to|and) (\\d+\\.?\\d*), single spaces',
  format: 'r1',
  scores: ['format', 'span'],
  weaknesses: weaknessesOf('time-r1'),
  score: (completion, target) => formatReward(completion, { profile: 'r1' }) + timeR1IoU(completion, target),
};

/** TimeZero / VideoChat-R1: DeepSeek-R1 format + plain IoU with the Time-R1 parser, 0 to 2. */
export const plainIoUVariant: RewardVariant = {
  id: 'plain-iou',
  name: 'Plain IoU (TimeZero / VideoChat-R1)',
  source: 'TimeZero (www-Ye/Time-R1, src/open_r1/grpo_video.py, commit d1a0d54), VideoChat-R1 (OpenGVLab/VideoChat-R1)',
  formula: 'r1 format + IoU',
  parser: 'last <answer>; last (\\d+\\.?\\d*) (to|and) (\\d+\\.?\\d*)',
  format: 'r1',
  scores: ['format', 'span'],
  weaknesses: weaknessesOf('plain-iou'),
  score: (completion, target) => formatReward(completion, { profile: 'r1' }) + plainIoU(completion, target),
};

/** TVG-R1 (EasyR1 `tvgonly`): `0.1·format + 0.9·IoU` of the JSON pair in `<time>`, 0 to 1. */
export const tvgR1Variant: RewardVariant = {
  id: 'tvg-r1',
  name: 'TVG-R1',
  source: 'TVG-R1 (zjuruizhechen/TVG-R1, EasyR1/verl/utils/reward_score/tvgonly.py, commit 793b3dc)',
  formula: '0.1·format + 0.9·IoU',
  parser: 'first <time>…</time> as a JSON pair [s, e]',
  format: 'tvg-r1',
  scores: ['format', 'span'],
  weaknesses: weaknessesOf('tvg-r1'),
  score: (completion, target) => tvgR1Reward(completion, target),
};

/** TimeLens: its GRPO reward `tiou`, the plain IoU of the first span its lenient parser finds, no format reward, 0 to 1. */
export const timeLensVariant: RewardVariant = {
  id: 'timelens',
  name: 'TimeLens tIoU',
  source: 'TimeLens (TencentARC/TimeLens, training/train/reward_funcs.py `tiou_reward`, commit 5d90c06)',
  formula: 'IoU (no format part); a first span with start >= end scores 0',
  parser: '<think>…</think><answer>…</answer> at the start, else the whole text; `to` → `-`; HH:MM:SS pairs, else a - b, else bare numbers; first pair',
  format: 'plain',
  scores: ['span'],
  weaknesses: weaknessesOf('timelens'),
  score: (completion, target) => timeLensIoU(completion, target),
};

/** MUSEG: its `format` (timestamps cited in `<think>`) + `segment_matching` (global F1 + local GIoU), 0 to 3. */
export const musegVariant: RewardVariant = {
  id: 'museg',
  name: 'MUSEG',
  source: 'MUSEG (THUNLP-MT/MUSEG, src/train.py `reward_format` + `reward_segment_matching`, commit 889565e)',
  formula: 'format (0 / 0.2 / 0.6 / 1) + global matching F1 + local matching GIoU',
  parser: 'the single <answer>; whitespace-separated `start-end` items read by float()',
  format: 'museg',
  scores: ['format', 'span'],
  weaknesses: weaknessesOf('museg'),
  score: (completion, target) => musegReward(completion, target),
};

/** Temporal-R1 / RLT: `0.9·IoU + 0.1·format` of a JSON answer, the IoU on duration-normalized spans, 0 to 1. */
export const temporalR1Variant: RewardVariant = {
  id: 'temporal-r1',
  name: 'Temporal-R1',
  source: 'Temporal-R1 (appletea233/Temporal-R1, verl/utils/reward_score/tvg.py `tvg_compute_score`, commit 95045b3)',
  formula: '0.9·IoU(s/D, e/D) + 0.1·format',
  parser: 'first <answer>, json.loads, start_time / end_time through float()',
  format: 'temporal-r1',
  scores: ['format', 'span'],
  weaknesses: weaknessesOf('temporal-r1'),
  score: (completion, target) => temporalR1Reward(completion, target),
};

/** TempSamp-R1: shaped IoU (plateau above 0.8, exponential penalty below) + 0.1·format, about 0.087 to 0.90. */
export const tempSampVariant: RewardVariant = {
  id: 'tempsamp-r1',
  name: 'TempSamp-R1 shaped IoU',
  source: 'TempSamp-R1 (ZhangZikun6666/TempSamp-R1, scripts/timelens/timelens_reward.py `compute_score` with `transform_rewards`, commit 55a9228)',
  formula: 'shaped(IoU) + 0.1·format; shaped = 0.8 + 0.01·ln(IoU + 0.2) above 0.8, else 0.8 − (e^(0.8−IoU) − 1)/(e − 1)',
  parser: 'first <answer> or the whole text; last `a to|and b`, else last `a - b`, else the first two numbers',
  format: 'r1',
  scores: ['format', 'span'],
  weaknesses: weaknessesOf('tempsamp-r1'),
  score: (completion, target) => tempSampReward(completion, target),
};

/** The built-in rule-based variants, in report order. */
export const BUILTIN_VARIANTS: readonly RewardVariant[] = [raRftVariant, strictVariant, timeR1Variant, plainIoUVariant, tvgR1Variant, timeLensVariant, musegVariant, temporalR1Variant, tempSampVariant];

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
      ...(base.weaknesses ?? []),
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
 * A registry of the built-in variants (ra-rft, strict, time-r1, plain-iou, tvg-r1, timelens, museg,
 * temporal-r1, tempsamp-r1), plus the
 * two embedding variants when an embedder is given.
 *
 * @example
 * defaultVariantRegistry().ids(); // => ['ra-rft', 'strict', 'time-r1', 'plain-iou', 'tvg-r1', 'timelens', 'museg', 'temporal-r1', 'tempsamp-r1']
 */
export function defaultVariantRegistry(options?: DefaultVariantOptions): VariantRegistry {
  const registry = new VariantRegistry(BUILTIN_VARIANTS);
  if (options?.embedder !== undefined) registry.register(embeddingVariant('ra-rft', options.embedder)).register(embeddingVariant('strict', options.embedder));
  return registry;
}
