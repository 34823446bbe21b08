// ra-rft-rewards: the pure, light root entry. No transformers.js, tfjs or node:http here: heavy parts are
// subpath exports (ra-rft-rewards/embeddings, /server, /trainer, /cli).
export type { Embedder, FormatProfile, RaRftTarget, RewardProfile, Span } from './types.js';
export { OptionalDependencyError, OptionsError, RaRftError, TargetError, isOptionalDependencyError, isOptionsError, isRaRftError, isTargetError } from './errors.js';

export { type FormatRewardOptions, formatReward } from './format/format-reward.js';
export { DEFAULT_END_TOKENS, type StripEndTokensOptions, stripEndTokens } from './format/strip-end-tokens.js';

export { temporalIoU } from './grounding/temporal-iou.js';
export { type RefuseIoUOptions, distanceWeightedIoU, refuseIoU } from './grounding/refuse-iou.js';
export { parseRaRftSpan } from './internal/parsers/parse-ra-rft-span.js';
export { parseTimeR1Span } from './internal/parsers/parse-time-r1-span.js';
export { type PlainIoUOptions, plainIoU, timeR1Span } from './grounding/plain-iou.js';
export { timeR1IoU } from './grounding/time-r1-iou.js';
export { type TvgR1RewardOptions, parseTvgR1Span, tvgR1IoU, tvgR1Reward } from './grounding/tvg-r1-reward.js';
export { parseTimeLensSpans, parseTimeLensTrainingSpans } from './internal/parsers/parse-time-lens-spans.js';
export { timeLensEvalIoU, timeLensIoU } from './grounding/time-lens-iou.js';

export { type ExplanationSimilarityOptions, explanationSimilarity } from './explain/explanation-similarity.js';
export { type QueryCorrectionOptions, queryCorrection } from './correction/query-correction.js';
export { type CorrectionMetric, levenshteinSimilarity } from './correction/plan.js';

export { type GroupRelativeAdvantageOptions, groupRelativeAdvantage } from './advantage/group-relative-advantage.js';

export {
  type RaRftPart,
  type RaRftRewardOptions,
  type RaRftRewardResult,
  raRftReward,
  raRftRewardBatch,
} from './profiles/ra-rft-reward.js';
export { STRICT_MIN_REFUSAL_WORDS, STRICT_RULES, type StrictRuleId, isStrictNil, parseStrictSpans, strictRules } from './rules/strict.js';
export { raRftRules } from './rules/ra-rft.js';
export type { ProfileRules } from './rules/types.js';
export { RA_RFT_PARTS } from './internal/reward-parts.js';

export { type HiVtgTargets, type HiVtgTargetsOptions, formatIssues, hiVtgTargets } from './data/hi-vtg-targets.js';
export { type HiVtgEntry, type HiVtgItem, hiVtgEntrySchema, hiVtgItemSchema } from './data/hi-vtg-schema.js';

export { type TrigramHashEmbedderOptions, trigramHashEmbedder, trigramHashVector } from './embeddings/trigram-hash-embedder.js';
export { raRftRewardTargetSchema, raRftTargetSchema } from './data/target-schema.js';
export { type AnswerKind, type ClassifyAnswerOptions, classifyAnswer } from './grounding/classify-answer.js';
export { type MusegFormatOptions, musegFormatReward, musegReward, musegSegmentMatching } from './grounding/museg-reward.js';
export { parseMusegSegments } from './internal/parsers/parse-museg-segments.js';
export { type TemporalR1RewardOptions, isTemporalR1Format, parseTemporalR1Span, temporalR1IoU, temporalR1Reward } from './grounding/temporal-r1-reward.js';
export { type TempSampOptions, parseTempSampSpan, tempSampReward, tempSampShapedIoU } from './grounding/tempsamp-reward.js';

export { type TaroRewardOptions, type TaroRewardResult, taroReward } from './grounding/taro-reward.js';
export { parseTaroSpan } from './internal/parsers/parse-taro-span.js';
export { type OpenO3VideoRewardOptions, type OpenO3VideoRewardResult, openO3VideoReward } from './grounding/open-o3-video-reward.js';
export { parseOpenO3VideoSpan } from './internal/parsers/parse-open-o3-video-span.js';
export { timeSearchIoU } from './grounding/time-search-iou.js';
export { type TimeSearchRewardOptions, type TimeSearchRewardResult, timeSearchReward } from './grounding/time-search-reward.js';
export { parseTimeSearchSpan } from './internal/parsers/parse-time-search-span.js';
export { type VideoR1TGrpoOptions, videoR1TGrpoRewards } from './grounding/video-r1-t-grpo-rewards.js';
export { readTimestamps } from './internal/parsers/read-timestamps.js';
export { type MultiRewardAdvantageOptions, multiRewardAdvantage } from './advantage/multi-reward-advantage.js';

export {
  type BaseLayout,
  type BuiltinVariant,
  type OutputStyle,
  type RewardPart,
  type UpstreamRef,
  type VariantDescriptor,
  type VariantExtra,
  type VariantExtras,
  type VariantParts,
  type VariantWeakness,
  type WeaknessClaim,
  OUTPUT_STYLES,
  VARIANTS,
  VARIANTS_BY_ID,
} from './variants/index.js';
