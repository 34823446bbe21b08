import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { z } from 'zod';
import { OptionsError } from '../errors.js';
import { checkOptions, optionFields } from '../internal/option-schema.js';
import { benchVariantsSettingsSchema } from './options-schema.js';
import type { RaRftTarget } from '../types.js';
import { REWARD_HACKS } from './hacks.js';
import { type HiVtgFileSummary, loadHiVtgTargets } from './hi-vtg.js';
import { type ModelCompletion, fromModelCompletions } from './model-completions.js';
import { rocAuc, rocCurve } from './roc-auc.js';
import { spearman } from './spearman.js';
import { type Distribution, hasZeroVariance, summarize } from './summarize.js';
import { multiRewardAdvantage } from '../advantage/multi-reward-advantage.js';
import { synthesizeCompletions, synthesizeGroups } from './synthesize.js';
import { type BenchCompletion, type BenchTarget, REWARD_PARTS, textFor } from './types.js';
import { BUILTIN_VARIANTS, type RewardVariant, VariantRegistry, assertVariant } from './variants.js';

/** Options of {@link benchVariants}. */
/** The scalar settings of {@link benchVariants} (`seed`, `itemsPerFile`, `groupSize`, `skills`, `iouLevels`, `minTimeSeconds`): defaults and ranges in {@link benchVariantsSettingsSchema}. */
export type BenchVariantsSettings = z.input<typeof benchVariantsSettingsSchema>;

/** Options of {@link benchVariants}: one input (`data`, `targets` or `modelCompletions`), the variants, and the {@link BenchVariantsSettings}. */
export interface BenchVariantsOptions extends BenchVariantsSettings {
  /** HI-VTG files or folders to synthesize completions for (see {@link loadHiVtgTargets}). */
  data?: readonly string[] | undefined;
  /** Or the targets themselves (instead of `data`). */
  targets?: readonly BenchTarget[] | undefined;
  /** Or a model's completions (instead of synthesized ones): each variant scores these texts as they are. */
  modelCompletions?: readonly ModelCompletion[] | undefined;
  /** Variants to compare (default: the built-in rule-based ones). */
  variants?: readonly RewardVariant[] | VariantRegistry | undefined;
  /** Progress lines (one per stage and variant). */
  onProgress?: ((message: string) => void) | undefined;
}

/** How one hack fared against one variant. */
export interface HackResult {
  hack: string;
  targetKind: 'relevant' | 'irrelevant';
  /** Whether it attacks a part the variant scores (only those count in `bestHack`). */
  counted: boolean;
  n: number;
  /** Highest and mean reward the hack earned. */
  max: number;
  mean: number;
  /** Highest and mean of (hack reward − the genuine answer's reward on the same target). */
  maxGain: number | null;
  meanGain: number | null;
}

/** Zero-variance groups at one policy skill (`null`: groups from model completions). */
export interface ZeroVarianceResult {
  skill: number | null;
  groups: number;
  /** Share of groups whose G rewards are all equal (no GRPO learning signal), all / per target kind. */
  all: number | null;
  relevant: number | null;
  irrelevant: number | null;
}

/** Groups without learning signal under one way of turning several rewards into advantages. */
export interface AdvantageSignalResult {
  /** TRL `multi_objective_aggregation`. */
  aggregation: 'sum_then_normalize' | 'normalize_then_sum';
  /** What the final advantage is scaled over. */
  scale: 'group' | 'batch' | 'none';
  /** Groups of size G counted. */
  groups: number;
  /** Share of them whose advantages are all equal (no relative learning signal); `null` without groups. */
  noSignal: number | null;
}

