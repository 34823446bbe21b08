// The report's tables as data, rendered to Markdown (summary.md) and HTML (report.html) alike.
import type { BenchResult, VariantResult } from '../bench-variants.js';

/** A table: header cells and rows of cells (plain text). */
export interface Table {
  title: string;
  /** One paragraph shown under the title. */
  note?: string | undefined;
  headers: string[];
  rows: string[][];
}

/** `0.987`, or `n/a` for null / NaN. */
export function fixed(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(digits);
}

function share(value: number | null): string {
  return value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`;
}

function signed(value: number | null): string {
  return value === null ? 'n/a' : `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(3)}`;
}

/** Buckets in a stable reading order (the order they were first produced in). */
export function bucketOrder(result: BenchResult): string[] {
  return Object.keys(result.completions.byBucket);
}

/** The headline table: one row per variant. */
export function summaryTable(result: BenchResult): Table {
  const skills = result.variants[0]?.zeroVariance.map((entry) => (entry.skill === null ? 'data' : `p=${entry.skill}`)) ?? [];
  // Throughput is machine-dependent: the ratio to a baseline measured in the same run is what compares.
  const baseline = result.variants.find((variant) => variant.id === 'plain-iou') ?? result.variants[0];
  const speed = (rate: number): string => `${Math.round(rate).toLocaleString('en-US')} (×${(rate / (baseline?.completionsPerSecond ?? rate)).toFixed(2)})`;
  return {
    title: 'Summary',
    note:
      'AUC: probability that a genuine completion (gold span, genuine refusal) outscores a bad one (wrong span, wrong or missed refusal, format error), ties half. ' +
      'Hack AUC: the same against the hacks that attack a part the variant scores. Spearman: reward vs true IoU over span answers on relevant targets. ' +
      `Zero-variance: share of simulated GRPO groups of G = ${result.config.groupSize} whose rewards are all equal (${skills.join(' / ')}: share of genuine attempts). ` +
      'Best hack: highest reward any counted hack earned; gain: highest (hack − genuine answer on the same target). ' +
      `Completions/s depend on the machine; in parentheses, relative to ${baseline?.id ?? 'the first variant'} in the same run.`,
    headers: ['Variant', 'Format', 'Completions/s', 'AUC', 'AUC relevant', 'AUC irrelevant', 'Hack AUC', 'Spearman', `Zero-variance (${skills.join(' / ')})`, 'Best hack', 'Best hack gain'],
    rows: result.variants.map((variant) => [
      variant.id,
      variant.format,
      speed(variant.completionsPerSecond),
      fixed(variant.auc.all),
      fixed(variant.auc.relevant),
      fixed(variant.auc.irrelevant),
      fixed(variant.auc.hacks),
      fixed(variant.spearman),
      variant.zeroVariance.map((entry) => share(entry.all)).join(' / '),
      variant.bestHack === null ? 'none' : `${fixed(variant.bestHack.reward)} (${variant.bestHack.hack})`,
      variant.bestHackGain === null ? 'none' : `${signed(variant.bestHackGain.gain)} (${variant.bestHackGain.hack})`,
    ]),
  };
}

/** Mean reward (and min–max) per completion bucket and variant. */
export function distributionTable(result: BenchResult): Table {
  return {
    title: 'Reward per completion kind',
    note: 'Mean reward, with [min, max]; n = completions of the kind (rendered in each variant\'s own format; a dash where the kind has no form in that format).',
    headers: ['Kind', 'n', ...result.variants.map((variant) => variant.id)],
    rows: bucketOrder(result).map((bucket) => [
      bucket,
      String(result.completions.byBucket[bucket] ?? 0),
      ...result.variants.map((variant) => {
        const d = variant.distribution[bucket];
        return d === undefined || d.n === 0 ? '—' : `${fixed(d.mean)} [${fixed(d.min, 2)}, ${fixed(d.max, 2)}]`;
      }),
    ]),
  };
}

function hackIds(result: BenchResult): { hack: string; targetKind: string }[] {
  const seen = new Map<string, string>();
  for (const variant of result.variants) for (const hack of variant.hacks) if (!seen.has(hack.hack)) seen.set(hack.hack, hack.targetKind);
  return [...seen].map(([hack, targetKind]) => ({ hack, targetKind }));
}

function genuineMean(variant: VariantResult, targetKind: string): number | null {
  return targetKind === 'relevant' ? variant.genuineMean.relevant : variant.genuineMean.irrelevant;
}

/** Per hack and variant: best reward, gain over the genuine answer, mean reward. */
export function hackTable(result: BenchResult): Table {
  return {
    title: 'Reward hacks',
    note:
      'Per hack: best reward / best gain over the genuine answer on the same target / mean reward, and the genuine answer\'s mean for comparison. ' +
      'In parentheses: the hack attacks no part the variant scores (e.g. a correction hack against a variant without a correction reward), so it is not counted. A dash: the hack has no form in that format.',
    headers: ['Hack', 'Target', ...result.variants.map((variant) => variant.id)],
    rows: [
      ...hackIds(result).map(({ hack, targetKind }) => [
        hack,
        targetKind,
        ...result.variants.map((variant) => {
          const entry = variant.hacks.find((h) => h.hack === hack);
          if (entry === undefined) return '—';
          const cell = `${fixed(entry.max, 2)} / ${signed(entry.maxGain)} / ${fixed(entry.mean, 2)}`;
          return entry.counted ? cell : `(${cell})`;
        }),
      ]),
      ['genuine answer (mean)', 'relevant', ...result.variants.map((variant) => fixed(genuineMean(variant, 'relevant'), 2))],
      ['genuine answer (mean)', 'irrelevant', ...result.variants.map((variant) => fixed(genuineMean(variant, 'irrelevant'), 2))],
    ],
  };
}

/** Groups without learning signal under each multi-reward aggregation and scale (TRL's options). */
export function advantageSignalTable(result: BenchResult): Table {
  const combos = result.variants.find((variant) => variant.advantageSignal.length > 0)?.advantageSignal ?? [];
  return {
    title: `Groups without learning signal by advantage aggregation (G = ${result.config.groupSize})`,
    note: "Share of groups whose advantages are all equal under multiRewardAdvantage, each variant's reward split into its format part and the rest: TRL's sum_then_normalize and normalize_then_sum (GDPO), scaled over the group, the batch or not at all.",
    headers: ['variant', ...combos.map((combo) => `${combo.aggregation} / ${combo.scale}`)],
    rows: result.variants.map((variant) => [variant.id, ...combos.map((combo) => share(variant.advantageSignal.find((entry) => entry.aggregation === combo.aggregation && entry.scale === combo.scale)?.noSignal ?? null))]),
  };
}

/** Zero-variance shares per skill and target kind. */
export function zeroVarianceTable(result: BenchResult): Table {
  const skills = result.variants[0]?.zeroVariance ?? [];
  return {
    title: `Zero-variance groups (G = ${result.config.groupSize})`,
    note: 'Share of groups whose rewards are all equal, so that every GRPO advantage is 0: all groups / relevant targets / irrelevant targets.',
    headers: ['Variant', ...skills.map((entry) => (entry.skill === null ? `data (${entry.groups} groups)` : `p=${entry.skill} (${entry.groups} groups)`))],
    rows: result.variants.map((variant) => [variant.id, ...variant.zeroVariance.map((entry) => `${share(entry.all)} / ${share(entry.relevant)} / ${share(entry.irrelevant)}`)]),
  };
}

/** The variant table: source, formula, parser, weaknesses. */
export function variantTable(result: BenchResult): Table {
  return {
    title: 'Variants',
    headers: ['Variant', 'Source', 'Formula', 'Parser', 'Format', 'Known weaknesses'],
    rows: result.variants.map((variant) => [variant.id, variant.source, variant.formula, variant.parser, variant.format, variant.weaknesses.join('; ')]),
  };
}

/** The data the run used. */
export function dataTable(result: BenchResult): Table {
  return {
    title: 'Data',
    note: 'Gold past end: sampled relevant targets whose gold span ends after the video duration (in parentheses: starts at or after it). strict clamps predictions to [0, D] but not the gold span, so even the exact answer scores below 1 there, and 0 when the span starts after D.',
    headers: ['File', 'Items', 'Valid', 'Sampled', 'Gold past end'],
    rows: result.data.files.map((file) => [file.file, String(file.items), String(file.valid), String(file.sampled), `${file.spanPastEnd} (${file.startPastEnd})`]),
  };
}

/** Every table of the report, in order. */
export function reportTables(result: BenchResult): Table[] {
  return [summaryTable(result), distributionTable(result), hackTable(result), zeroVarianceTable(result), advantageSignalTable(result), variantTable(result), ...(result.data.files.length > 0 ? [dataTable(result)] : [])];
}
