import { groupRelativeAdvantage } from '../advantage/group-relative-advantage.js';
import { assertEmbedder } from '../internal/embed.js';
import { profileRules } from '../rules/profile-rules.js';
import type { Embedder, RaRftTarget } from '../types.js';
import { type ClosedGroup, createAuditMonitor } from './audit-monitor.js';
import { embedParts } from './embed-parts.js';
import { type RescoreEstimate, estimateRescore } from './estimate-rescore.js';
import type { AuditScoring } from './measure-rollout.js';
import { type RolloutDump, openDump } from './open-dump.js';
import type { AuditOptions, AuditOptionsInput, DetectorId } from './options.js';
import { DETECTOR_IDS } from './options.js';
import type { AuditFinding, AuditRollout, AuditStep } from './types.js';

/** Options of {@link auditDump}. */
export interface AuditDumpOptions {
  thresholds?: AuditOptionsInput | undefined;
  /** The run's scoring (profile, weights, think-prefill, or the variant its logged score is): what `score-mismatch` compares with. */
  scoring?: AuditScoring | undefined;
  /** Replay: re-score every rollout this way and compare detectors and advantages. */
  replay?: AuditScoring | undefined;
  /** Called with each prompt kept by the difficulty rule (`options.curate`), once per prompt. */
  onCurated?: ((row: CuratedRow) => void) | undefined;
  /** Progress: rollouts read, bytes read, bytes in all. */
  onProgress?: ((progress: { rollouts: number; bytes: number; totalBytes: number }) => void) | undefined;
  /**
   * Re-compute explain and correction with this embedder (opt-in: it is slow on a large dump). The values are
   * checked against the logged ones (`score-mismatch`: use the run's embedder), fill in parts the dump did not
   * log, and replace the logged ones in a replay. Before the pass, a sample is embedded and timed, and
   * `onEstimate` is told how long the whole will take.
   */
  embedder?: Embedder | undefined;
  /** Called once, before re-scoring starts, with the estimate of how long it will take (only with `embedder`). */
  onEstimate?: ((estimate: RescoreEstimate) => void) | undefined;
}

/** A training row kept by `--curate`. */
export interface CuratedRow {
  prompt: string | null;
  target: RaRftTarget | null;
  step: number;
  group: string;
  /** max − min of the group's rewards. */
  spread: number;
  /** Share of the group's rollouts answered right. */
  accuracy: number;
  rollouts: number;
}

/** How a detector's verdict changes under the replay. */
export interface DetectorChange {
  detector: DetectorId;
  /** First step fired as logged and as replayed (null: did not fire). */
  logged: number | null;
  replayed: number | null;
}

/** The groups whose advantages move most under the replay. */
export interface AdvantageChange {
  step: number;
  group: string;
  /** Largest |advantage as replayed − as logged| in the group. */
  maxChange: number;
  logged: number[];
  replayed: number[];
}

/** What {@link auditDump} found. */
export interface AuditResult {
  path: string;
  format: RolloutDump['format'];
  files: number;
  rollouts: number;
  skipped: { source: string; error: string }[];
  options: AuditOptions;
  steps: AuditStep[];
  findings: AuditFinding[];
  curated: number | null;
  /** Re-scoring with an embedder: which, the estimate made before it started, and what it took. */
  rescore: null | { embedder: string; estimate: RescoreEstimate; seconds: number; rollouts: number };
  replay: null | {
    scoring: AuditScoring;
    steps: AuditStep[];
    findings: AuditFinding[];
    detectors: DetectorChange[];
    advantages: { groups: number; rollouts: number; meanAbsChange: number; signFlips: number; zeroSignalLogged: number; zeroSignalReplayed: number; top: AdvantageChange[] };
  };
}

const TOP = 10;
/** Rollouts re-scored per embed call, and the sample the estimate times. */
const RESCORE_BATCH = 512;

function advantages(totals: (number | null)[]): number[] {
  return Array.from(groupRelativeAdvantage(totals, { groupSize: totals.length }));
}

/**
 * Audits a rollout dump (see `openDump` for the layouts) in one streaming pass with bounded memory: every
 * detector per step and over the sliding window, the first step each fired, evidence; optionally a replay
 * under another scoring and the curated prompts.
 *
 * @example
 * const result = await auditDump('checkpoints/rollouts', { replay: { profile: 'strict' } });
 * result.findings.map((f) => `${f.detector} at step ${f.step}`);
 */
