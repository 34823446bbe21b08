import type { RaRftTarget } from '../types.js';
import { DETECTORS, type DetectorReading, type WindowCounts, emptyCounts } from './detectors.js';
import { type AuditScoring, type RolloutMeasure, auditScorer, measureRollout } from './measure-rollout.js';
import { type AuditOptions, type AuditOptionsInput, DETECTOR_IDS, type DetectorId, parseAuditOptions } from './options.js';
import type { AuditExample, AuditFinding, AuditGauge, AuditPart, AuditRollout, AuditStep } from './types.js';

/** Options of {@link createAuditMonitor}. */
export interface AuditMonitorOptions {
  /** Thresholds (any subset; see `auditOptionsSchema`). */
  thresholds?: AuditOptionsInput | undefined;
  /** How rewards are re-computed: the run's profile, weights, think-prefill, or the variant its logged score is. */
  scoring?: AuditScoring | undefined;
  /** Re-score every rollout with `scoring` and audit those rewards instead of the logged ones (a replay). */
  replay?: boolean | undefined;
  /** Step summaries kept for {@link AuditMonitor.steps} (default: all; the server keeps a few hundred). */
  keepSteps?: number | undefined;
  /** Called once per group when its step closes (curation, advantage comparisons). */
  onGroup?: ((group: ClosedGroup) => void) | undefined;
}

/** A group when its step closes. */
export interface ClosedGroup {
  step: number;
  key: string;
  prompt: string | null;
  target: RaRftTarget | null;
  /** The rollouts' totals, in arrival order (null where unknown). */
  totals: (number | null)[];
  /** Rollouts answered right, and those that could be judged. */
  right: number;
  judged: number;
}

/** An incremental audit: feed rollouts as they are scored, read findings and gauges at any time. */
export interface AuditMonitor {
  /** Adds rollouts. A rollout without a `step` takes this call's number (1, 2, …); steps older than the newest one added close. */
  add(rollouts: readonly (Omit<AuditRollout, 'step' | 'group'> & { step?: number | undefined; group?: string | undefined })[]): void;
  /** Closes every open step (end of a dump; the server before a scrape if it wants the latest step counted). */
  flush(): void;
  /** Every detector that fired, first step first. */
  findings(): AuditFinding[];
  /** Prometheus gauges: per detector its window value, threshold and whether it is firing, plus totals. */
  gauges(): AuditGauge[];
  /** The closed steps' summaries, oldest first (at most `keepSteps`). */
  steps(): AuditStep[];
  /** Rollouts added so far. */
  readonly rollouts: number;
  /** The options in force, defaults filled in. */
  readonly options: AuditOptions;
}

const PARTS: readonly AuditPart[] = ['format', 'refuseIoU', 'explain', 'correction'];
const EXAMPLES = 3;
const TEXT = 600;

interface OpenGroup {
  key: string;
  prompt: string | null;
  target: RaRftTarget | null;
  totals: (number | null)[];
  parts: Record<AuditPart, number[]>;
  right: number;
  judged: number;
  first: AuditExample;
}

interface OpenStep {
  step: number;
  counts: WindowCounts;
  groups: Map<string, OpenGroup>;
  sums: Record<AuditPart | 'total', number>;
  ns: Record<AuditPart | 'total', number>;
  coverage: number;
  examples: Map<DetectorId, AuditExample[]>;
  longest: AuditExample | null;
  longestLength: number;
}

interface ClosedStep {
  counts: WindowCounts;
  examples: Map<DetectorId, AuditExample[]>;
}

function addCounts(into: WindowCounts, from: WindowCounts, sign: 1 | -1): void {
  for (const key of Object.keys(from) as (keyof WindowCounts)[]) {
    if (key === 'squares' || key === 'freedom') {
      for (const part of PARTS) into[key][part] += sign * from[key][part];
    } else {
      into[key] += sign * from[key];
    }
  }
}

const spanText = (m: RolloutMeasure) => (m.span === null ? '' : `span [${m.span[0]}, ${m.span[1]}] of ${m.duration ?? '?'} s`);
const clip = (text: string | null | undefined) => (typeof text !== 'string' ? null : text.length > TEXT ? `${text.slice(0, TEXT)}…` : text);

