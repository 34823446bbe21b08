import type { AuditOptions, DetectorId } from './options.js';
import type { AuditPart } from './types.js';

/** Sums over a window of steps: every detector is a ratio of two of these. */
export interface WindowCounts {
  steps: number;
  rollouts: number;
  groups: number;
  groupRollouts: number;
  zeroSignalGroups: number;
  relevant: number;
  relevantRefused: number;
  irrelevant: number;
  irrelevantRefused: number;
  spans: number;
  wholeVideo: number;
  pinned: number;
  gtSpans: number;
  gtPinned: number;
  outOfVideo: number;
  scored: number;
  formatOnly: number;
  lengths: number;
  lengthSum: number;
  corrections: number;
  echoes: number;
  checked: number;
  mismatches: number;
  /** Within-group sums of squared deviations of each weighted part, and their degrees of freedom. */
  squares: Record<AuditPart, number>;
  freedom: Record<AuditPart, number>;
}

/** An empty {@link WindowCounts}. */
export function emptyCounts(): WindowCounts {
  const zero = () => ({ format: 0, refuseIoU: 0, explain: 0, correction: 0 });
  return {
    steps: 0, rollouts: 0, groups: 0, groupRollouts: 0, zeroSignalGroups: 0, relevant: 0, relevantRefused: 0, irrelevant: 0, irrelevantRefused: 0,
    spans: 0, wholeVideo: 0, pinned: 0, gtSpans: 0, gtPinned: 0, outOfVideo: 0, scored: 0, formatOnly: 0, lengths: 0, lengthSum: 0,
    corrections: 0, echoes: 0, checked: 0, mismatches: 0, squares: zero(), freedom: zero(),
  };
}

/** What a detector decided on one window. */
export interface DetectorReading {
  /** Its value (a rate, a share, a ratio), or null when the window holds too little to judge. */
  value: number | null;
  /** The threshold it is compared with (after any baseline). */
  threshold: number;
  fired: boolean;
  /** The counts behind the value. */
  counts: Record<string, number>;
  /** One line, for the finding. */
  message: string;
}

