import type { RaRftTarget } from '../types.js';
import type { DetectorId } from './options.js';

/** The parts of the RA-RFT reward, by the names this library uses. */
export type AuditPart = 'format' | 'refuseIoU' | 'explain' | 'correction';

/**
 * One rollout as the audit reads it from any trainer's dump: what the trainer logged, normalised.
 * Only `completion` or logged values are needed; what is absent leaves the detectors that need it silent.
 */
export interface AuditRollout {
  /** The training step (verl's global step, TRL's global_step…). */
  step: number;
  /** The group the trainer formed it in: its group id, else the prompt (with the step). */
  group: string;
  /** The prompt text, when logged. */
  prompt?: string | null | undefined;
  /** The completion text, when logged. */
  completion?: string | null | undefined;
  /** The ground truth (a RA-RFT target), when logged. */
  target?: RaRftTarget | null | undefined;
  /** Whether the query was relevant, when the target is not logged but this is (score output's `kind`). */
  relevant?: boolean | null | undefined;
  /** The reward the trainer used (its total). */
  score?: number | null | undefined;
  /** The parts the reward function logged. */
  parts?: Partial<Record<AuditPart, number>> | undefined;
  /** The answer kind, when logged and the completion is not (score output's `answer`). */
  answer?: 'span' | 'refusal' | 'none' | null | undefined;
  /** The advantage the trainer computed, when logged. */
  advantage?: number | null | undefined;
  /** Where it was read: `file:line`. */
  source?: string | undefined;
  /**
   * explain and correction as this library computes them with an embedder (`audit --embedder`, see `embedParts`):
   * checked against the logged parts (`score-mismatch`), used where the dump logged none, and used by a replay.
   */
  embedded?: EmbeddedParts | undefined;
}

/** The parts that need an embedder, as re-computed by the audit (absent: could not be computed). */
export interface EmbeddedParts {
  explain?: number;
  correction?: number;
}

/** A rollout shown as evidence. */
export interface AuditExample {
  step: number;
  group: string;
  source?: string | undefined;
  completion: string | null;
  target: RaRftTarget | null;
  score: number | null;
  /** Why it is shown, e.g. `span [0, 30.0] of 30.0 s`. */
  note: string;
}

/** One step's figures: counts and means (a part's mean is null when no rollout had it). */
export interface AuditStep {
  step: number;
  rollouts: number;
  groups: number;
  zeroSignalGroups: number;
  relevant: number;
  relevantRefused: number;
  irrelevant: number;
  irrelevantRefused: number;
  spans: number;
  spanCoverage: number | null;
  wholeVideo: number;
  pinned: number;
  gtSpans: number;
  gtPinned: number;
  outOfVideo: number;
  formatOnly: number;
  scored: number;
  means: Record<AuditPart | 'total', number | null>;
  /** Within-group variance of each part (pooled over the step's groups). */
  variance: Record<AuditPart, number>;
  length: number | null;
  corrections: number;
  echoes: number;
  checked: number;
  mismatches: number;
  /** Each detector's value on the window ending at this step (null: not enough data). */
  detectors: Partial<Record<DetectorId, number | null>>;
}

/** One detector that fired: at `step` first, with what it saw then. */
export interface AuditFinding {
  detector: DetectorId;
  /** The first step at which it fired. */
  step: number;
  severity: 'info' | 'warning' | 'error';
  /** One line: what it saw. */
  message: string;
  /** Its value on the window that fired, and the threshold it crossed. */
  value: number;
  threshold: number;
  /** Steps at which it was firing, and the last one. */
  firedSteps: number;
  lastStep: number;
  evidence: { window: { from: number; to: number }; counts: Record<string, number>; examples: AuditExample[] };
}

/** A Prometheus gauge: `name{labels} value`, with its help line. */
export interface AuditGauge {
  name: string;
  help: string;
  labels: Record<string, string>;
  value: number;
}
