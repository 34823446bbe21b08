// The built-in variants, in report order: the benchmark, the corpus, the playground, the CLI help, the docs
// tables and the tests all map over this list. Adding a built-in variant: its file in this folder, its
// test beside it, and one line here.
import { musegVariant } from './museg.js';
import { openO3VideoVariant } from './open-o3-video.js';
import { plainIoUVariant } from './plain-iou.js';
import { raRftVariant } from './ra-rft.js';
import { strictVariant } from './strict.js';
import { taroVariant } from './taro.js';
import { tempSampVariant } from './tempsamp-r1.js';
import { temporalR1Variant } from './temporal-r1.js';
import { timeR1Variant } from './time-r1.js';
import { timeLensVariant } from './timelens.js';
import { timeSearchVariant } from './timesearch-r.js';
import type { BuiltinVariant, OutputStyle } from './types.js';
import { tvgR1Variant } from './tvg-r1.js';
import { videoR1TGrpoVariant } from './video-r1-t-grpo.js';

/**
 * Every built-in variant, in report order. Each has `score(completion, target, extras?)`; group variants
 * also `scoreGroup(completions, target, extras?)`.
 *
 * @example
 * VARIANTS.map((variant) => variant.id); // => ['ra-rft', 'strict', 'time-r1', 'plain-iou', 'tvg-r1', 'timelens', 'museg', 'temporal-r1', 'tempsamp-r1', 'taro', 'open-o3-video', 'timesearch-r', 'video-r1-t-grpo']
 */
export const VARIANTS: readonly BuiltinVariant[] = [
  raRftVariant,
  strictVariant,
  timeR1Variant,
  plainIoUVariant,
  tvgR1Variant,
  timeLensVariant,
  musegVariant,
  temporalR1Variant,
  tempSampVariant,
  taroVariant,
  openO3VideoVariant,
  timeSearchVariant,
  videoR1TGrpoVariant,
];

/**
 * The built-in variants by id.
 *
 * @example
 * VARIANTS_BY_ID.get('taro')?.extras.map((extra) => extra.name); // => ['diffLogProb', 'diffLogProbThresh', 'split']
 */
export const VARIANTS_BY_ID: ReadonlyMap<string, BuiltinVariant> = new Map(VARIANTS.map((variant) => [variant.id, variant]));

/**
 * The output styles of the built-in variants, each once, in first-use order.
 *
 * @example
 * OUTPUT_STYLES.map((style) => style.id); // => ['ra-rft', 'r1', 'tvg-r1', 'plain', 'museg', 'temporal-r1', 'taro', 'open-o3-video', 'timesearch-r']
 */
export const OUTPUT_STYLES: readonly OutputStyle[] = [...new Map(VARIANTS.map((variant) => [variant.output.id, variant.output])).values()];