/** A detector: its id, what it means, what to do, and how it reads a window. */
export interface Detector {
  readonly id: DetectorId;
  readonly title: string;
  readonly definition: string;
  readonly action: string;
  /** Which rollouts it shows as examples (a key of the example buffers). */
  readonly read: (window: WindowCounts, baseline: WindowCounts | null, options: AuditOptions) => DetectorReading;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const ratio = (part: number, whole: number, min: number) => (whole >= min && whole > 0 ? part / whole : null);

function rate(id: DetectorId, part: number, whole: number, min: number, threshold: number, above: boolean, what: string, counts: Record<string, number>): DetectorReading {
  const value = ratio(part, whole, min);
  const fired = value !== null && (above ? value >= threshold : value <= threshold);
  return { value, threshold, fired, counts, message: value === null ? `${id}: not enough data` : `${what} ${pct(value)} (${part} of ${whole}); threshold ${above ? '≥' : '≤'} ${pct(threshold)}` };
}

/** Every detector, in report order. */
export const DETECTORS: readonly Detector[] = [
  {
    id: 'refusal-collapse',
    title: 'Refusal collapse',
    definition: 'Share of relevant queries answered with a refusal, over the window. Fires when it is at least `rate` and at least `rise` above the first window of the run: the policy learned that refusing pays.',
    action: 'Look at the examples: relevant queries refused. Lower the refusal reward (ra-rft pays any span-less answer on an irrelevant query 1), train with --profile strict (refusals need words), rebalance relevant/irrelevant prompts, or stop from the last checkpoint before the step.',
    read: (w, base, o) => {
      const now = ratio(w.relevantRefused, w.relevant, o.minSamples);
      const before = base === null ? null : ratio(base.relevantRefused, base.relevant, o.minSamples);
      const threshold = Math.max(o['refusal-collapse'].rate, (before ?? 0) + o['refusal-collapse'].rise);
      const fired = now !== null && before !== null && now >= threshold;
      const counts = { relevant: w.relevant, refused: w.relevantRefused, baselineRelevant: base?.relevant ?? 0, baselineRefused: base?.relevantRefused ?? 0 };
      return { value: now, threshold, fired, counts, message: now === null ? 'not enough relevant queries' : `relevant queries refused: ${pct(now)} (${w.relevantRefused} of ${w.relevant}), first window ${before === null ? 'n/a' : pct(before)}; threshold ≥ ${pct(threshold)}` };
    },
  },
  {
    id: 'never-refuse',
    title: 'Never refuses',
    definition: 'Share of irrelevant queries answered with a refusal, over the window. Fires when it is at most `rate`: the refusal skill is gone (or never came), every query gets a span.',
    action: 'Check that irrelevant prompts reach the trainer and carry `relevant: false` targets; raise their share or the refusal weight; check the format of refusals the profile accepts (strict needs at least three words).',
    read: (w, _b, o) => rate('never-refuse', w.irrelevantRefused, w.irrelevant, o.minSamples, o['never-refuse'].rate, false, 'irrelevant queries refused', { irrelevant: w.irrelevant, refused: w.irrelevantRefused }),
  },
  {
    id: 'whole-video-span',
    title: 'Whole-video spans',
    definition: 'Share of predicted spans (with a known duration) that cover at least `coverage` of the video. Fires at `rate`: answering with the whole video earns a safe partial IoU.',
    action: 'Use a reward that penalises coverage (ra-rft\'s distance weights do, plain IoU does not); check the examples\' ground-truth lengths; replay with --variant to see which reward stops paying it.',
    read: (w, _b, o) => rate('whole-video-span', w.wholeVideo, w.spans, o.minSamples, o['whole-video-span'].rate, true, 'spans covering the video', { spans: w.spans, wholeVideo: w.wholeVideo }),
  },
  {
    id: 'boundary-snap',
    title: 'Spans snapped to the video ends',
    definition: 'Share of predicted spans with an end within `tolerance`·duration of 0 or of the duration, minus the same share for the ground-truth spans of the window. Fires at `excess`.',
    action: 'The policy pins spans to the ends (0 or the duration) more than the data does: check timestamps in the prompt (are durations given?), the span parser, and whether the reward pays partial overlap from an end.',
    read: (w, _b, o) => {
      const now = ratio(w.pinned, w.spans, o.minSamples);
      const gt = ratio(w.gtPinned, w.gtSpans, 1) ?? 0;
      const value = now === null ? null : now - gt;
      const threshold = o['boundary-snap'].excess;
      return { value, threshold, fired: value !== null && value >= threshold, counts: { spans: w.spans, pinned: w.pinned, gtSpans: w.gtSpans, gtPinned: w.gtPinned }, message: now === null ? 'not enough spans' : `spans pinned to an end: ${pct(now)} (${w.pinned} of ${w.spans}) vs ${pct(gt)} of ground-truth spans; threshold excess ≥ ${pct(threshold)}` };
    },
  },
  {
    id: 'span-out-of-video',
    title: 'Spans past the video',
    definition: 'Share of predicted spans that end after the duration (or start after it). Fires at `rate`.',
    action: 'The policy does not know the duration: give it in the prompt; under ra-rft such spans earn negative rewards, under others they may be clipped and paid. Check the examples\' durations against the dataset.',
    read: (w, _b, o) => rate('span-out-of-video', w.outOfVideo, w.spans, o.minSamples, o['span-out-of-video'].rate, true, 'spans past the video end', { spans: w.spans, outOfVideo: w.outOfVideo }),
  },
  {
    id: 'format-only',
    title: 'Paid for the format alone',
    definition: 'Share of rollouts whose format part is above `floor` while every other known part (refuseIoU, explain, correction) is at or below it. Fires at `rate`: the reward is earned by the tags.',
    action: 'Lower the format weight (--weights format=0.1, as TVG-R1 does), or gate the format reward on a parsable answer; check that the span parser reads the notation the policy writes (a notation the parser misses scores 0).',
    read: (w, _b, o) => rate('format-only', w.formatOnly, w.scored, o.minSamples, o['format-only'].rate, true, 'rollouts paid by format alone', { scored: w.scored, formatOnly: w.formatOnly }),
  },
  {
    id: 'zero-signal-groups',
    title: 'Groups without signal',
    definition: 'Share of groups (rollouts of one prompt at one step, two or more) whose rewards span at most `epsilon`: their group-relative advantages are all zero, so they teach nothing. Fires at `rate`.',
    action: 'Raise the rollouts per prompt or the temperature, filter prompts that are always solved or never (--curate writes the ones kept by a difficulty rule), or use a reward with finer steps.',
    read: (w, _b, o) => {
      const value = w.groupRollouts >= o.minSamples && w.groups > 0 ? w.zeroSignalGroups / w.groups : null;
      const threshold = o['zero-signal-groups'].rate;
      return { value, threshold, fired: value !== null && value >= threshold, counts: { groups: w.groups, zeroSignal: w.zeroSignalGroups, rollouts: w.groupRollouts }, message: value === null ? 'not enough groups' : `groups without reward spread: ${pct(value)} (${w.zeroSignalGroups} of ${w.groups}); threshold ≥ ${pct(threshold)}` };
    },
  },
  {
    id: 'part-dominance',
    title: 'One part carries the signal',
    definition: 'Within-group variance of each weighted part, pooled over the window; the share of the largest of format, explain and correction in their sum. Fires at `share`: the advantage mostly ranks rollouts by a part other than the grounding one.',
    action: 'Reweight the parts (--weights), or check the dominant part: format variance means the policy still breaks the tags; explain/correction variance with a weak embedder is noise.',
    read: (w, _b, o) => {
      const vars = (['format', 'refuseIoU', 'explain', 'correction'] as const).map((part) => [part, w.freedom[part] > 0 ? w.squares[part] / w.freedom[part] : 0] as const);
      const sum = vars.reduce((s, [, v]) => s + v, 0);
      const [top, topVar] = vars.filter(([part]) => part !== 'refuseIoU').reduce((best, cur) => (cur[1] > best[1] ? cur : best), ['format', -1] as readonly [string, number]);
      const value = w.groupRollouts >= o.minSamples && sum > 1e-12 ? topVar / sum : null;
      const threshold = o['part-dominance'].share;
      const counts = Object.fromEntries(vars.map(([part, v]) => [`variance.${part}`, v]));
      return { value, threshold, fired: value !== null && value >= threshold, counts, message: value === null ? 'no variance within groups' : `${top} carries ${pct(value)} of the within-group variance; threshold ≥ ${pct(threshold)}` };
    },
  },
  {
    id: 'length-drift',
    title: 'Completion length drift',
    definition: 'Mean completion length (characters) over the window divided by that of the first window. Fires at `ratio` or at its inverse.',
    action: 'Look at the examples for repeated blocks or padding; cap the response length, add a length penalty, or check that end tokens are stripped.',
    read: (w, base, o) => {
      const now = w.lengths >= o.minSamples ? w.lengthSum / w.lengths : null;
      const before = base !== null && base.lengths >= o.minSamples ? base.lengthSum / base.lengths : null;
      const value = now === null || before === null || before === 0 ? null : now / before;
      const threshold = o['length-drift'].ratio;
      return { value, threshold, fired: value !== null && (value >= threshold || value <= 1 / threshold), counts: { meanLength: now ?? 0, firstWindowMeanLength: before ?? 0 }, message: value === null ? 'not enough completions' : `mean length ${now?.toFixed(0)} chars, ${value.toFixed(2)}× the first window's ${before?.toFixed(0)}; threshold ×${threshold} or ×${(1 / threshold).toFixed(2)}` };
    },
  },
  {
    id: 'correction-echoes-query',
    title: 'Corrections echo the query',
    definition: 'Share of the corrections written on irrelevant queries (not NIL, prompt logged) whose words, at least `minWords` of them, appear in that order in the prompt: the policy repeats the asked query instead of correcting it. Fires at `rate`.',
    action: 'The correction reward compares with the original query by embedding, which pays a near-copy of the asked query well; use the strict profile or a lower correction weight, and check the examples.',
    read: (w, _b, o) => rate('correction-echoes-query', w.echoes, w.corrections, o.minSamples, o['correction-echoes-query'].rate, true, 'corrections repeating the query', { corrections: w.corrections, echoes: w.echoes }),
  },
  {
    id: 'score-mismatch',
    title: 'Logged reward differs from this library',
    definition: 'Share of checked rollouts where a logged value (the score, or a logged part) differs from what this library computes for the same completion and target by more than `tolerance`. Fires at `rate`.',
    action: 'A wrong shim, a stale config (profile, weights, think-prefilled, end tokens) or a different embedder: compare the examples\' logged and re-computed parts; rerun the audit with the run\'s --profile/--weights/--reward to find the one that matches.',
    read: (w, _b, o) => rate('score-mismatch', w.mismatches, w.checked, o.minSamples, o['score-mismatch'].rate, true, 'rollouts whose logged reward differs', { checked: w.checked, mismatches: w.mismatches }),
  },
];