/**
 * An incremental audit of scored rollouts: every detector over a sliding window of steps, with bounded memory
 * (the open steps' groups and the last `window` steps' counts). `auditDump` runs one over a dump; the reward
 * server keeps one over what it scored and exposes {@link AuditMonitor.gauges} on /metrics.
 *
 * @example
 * const monitor = createAuditMonitor({ thresholds: { minSamples: 4, window: 2 } });
 * const target = { relevant: true, span: [10, 20], duration: 60 };
 * for (let step = 1; step <= 4; step++) monitor.add([0, 1, 2, 3].map(() => ({ step, group: 'p', completion: '<think>x</think><answer>No.</answer><correction>NIL</correction>', target, score: 1 })));
 * monitor.flush();
 * monitor.findings().map((f) => [f.detector, f.step]); // => [['format-only', 1], ['zero-signal-groups', 1]]
 */
export function createAuditMonitor(monitorOptions: AuditMonitorOptions = {}): AuditMonitor {
  const options = parseAuditOptions(monitorOptions.thresholds);
  const scorer = auditScorer({ profile: options.profile, ...monitorOptions.scoring }, monitorOptions.replay === true);
  const keepSteps = monitorOptions.keepSteps ?? Infinity;
  const open = new Map<number, OpenStep>();
  const ring: ClosedStep[] = [];
  const window = emptyCounts();
  const baseline = emptyCounts();
  let baselineSteps = 0;
  const summaries: AuditStep[] = [];
  const found = new Map<DetectorId, AuditFinding>();
  const latest = new Map<DetectorId, DetectorReading>();
  let calls = 0;
  let total = 0;
  let newest = -Infinity;
  let closed = 0;
  // The step numbers of the ring, for the evidence's window.
  const stepNumbers: number[] = [];

  const newStep = (step: number): OpenStep => {
    const zero = () => ({ format: 0, refuseIoU: 0, explain: 0, correction: 0, total: 0 });
    return { step, counts: emptyCounts(), groups: new Map(), sums: zero(), ns: zero(), coverage: 0, examples: new Map(), longest: null, longestLength: -1 };
  };

  // The note is built only when the example is kept: most rollouts that count toward a detector are not shown.
  const example = (s: OpenStep, id: DetectorId, rollout: AuditRollout, note: string | (() => string)) => {
    let list = s.examples.get(id);
    if (list === undefined) s.examples.set(id, (list = []));
    if (list.length < EXAMPLES) list.push(exampleOf(rollout, typeof note === 'string' ? note : note()));
  };
  const exampleOf = (rollout: AuditRollout, note: string): AuditExample => ({
    step: rollout.step,
    group: rollout.group,
    ...(rollout.source === undefined ? {} : { source: rollout.source }),
    completion: clip(rollout.completion),
    target: rollout.target ?? null,
    score: typeof rollout.score === 'number' ? rollout.score : null,
    note,
  });

  const record = (s: OpenStep, rollout: AuditRollout, m: RolloutMeasure) => {
    const c = s.counts;
    c.rollouts++;
    if (m.relevant === true && m.kind !== null) {
      c.relevant++;
      if (m.kind === 'refusal') {
        c.relevantRefused++;
        example(s, 'refusal-collapse', rollout, 'relevant query refused');
      }
    } else if (m.relevant === false && m.kind !== null) {
      c.irrelevant++;
      if (m.kind === 'refusal') c.irrelevantRefused++;
      else example(s, 'never-refuse', rollout, () => `irrelevant query answered (${m.kind})`);
    }
    if (m.coverage !== null) {
      c.spans++;
      s.coverage += m.coverage;
      if (m.coverage >= options['whole-video-span'].coverage) {
        c.wholeVideo++;
        example(s, 'whole-video-span', rollout, () => `${spanText(m)}: covers ${(100 * (m.coverage as number)).toFixed(0)}%`);
      }
      if (m.pinned === true) {
        c.pinned++;
        example(s, 'boundary-snap', rollout, () => `${spanText(m)}: pinned to an end`);
      }
      if (m.outOfVideo === true) {
        c.outOfVideo++;
        example(s, 'span-out-of-video', rollout, () => `${spanText(m)}: past the end`);
      }
    }
    if (m.gtPinned !== null) {
      c.gtSpans++;
      if (m.gtPinned) c.gtPinned++;
    }
    if (m.formatOnly !== null) {
      c.scored++;
      if (m.formatOnly) {
        c.formatOnly++;
        example(s, 'format-only', rollout, () => `parts ${JSON.stringify(m.parts)}`);
      }
    }
    if (m.length !== null) {
      c.lengths++;
      c.lengthSum += m.length;
      if (m.length > s.longestLength) {
        s.longestLength = m.length;
        s.longest = exampleOf(rollout, `${m.length} characters (the step's longest)`);
      }
    }
    if (m.correction !== null) {
      c.corrections++;
      if (m.correction === 'echo') {
        c.echoes++;
        example(s, 'correction-echoes-query', rollout, 'correction repeats the asked query');
      }
    }
    if (m.mismatch !== null) {
      c.checked++;
      if (m.mismatch > options['score-mismatch'].tolerance) {
        c.mismatches++;
        example(s, 'score-mismatch', rollout, () => `logged ${JSON.stringify({ score: rollout.score ?? null, ...rollout.parts })}, differs by ${(m.mismatch as number).toPrecision(4)} from this library's ${JSON.stringify(m.parts)}`);
      }
    }
    for (const part of PARTS) {
      const value = m.parts[part];
      if (value !== undefined) {
        s.sums[part] += value;
        s.ns[part]++;
      }
    }
    if (m.total !== null) {
      s.sums.total += m.total;
      s.ns.total++;
    }
    let group = s.groups.get(rollout.group);
    if (group === undefined) {
      group = { key: rollout.group, prompt: rollout.prompt ?? null, target: rollout.target ?? null, totals: [], parts: { format: [], refuseIoU: [], explain: [], correction: [] }, right: 0, judged: 0, first: exampleOf(rollout, 'first rollout of a group without reward spread') };
      s.groups.set(rollout.group, group);
    }
    group.totals.push(m.total);
    for (const part of PARTS) {
      const value = m.weighted[part];
      if (value !== undefined) group.parts[part].push(value);
    }
    if (m.right !== null) {
      group.judged++;
      if (m.right) group.right++;
    }
  };

  const closeStep = (s: OpenStep) => {
    const c = s.counts;
    c.steps = 1;
    for (const group of s.groups.values()) {
      const totals = group.totals.filter((t): t is number => t !== null);
      if (totals.length >= 2) {
        c.groups++;
        c.groupRollouts += totals.length;
        if (Math.max(...totals) - Math.min(...totals) <= options['zero-signal-groups'].epsilon) {
          c.zeroSignalGroups++;
          example(s, 'zero-signal-groups', { step: s.step, group: group.key, completion: group.first.completion, target: group.target, score: group.first.score }, `all ${totals.length} rollouts scored ${totals[0]}`);
        }
      }
      for (const part of PARTS) {
        const values = group.parts[part];
        if (values.length < 2) continue;
        const mean = values.reduce((a, b) => a + b, 0) / values.length;
        c.squares[part] += values.reduce((a, b) => a + (b - mean) ** 2, 0);
        c.freedom[part] += values.length - 1;
      }
      monitorOptions.onGroup?.({ step: s.step, key: group.key, prompt: group.prompt, target: group.target, totals: group.totals, right: group.right, judged: group.judged });
    }
    if (s.longest !== null) s.examples.set('length-drift', [s.longest]);

    closed++;
    stepNumbers.push(s.step);
    if (stepNumbers.length > options.window) stepNumbers.shift();
    ring.push({ counts: c, examples: s.examples });
    addCounts(window, c, 1);
    if (ring.length > options.window) addCounts(window, (ring.shift() as ClosedStep).counts, -1);
    if (baselineSteps < options.window) {
      addCounts(baseline, c, 1);
      baselineSteps++;
    }
    const base = baselineSteps >= options.window ? baseline : null;
    const values: Partial<Record<DetectorId, number | null>> = {};
    for (const detector of DETECTORS) {
      const reading = detector.read(window, base, options);
      latest.set(detector.id, reading);
      values[detector.id] = reading.value;
      if (!reading.fired) continue;
      const severity = options[detector.id].severity;
      const finding = found.get(detector.id);
      if (finding !== undefined) {
        finding.firedSteps++;
        finding.lastStep = s.step;
        continue;
      }
      const examples = ring.flatMap((closed) => closed.examples.get(detector.id) ?? []).slice(-EXAMPLES);
      found.set(detector.id, {
        detector: detector.id,
        step: s.step,
        severity,
        message: reading.message,
        value: reading.value as number,
        threshold: reading.threshold,
        firedSteps: 1,
        lastStep: s.step,
        evidence: { window: { from: stepNumbers[0] ?? s.step, to: s.step }, counts: reading.counts, examples },
      });
    }
    const mean = (key: AuditPart | 'total') => (s.ns[key] === 0 ? null : s.sums[key] / s.ns[key]);
    summaries.push({
      step: s.step,
      rollouts: c.rollouts,
      groups: c.groups,
      zeroSignalGroups: c.zeroSignalGroups,
      relevant: c.relevant,
      relevantRefused: c.relevantRefused,
      irrelevant: c.irrelevant,
      irrelevantRefused: c.irrelevantRefused,
      spans: c.spans,
      spanCoverage: c.spans === 0 ? null : s.coverage / c.spans,
      wholeVideo: c.wholeVideo,
      pinned: c.pinned,
      gtSpans: c.gtSpans,
      gtPinned: c.gtPinned,
      outOfVideo: c.outOfVideo,
      formatOnly: c.formatOnly,
      scored: c.scored,
      means: { format: mean('format'), refuseIoU: mean('refuseIoU'), explain: mean('explain'), correction: mean('correction'), total: mean('total') },
      variance: Object.fromEntries(PARTS.map((part) => [part, c.freedom[part] > 0 ? c.squares[part] / c.freedom[part] : 0])) as Record<AuditPart, number>,
      length: c.lengths === 0 ? null : c.lengthSum / c.lengths,
      corrections: c.corrections,
      echoes: c.echoes,
      checked: c.checked,
      mismatches: c.mismatches,
      detectors: values,
    });
    if (summaries.length > keepSteps) summaries.shift();
  };

  const closeBefore = (step: number) => {
    if (open.size === 1 && open.has(step)) return;
    for (const [number, s] of [...open].sort((a, b) => a[0] - b[0])) {
      if (number >= step) break;
      open.delete(number);
      closeStep(s);
    }
  };

  return {
    add(rollouts) {
      calls++;
      for (const input of rollouts) {
        const step = typeof input.step === 'number' ? input.step : calls;
        // Rollouts read from a dump already carry both: no copy on the hot path.
        const rollout: AuditRollout =
          typeof input.step === 'number' && typeof input.group === 'string' ? (input as AuditRollout) : { ...input, step, group: input.group ?? input.prompt ?? JSON.stringify(input.target ?? null) };
        let s = open.get(step);
        if (s === undefined) {
          s = newStep(step);
          open.set(step, s);
        }
        if (step > newest) newest = step;
        record(s, rollout, measureRollout(rollout, scorer, options));
        total++;
      }
      closeBefore(newest);
    },
    flush() {
      closeBefore(Infinity);
    },
    findings() {
      const order = (id: DetectorId) => DETECTOR_IDS.indexOf(id);
      return [...found.values()].sort((a, b) => a.step - b.step || order(a.detector) - order(b.detector));
    },
    gauges() {
      const gauges: AuditGauge[] = [
        { name: 'ra_rft_audit_rollouts', help: 'Rollouts the audit has seen.', labels: {}, value: total },
        { name: 'ra_rft_audit_steps', help: 'Steps the audit has closed.', labels: {}, value: closed },
      ];
      for (const detector of DETECTORS) {
        const reading = latest.get(detector.id);
        const labels = { detector: detector.id };
        if (reading !== undefined && reading.value !== null) gauges.push({ name: 'ra_rft_audit_detector_value', help: "The detector's value on the latest window.", labels, value: reading.value });
        gauges.push({ name: 'ra_rft_audit_detector_threshold', help: 'The threshold it is compared with.', labels, value: reading?.threshold ?? thresholdOf(detector.id, options) });
        gauges.push({ name: 'ra_rft_audit_detector_firing', help: '1 while the latest window fires the detector.', labels, value: reading?.fired === true ? 1 : 0 });
        const finding = found.get(detector.id);
        if (finding !== undefined) gauges.push({ name: 'ra_rft_audit_detector_first_step', help: 'The step at which the detector first fired.', labels, value: finding.step });
      }
      return gauges;
    },
    steps() {
      return [...summaries];
    },
    get rollouts() {
      return total;
    },
    options,
  };
}

function thresholdOf(id: DetectorId, options: AuditOptions): number {
  const o = options[id] as Record<string, unknown>;
  for (const key of ['rate', 'excess', 'share', 'ratio']) if (typeof o[key] === 'number') return o[key] as number;
  return 0;
}