export async function auditDump(path: string, options: AuditDumpOptions = {}): Promise<AuditResult> {
  const dump = openDump(path);
  const pending = new Map<string, ClosedGroup>();
  const changes = { groups: 0, rollouts: 0, absSum: 0, signFlips: 0, zeroLogged: 0, zeroReplayed: 0, top: [] as AdvantageChange[] };
  const curatedKeys = new Set<string>();
  let curated = 0;
  const original = createAuditMonitor({
    thresholds: options.thresholds,
    scoring: options.scoring,
    onGroup: (group) => {
      if (options.replay !== undefined) pending.set(`${group.step}\u0000${group.key}`, group);
      if (options.onCurated !== undefined) curate(group);
    },
  });
  const settings = original.options;
  const curate = (group: ClosedGroup) => {
    const totals = group.totals.filter((t): t is number => t !== null);
    if (totals.length < 2 || group.judged === 0) return;
    const spread = Math.max(...totals) - Math.min(...totals);
    const accuracy = group.right / group.judged;
    const rule = settings.curate;
    if (spread <= rule.minSpread || accuracy < rule.accuracyLow || accuracy > rule.accuracyHigh) return;
    const key = group.prompt ?? group.key;
    if (curatedKeys.has(key)) return;
    curatedKeys.add(key);
    curated++;
    options.onCurated?.({ prompt: group.prompt, target: group.target, step: group.step, group: group.key, spread, accuracy, rollouts: totals.length });
  };
  const eps = settings['zero-signal-groups'].epsilon;
  const replayed =
    options.replay === undefined
      ? null
      : createAuditMonitor({
          thresholds: options.thresholds,
          scoring: { ...options.scoring, ...options.replay },
          replay: true,
          onGroup: (group) => {
            const id = `${group.step}\u0000${group.key}`;
            const before = pending.get(id);
            pending.delete(id);
            if (before === undefined || group.totals.length < 2) return;
            const a = advantages(before.totals);
            const b = advantages(group.totals);
            const spread = (t: (number | null)[]) => {
              const known = t.filter((x): x is number => x !== null);
              return known.length < 2 ? Infinity : Math.max(...known) - Math.min(...known);
            };
            changes.groups++;
            if (spread(before.totals) <= eps) changes.zeroLogged++;
            if (spread(group.totals) <= eps) changes.zeroReplayed++;
            let max = 0;
            a.forEach((x, k) => {
              const y = b[k] ?? 0;
              const d = Math.abs(y - x);
              changes.absSum += d;
              changes.rollouts++;
              if (d > max) max = d;
              if ((x > 1e-9 && y < -1e-9) || (x < -1e-9 && y > 1e-9)) changes.signFlips++;
            });
            if (changes.top.length < TOP || max > (changes.top[changes.top.length - 1]?.maxChange ?? 0)) {
              changes.top.push({ step: group.step, group: group.key.length > 200 ? `${group.key.slice(0, 200)}…` : group.key, maxChange: max, logged: a, replayed: b });
              changes.top.sort((x, y) => y.maxChange - x.maxChange);
              if (changes.top.length > TOP) changes.top.pop();
            }
          },
        });
  // With an embedder: the run's rules for the check, the replay's when it reads answers another way.
  const embedder = options.embedder;
  if (embedder !== undefined) assertEmbedder('auditDump', embedder);
  const runRules = profileRules('audit', options.scoring?.profile ?? settings.profile);
  // A variant replay has no embedding parts; a replay under the run's own rules reuses the run's values.
  const replayOwnRules = options.replay === undefined || options.replay.variant !== undefined ? null : profileRules('audit', options.replay.profile ?? options.scoring?.profile ?? settings.profile);
  const replayRules = replayOwnRules === runRules ? null : replayOwnRules;
  let estimate: RescoreEstimate | null = null;
  if (embedder !== undefined) {
    estimate = await estimateRescore(openDump(path), embedder, runRules, { sample: RESCORE_BATCH });
    options.onEstimate?.(estimate);
  }
  const started = performance.now();
  let rollouts = 0;
  let bytes = 0;
  for await (const batch of dump.batches({ onBytes: (b) => (bytes = b), ...(embedder === undefined ? {} : { batchSize: RESCORE_BATCH }) })) {
    let replayBatch: AuditRollout[] = batch;
    if (embedder !== undefined) {
      const parts = await embedParts(batch, embedder, runRules);
      batch.forEach((rollout, i) => (rollout.embedded = parts[i] ?? undefined));
      if (replayRules !== null) {
        const again = await embedParts(batch, embedder, replayRules);
        replayBatch = batch.map((rollout, i) => ({ ...rollout, embedded: again[i] ?? undefined }));
      }
    }
    original.add(batch);
    replayed?.add(replayBatch);
    rollouts += batch.length;
    options.onProgress?.({ rollouts, bytes, totalBytes: dump.bytes });
  }
  original.flush();
  replayed?.flush();
  const findings = original.findings();
  let replay: AuditResult['replay'] = null;
  if (replayed !== null && options.replay !== undefined) {
    const replayFindings = replayed.findings();
    const firstOf = (list: AuditFinding[], id: DetectorId) => list.find((f) => f.detector === id)?.step ?? null;
    replay = {
      scoring: options.replay,
      steps: replayed.steps(),
      findings: replayFindings,
      detectors: DETECTOR_IDS.map((id) => ({ detector: id, logged: firstOf(findings, id), replayed: firstOf(replayFindings, id) })),
      advantages: {
        groups: changes.groups,
        rollouts: changes.rollouts,
        meanAbsChange: changes.rollouts === 0 ? 0 : changes.absSum / changes.rollouts,
        signFlips: changes.signFlips,
        zeroSignalLogged: changes.zeroLogged,
        zeroSignalReplayed: changes.zeroReplayed,
        top: changes.top,
      },
    };
  }
  return {
    path,
    format: dump.format,
    files: dump.files.length,
    rollouts,
    skipped: dump.skipped,
    options: settings,
    steps: original.steps(),
    findings,
    curated: options.onCurated === undefined ? null : curated,
    rescore: estimate === null || embedder === undefined ? null : { embedder: embedder.name ?? 'custom', estimate, seconds: (performance.now() - started) / 1000, rollouts },
    replay,
  };
}