/** Everything measured for one variant. NaN figures are reported as `null`. */
export interface VariantResult {
  id: string;
  name: string;
  source: string;
  formula: string;
  parser: string;
  format: string;
  scores: readonly string[];
  weaknesses: readonly string[];
  /** Completions scored (those that exist in the variant's format). */
  completions: number;
  completionsPerSecond: number;
  /** Reward distribution per completion bucket (kind, near-miss level, target kind). */
  distribution: Record<string, Distribution>;
  /** AUC of good vs bad completions (hacks excluded), overall and per target kind, and genuine vs counted hacks. */
  auc: { all: number | null; relevant: number | null; irrelevant: number | null; hacks: number | null };
  /** ROC curve of `auc.all`, at most ~100 points. */
  roc: { fpr: number; tpr: number }[];
  /** Spearman correlation of the reward with the true IoU over span answers on relevant targets. */
  spearman: number | null;
  /** Mean reward per true-IoU decile over the same answers. */
  iouCurve: { iou: number; mean: number; n: number }[];
  zeroVariance: ZeroVarianceResult[];
  /**
   * Share of groups with no learning signal under each aggregation and scale of {@link multiRewardAdvantage},
   * the variant's reward split into two rewards: its format part and the rest (`[]` for a variant without
   * `parts`, or without groups).
   */
  advantageSignal: AdvantageSignalResult[];
  /** Mean reward of the genuine answers (gold span / genuine refusal). */
  genuineMean: { relevant: number | null; irrelevant: number | null };
  hacks: HackResult[];
  /** The counted hack with the highest reward, and the one with the highest gain over the genuine answer. */
  bestHack: { hack: string; reward: number } | null;
  bestHackGain: { hack: string; gain: number } | null;
}

/** The result of {@link benchVariants}: JSON-serializable. */
export interface BenchResult {
  mode: 'synthetic' | 'model';
  config: { seed: number; itemsPerFile: number; groupSize: number; skills: number[]; iouLevels: number[]; minTimeSeconds: number; hacks: string[] };
  data: { files: HiVtgFileSummary[]; targets: { relevant: number; irrelevant: number } };
  completions: { total: number; groupCompletions: number; byBucket: Record<string, number> };
  variants: VariantResult[];
  machine: { node: string; cpu: string; cores: number };
  elapsedSeconds: number;
}

interface Group {
  skill: number | null;
  relevant: boolean;
  members: number[];
}

const SPAN_KINDS = new Set(['correct', 'near-miss', 'wrong-span']);

function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : finite(values.reduce((a, b) => a + b, 0) / values.length);
}

function downsample<T>(points: readonly T[], limit: number): T[] {
  if (points.length <= limit) return [...points];
  const step = (points.length - 1) / (limit - 1);
  return Array.from({ length: limit }, (_, i) => points[Math.round(i * step)] as T);
}

