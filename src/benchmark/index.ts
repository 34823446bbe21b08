// ra-rft-rewards/benchmark: compare reward variants on HI-VTG data and the reward-hacking corpus.
// Node only (reads files); the HTML report loads the optional packages vega and vega-lite on demand.
export {
  type BenchResult,
  type BenchVariantsOptions,
  type BenchVariantsSettings,
  type HackResult,
  type VariantResult,
  type ZeroVarianceResult,
  benchVariants,
} from './bench-variants.js';
export {
  type DefaultVariantOptions,
  type RewardVariant,
  BUILTIN_VARIANTS,
  VariantRegistry,
  assertVariant,
  defaultVariantRegistry,
  embeddingVariant,
  plainIoUVariant,
  raRftVariant,
  strictVariant,
  timeLensVariant,
  timeR1Variant,
  tvgR1Variant,
} from './variants.js';
export { type BenchCompletion, type BenchTarget, type CompletionKind, type QualityLabel, type RewardPart, REWARD_PARTS, textFor } from './types.js';
export {
  type CompletionParts,
  type FormatDefect,
  type OutputFormat,
  type SpanNotation,
  OUTPUT_FORMATS,
  assemble,
  assembleWithDefect,
  defectsOf,
  writeSeconds,
  spanAnswer,
  writeSpan,
} from './formats.js';
export { type BenchGroup, type GroupOptions, type SynthesisOptions, DEFAULT_IOU_LEVELS, nearMissSpan, synthesizeCompletions, synthesizeGroups } from './synthesize.js';
export { type HackContext, type RewardHack, REWARD_HACKS, disjointSpan, genuineCompletion, randomSpan, rewardHack } from './hacks.js';
export { type HiVtgFileSummary, type LoadHiVtgOptions, defaultHiVtgDir, hiVtgDirCandidates, hiVtgFiles, loadHiVtgTargets } from './hi-vtg.js';
export { type ModelCompletion, fromModelCompletions, parseModelCompletion, readModelCompletions } from './model-completions.js';
export { type CorpusRewards, type HackCorpusEntry, type ProfileRewards, CORPUS_TARGETS, buildHackCorpus, corpusRewards, hackCorpusJsonl } from './corpus.js';
export { type RocPoint, rocAuc, rocCurve } from './roc-auc.js';
export { spearman } from './spearman.js';
export { averageRanks } from './ranks.js';
export { type Distribution, hasZeroVariance, summarize } from './summarize.js';
export { type Rng, hashSeed, seededRng } from '../internal/rng.js';
export { renderMarkdown } from './report/markdown.js';
export { ReportDependencyError, renderHtml, renderSvg } from './report/html.js';
export { type ReportChart, type VegaLiteSpec, reportCharts } from './report/charts.js';
export { type Table, reportTables } from './report/tables.js';
export { type WriteBenchReportOptions, writeBenchReport } from './report/write-report.js';
export { benchVariantsSettingsSchema } from './options-schema.js';
