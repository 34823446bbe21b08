// The variants layer: one descriptor per reward variant (pure; above the rewards it composes, below the
// benchmark, the playground and the CLI).
export type { BaseLayout, BuiltinVariant, OutputStyle, RewardPart, UpstreamRef, VariantDescriptor, VariantExtra, VariantExtras, VariantParts, VariantWeakness, WeaknessClaim } from './types.js';
export { OUTPUT_STYLES, VARIANTS, VARIANTS_BY_ID } from './registry.js';
export { type VariantSpec, defineVariant } from './define-variant.js';
export { neverRefuses } from './never-refuses.js';
export { rewriteAnswerSpans } from './rewrite-answer-spans.js';
export { MUSEG_STYLE, OPEN_O3_VIDEO_STYLE, PLAIN_STYLE, R1_STYLE, RA_RFT_STYLE, TARO_STYLE, TEMPORAL_R1_STYLE, TIME_SEARCH_STYLE, TVG_R1_STYLE } from './styles.js';
export { musegVariant } from './museg.js';
export { openO3VideoVariant } from './open-o3-video.js';
export { plainIoUVariant } from './plain-iou.js';
export { raRftVariant } from './ra-rft.js';
export { strictVariant } from './strict.js';
export { taroVariant } from './taro.js';
export { tempSampVariant } from './tempsamp-r1.js';
export { temporalR1Variant } from './temporal-r1.js';
export { timeR1Variant } from './time-r1.js';
export { timeLensVariant } from './timelens.js';
export { timeSearchVariant } from './timesearch-r.js';
export { tvgR1Variant } from './tvg-r1.js';
export { videoR1TGrpoVariant } from './video-r1-t-grpo.js';