async function scoreTexts(variant: RewardVariant, texts: readonly string[], targets: readonly RaRftTarget[]): Promise<number[]> {
  if (variant.scoreBatch !== undefined) {
    const rewards: number[] = [];
    for (let at = 0; at < texts.length; at += 512) rewards.push(...(await variant.scoreBatch(texts.slice(at, at + 512), targets.slice(at, at + 512))));
    if (rewards.length !== texts.length) throw new OptionsError('benchVariants', `variant '${variant.id}'.scoreBatch`, `returned ${rewards.length} rewards for ${texts.length} completions`);
    return rewards;
  }
  const score = variant.score as (completion: string, target: RaRftTarget) => number;
  const rewards = new Array<number>(texts.length);
  let i = 0;
  try {
    for (; i < texts.length; i++) rewards[i] = score(texts[i] as string, targets[i] as RaRftTarget);
  } catch (error) {
    throw new Error(`benchVariants: variant '${variant.id}' threw on ${JSON.stringify((texts[i] as string).slice(0, 120))}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return rewards;
}

function resolveVariants(option: BenchVariantsOptions['variants']): RewardVariant[] {
  const variants = option === undefined ? [...BUILTIN_VARIANTS] : option instanceof VariantRegistry ? option.list() : [...option];
  if (variants.length === 0) throw new OptionsError('benchVariants', 'options.variants', 'must name at least one variant');
  const seen = new Set<string>();
  for (const variant of variants) {
    assertVariant('benchVariants', variant);
    if (seen.has(variant.id)) throw new OptionsError('benchVariants', 'options.variants', `lists '${variant.id}' twice`);
    seen.add(variant.id);
  }
  return variants;
}

const SETTINGS_FIELDS = optionFields(benchVariantsSettingsSchema);

/**
 * Compares reward variants on HI-VTG targets: synthesizes completions of known quality in each variant's
 * own output format (or takes a model's completions), scores them with every variant, and reports per
 * variant: completions/s, the reward distribution per completion kind, the AUC of good vs bad completions,
 * the Spearman correlation with the true IoU, the share of zero-variance GRPO groups at group size G, and
 * the best reward (and gain over the genuine answer) of each reward hack. Deterministic for a seed, apart
 * from the timing.
 *
 * @example
 * const result = await benchVariants({ data: ['../shared/data/hi-vtg'], itemsPerFile: 50 });
 * result.variants.map((v) => [v.id, v.auc.all]);
 */
export async function benchVariants(options: BenchVariantsOptions): Promise<BenchResult> {
  const started = performance.now();
  const progress = options.onProgress ?? (() => {});
  if (options === null || typeof options !== 'object') throw new OptionsError('benchVariants', 'options', 'must be an object');
  const { seed: givenSeed, itemsPerFile: givenItems, groupSize: givenGroupSize, skills: givenSkills, iouLevels: givenLevels, minTimeSeconds: givenMinTime } = options;
  const checked = checkOptions(benchVariantsSettingsSchema, { seed: givenSeed, itemsPerFile: givenItems, groupSize: givenGroupSize, skills: givenSkills, iouLevels: givenLevels, minTimeSeconds: givenMinTime }, SETTINGS_FIELDS);
  if (!checked.ok) throw new OptionsError('benchVariants', `options.${checked.path.join('.')}`, checked.problem);
  const { seed, itemsPerFile, groupSize, minTimeSeconds } = checked.value;
  const skills = [...checked.value.skills];
  const iouLevels = [...checked.value.iouLevels];
  const variants = resolveVariants(options.variants);
  const sources = [options.data !== undefined, options.targets !== undefined, options.modelCompletions !== undefined].filter(Boolean).length;
  if (sources !== 1) throw new OptionsError('benchVariants', 'options', 'needs exactly one of data, targets or modelCompletions');

  let targets: BenchTarget[];
  let files: HiVtgFileSummary[] = [];
  let completions: BenchCompletion[];
  const groups: Group[] = [];
  let groupCompletions = 0;
  const mode = options.modelCompletions === undefined ? 'synthetic' : 'model';
  if (options.modelCompletions !== undefined) {
    const model = fromModelCompletions(options.modelCompletions);
    targets = model.targets;
    completions = model.completions;
    for (const members of model.groups) {
      const first = completions[members[0] as number] as BenchCompletion;
      groups.push({ skill: null, relevant: (targets[first.targetIndex] as BenchTarget).target.relevant, members });
    }
    progress(`read ${completions.length} model completions for ${targets.length} targets, ${groups.length} groups`);
  } else {
    if (options.data !== undefined) {
      const loaded = loadHiVtgTargets(options.data, { itemsPerFile, seed });
      targets = loaded.targets;
      files = loaded.files;
      for (const file of files) {
        const quirks = file.spanPastEnd === 0 ? '' : `; ${file.spanPastEnd} gold spans end after the video (${file.startPastEnd} start after it)`;
        progress(`${file.file}: ${file.sampled} of ${file.valid} valid items sampled (${file.items - file.valid} skipped${quirks})`);
      }
    } else targets = [...(options.targets as readonly BenchTarget[])];
    if (targets.length === 0) throw new OptionsError('benchVariants', 'options.data', 'yielded no target');
    completions = synthesizeCompletions(targets, { seed, iouLevels });
    const synthesizedGroups = synthesizeGroups(targets, { seed, groupSize, skills });
    for (const group of synthesizedGroups) {
      const members = group.completions.map((_, k) => completions.length + groupCompletions + k);
      groupCompletions += group.completions.length;
      groups.push({ skill: group.skill, relevant: (targets[group.targetIndex] as BenchTarget).target.relevant, members });
    }
    completions = [...completions, ...synthesizedGroups.flatMap((group) => group.completions)];
    progress(`synthesized ${completions.length - groupCompletions} completions + ${groupCompletions} in ${synthesizedGroups.length} groups of ${groupSize} for ${targets.length} targets (seed ${seed})`);
  }
  const distributionCount = completions.length - groupCompletions;

  const results: VariantResult[] = [];
  for (const [position, variant] of variants.entries()) {
    const texts: string[] = [];
    const scoredTargets: RaRftTarget[] = [];
    const slot = new Array<number>(completions.length).fill(-1);
    completions.forEach((completion, i) => {
      const text = textFor(completion, variant.format, variant.output);
      if (text === null) return;
      slot[i] = texts.length;
      texts.push(text);
      scoredTargets.push((targets[completion.targetIndex] as BenchTarget).target);
    });
    progress(`[${position + 1}/${variants.length}] ${variant.id}: scoring ${texts.length} completions`);
    const rewards = await scoreTexts(variant, texts, scoredTargets);
    for (const [i, reward] of rewards.entries()) {
      if (typeof reward !== 'number') throw new OptionsError('benchVariants', `variant '${variant.id}'`, `returned ${typeof reward} for completion ${i}, not a number`);
    }
    let passes = 0;
    const timing = performance.now();
    do {
      await scoreTexts(variant, texts, scoredTargets);
      passes++;
    } while ((performance.now() - timing) / 1000 < minTimeSeconds && passes < 10_000);
    const completionsPerSecond = (passes * texts.length) / Math.max(1e-9, (performance.now() - timing) / 1000);
    const rewardOf = (i: number): number | null => (slot[i] as number) < 0 ? null : (rewards[slot[i] as number] as number);
    const result = measure(variant, completions.slice(0, distributionCount), targets, groups, rewardOf, texts.length, completionsPerSecond);
    result.advantageSignal = advantageSignal(variant, completions, targets, groups, groupSize);
    progress(
      `    ${Math.round(completionsPerSecond).toLocaleString('en-US')} completions/s, AUC ${result.auc.all?.toFixed(3) ?? 'n/a'}, Spearman ${result.spearman?.toFixed(3) ?? 'n/a'}` +
        (result.bestHack === null ? '' : `, best hack ${result.bestHack.hack} ${result.bestHack.reward.toFixed(3)}`),
    );
    results.push(result);
  }

  const byBucket: Record<string, number> = {};
  for (const completion of completions.slice(0, distributionCount)) byBucket[completion.bucket] = (byBucket[completion.bucket] ?? 0) + 1;
  const relevantTargets = targets.filter((bench) => bench.target.relevant).length;
  return {
    mode,
    config: { seed, itemsPerFile, groupSize, skills: mode === 'model' ? [] : skills, iouLevels: mode === 'model' ? [] : iouLevels, minTimeSeconds, hacks: REWARD_HACKS.filter((hack) => hack.benchmark).map((hack) => hack.id) },
    data: { files, targets: { relevant: relevantTargets, irrelevant: targets.length - relevantTargets } },
    completions: { total: distributionCount, groupCompletions, byBucket },
    variants: results,
    machine: { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length },
    elapsedSeconds: (performance.now() - started) / 1000,
  };
}

const AGGREGATIONS = ['sum_then_normalize', 'normalize_then_sum'] as const;
const SCALES = ['group', 'batch', 'none'] as const;

/** The share of groups of size G whose advantages are all equal, per aggregation and scale. */
function advantageSignal(variant: RewardVariant, completions: readonly BenchCompletion[], targets: readonly BenchTarget[], groups: readonly Group[], groupSize: number): AdvantageSignalResult[] {
  const parts = variant.parts;
  if (parts === undefined || groupSize < 2) return [];
  const rows: (number | null)[][] = [];
  for (const group of groups) {
    const members = group.members.map((i) => {
      const completion = completions[i] as BenchCompletion;
      const text = textFor(completion, variant.format, variant.output);
      if (text === null) return null;
      const { format, total } = parts(text, (targets[completion.targetIndex] as BenchTarget).target);
      return [format, format === null ? total : total - format];
    });
    if (members.length !== groupSize || members.some((member) => member === null)) continue;
    rows.push(...(members as (number | null)[][]));
  }
  const counted = rows.length / groupSize;
  return AGGREGATIONS.flatMap((aggregation) =>
    SCALES.map((scale) => {
      if (counted === 0) return { aggregation, scale, groups: 0, noSignal: null };
      const advantages = multiRewardAdvantage(rows, { groupSize, aggregation, scale });
      let flat = 0;
      for (let start = 0; start < advantages.length; start += groupSize) {
        const slice = advantages.subarray(start, start + groupSize);
        if (Math.max(...slice) - Math.min(...slice) <= 1e-12) flat++;
      }
      return { aggregation, scale, groups: counted, noSignal: flat / counted };
    }),
  );
}

function measure(
  variant: RewardVariant,
  completions: readonly BenchCompletion[],
  targets: readonly BenchTarget[],
  groups: readonly Group[],
  rewardOf: (i: number) => number | null,
  scored: number,
  completionsPerSecond: number,
): VariantResult {
  const parts = variant.scores ?? REWARD_PARTS;
  const buckets = new Map<string, number[]>();
  const good: { all: number[]; relevant: number[]; irrelevant: number[] } = { all: [], relevant: [], irrelevant: [] };
  const bad: { all: number[]; relevant: number[]; irrelevant: number[] } = { all: [], relevant: [], irrelevant: [] };
  const countedHacks: number[] = [];
  const genuine = new Map<number, number>();
  const spanAnswers: { iou: number; reward: number }[] = [];
  completions.forEach((completion, i) => {
    const reward = rewardOf(i);
    if (reward === null) return;
    const relevant = (targets[completion.targetIndex] as BenchTarget).target.relevant;
    const list = buckets.get(completion.bucket) ?? [];
    list.push(reward);
    buckets.set(completion.bucket, list);
    if (completion.kind === 'correct' || completion.kind === 'correct-refusal') genuine.set(completion.targetIndex, reward);
    if (relevant && completion.iou !== null && (typeof completion.texts === 'string' || SPAN_KINDS.has(completion.kind))) {
      spanAnswers.push({ iou: completion.iou, reward });
    }
    if (completion.kind === 'hack') return;
    const side = relevant ? 'relevant' : 'irrelevant';
    if (completion.label === 'good') good.all.push(reward), good[side].push(reward);
    if (completion.label === 'bad') bad.all.push(reward), bad[side].push(reward);
  });

  const hackStats = new Map<string, { targetKind: 'relevant' | 'irrelevant'; counted: boolean; rewards: number[]; gains: number[] }>();
  completions.forEach((completion, i) => {
    const reward = rewardOf(i);
    if (completion.kind !== 'hack' || reward === null) return;
    const id = completion.hack ?? 'unnamed';
    const registered = REWARD_HACKS.find((hack) => hack.id === id);
    const counted = registered === undefined || registered.attacks.some((part) => parts.includes(part));
    const relevant = (targets[completion.targetIndex] as BenchTarget).target.relevant;
    const stats = hackStats.get(id) ?? { targetKind: relevant ? 'relevant' : 'irrelevant', counted, rewards: [], gains: [] };
    stats.rewards.push(reward);
    const reference = genuine.get(completion.targetIndex);
    if (reference !== undefined) stats.gains.push(reward - reference);
    hackStats.set(id, stats);
    if (counted) countedHacks.push(reward);
  });
  const hacks: HackResult[] = [...hackStats].map(([hack, stats]) => ({
    hack,
    targetKind: stats.targetKind,
    counted: stats.counted,
    n: stats.rewards.length,
    max: Math.max(...stats.rewards),
    mean: mean(stats.rewards) ?? NaN,
    maxGain: stats.gains.length === 0 ? null : Math.max(...stats.gains),
    meanGain: mean(stats.gains),
  }));
  let bestHack: VariantResult['bestHack'] = null;
  let bestHackGain: VariantResult['bestHackGain'] = null;
  for (const hack of hacks) {
    if (!hack.counted) continue;
    if (bestHack === null || hack.max > bestHack.reward) bestHack = { hack: hack.hack, reward: hack.max };
    if (hack.maxGain !== null && (bestHackGain === null || hack.maxGain > bestHackGain.gain)) bestHackGain = { hack: hack.hack, gain: hack.maxGain };
  }

  const zeroVariance: ZeroVarianceResult[] = [];
  for (const skill of [...new Set(groups.map((group) => group.skill))]) {
    const tally = { all: [0, 0], relevant: [0, 0], irrelevant: [0, 0] };
    for (const group of groups) {
      if (group.skill !== skill) continue;
      const rewards = group.members.map(rewardOf).filter((reward): reward is number => reward !== null);
      if (rewards.length < 2) continue;
      const zero = hasZeroVariance(rewards) ? 1 : 0;
      const side = group.relevant ? tally.relevant : tally.irrelevant;
      tally.all[0]! += zero;
      tally.all[1]!++;
      side[0]! += zero;
      side[1]!++;
    }
    const share = ([zero, total]: number[]): number | null => ((total as number) === 0 ? null : (zero as number) / (total as number));
    zeroVariance.push({ skill, groups: tally.all[1] as number, all: share(tally.all), relevant: share(tally.relevant), irrelevant: share(tally.irrelevant) });
  }

  const deciles = Array.from({ length: 10 }, () => [] as number[]);
  for (const { iou, reward } of spanAnswers) deciles[Math.min(9, Math.floor(iou * 10))]!.push(reward);
  const genuineRelevant: number[] = [];
  const genuineIrrelevant: number[] = [];
  for (const [index, reward] of genuine) ((targets[index] as BenchTarget).target.relevant ? genuineRelevant : genuineIrrelevant).push(reward);

  return {
    id: variant.id,
    name: variant.name,
    source: variant.source,
    formula: variant.formula,
    parser: variant.parser,
    format: variant.format,
    scores: [...parts],
    weaknesses: [...(variant.weaknesses ?? [])],
    completions: scored,
    completionsPerSecond,
    distribution: Object.fromEntries([...buckets].map(([bucket, values]) => [bucket, summarize(values)])),
    auc: {
      all: finite(rocAuc(good.all, bad.all)),
      relevant: finite(rocAuc(good.relevant, bad.relevant)),
      irrelevant: finite(rocAuc(good.irrelevant, bad.irrelevant)),
      hacks: finite(rocAuc(good.all, countedHacks)),
    },
    roc: downsample(rocCurve(good.all, bad.all), 100).map(({ fpr, tpr }) => ({ fpr, tpr })),
    spearman: finite(spearman(spanAnswers.map((a) => a.iou), spanAnswers.map((a) => a.reward))),
    iouCurve: deciles.flatMap((values, k) => (values.length === 0 ? [] : [{ iou: (k + 0.5) / 10, mean: mean(values) ?? NaN, n: values.length }])),
    zeroVariance,
    advantageSignal: [],
    genuineMean: { relevant: mean(genuineRelevant), irrelevant: mean(genuineIrrelevant) },
    hacks,
    bestHack,
    bestHackGain,
  };
}
