// The audit detectors over what an engine or a server scored, as it scores: a sliding window of steps, the same
// detectors and thresholds as `ra-rft-rewards audit`, read on /metrics and reported to the Python package.
import { createAuditMonitor } from '../audit/audit-monitor.js';
import type { AuditFinding, AuditGauge } from '../audit/types.js';
import type { RaRftTarget } from '../types.js';

/** One scored row, as the monitor takes it. */
export interface ScoredRow {
  completion: string;
  target: RaRftTarget;
  total: number;
  parts: { format?: number; refuseIoU?: number; explain?: number; correction?: number };
}

/** Options of {@link createOnlineAudit}. */
export interface OnlineAuditOptions {
  /** Seconds a step lasts when the caller gives no step (default 60). */
  stepSeconds?: number | undefined;
  /** Closed steps kept (default 50): memory stays bounded however long the server runs. */
  keepSteps?: number | undefined;
  /** The clock, for tests (default Date.now). */
  now?: (() => number) | undefined;
  /**
   * Most rows of one call that are audited (default 32), whole groups first in order: the detectors read groups
   * and rates, and a sample of the batch keeps the audit's cost off a trainer's step.
   */
  maxRowsPerCall?: number | undefined;
}

/** A stable key for a target: rows with the same target in one step are one GRPO group (the same prompt). */
function groupKey(target: RaRftTarget): string {
  return `${target.relevant ? 1 : 0}|${target.span?.join(',') ?? ''}|${target.duration ?? ''}|${target.query ?? ''}|${target.answer ?? ''}`;
}

/**
 * An audit monitor over scored rows. A step is the caller's (a trainer's global step, when the Python package is
 * told it) or, when none is given, a window of `stepSeconds`. `add` returns the findings that began firing with
 * these rows, so a caller can warn once per finding.
 */
export function createOnlineAudit(options: OnlineAuditOptions = {}) {
  const stepSeconds = options.stepSeconds ?? 60;
  const maxRows = options.maxRowsPerCall ?? 32;
  const now = options.now ?? Date.now;
  const started = now();
  const monitor = createAuditMonitor({ keepSteps: options.keepSteps ?? 50 });
  const told = new Set<string>();
  let fresh: AuditFinding[] = [];
  let queued: { rows: readonly ScoredRow[]; step: number }[] = [];
  let scheduled = false;
  let lastStep = -1;
  const drain = () => {
    scheduled = false;
    const work = queued;
    queued = [];
    for (const { rows, step } of work) add(rows, step);
  };
  /** Audits the rows of one call now. */
  function add(rows: readonly ScoredRow[], step?: number | undefined): AuditFinding[] {
    const at = step ?? Math.floor((now() - started) / 1000 / stepSeconds);
    monitor.add(rows.map((row) => ({ step: at, group: `${at}|${groupKey(row.target)}`, completion: row.completion, target: row.target, score: row.total, parts: row.parts })));
    // Findings change only when a step closes (a newer step arrives): read them then, not on every call.
    if (at === lastStep) return [];
    lastStep = at;
    const found = monitor.findings().filter((finding) => !told.has(`${finding.detector}@${finding.step}`));
    for (const finding of found) told.add(`${finding.detector}@${finding.step}`);
    fresh.push(...found);
    return found;
  }
  return {
    add,
    /**
     * Audits a sample of one call's `n` rows after the current answer is sent (the caller's step is not slowed; see
     * {@link take}): whole groups (rows of one target object), in order, up to `maxRowsPerCall` rows. Only the
     * sampled rows are built (`rowAt`; null skips a row that was not scored).
     */
    enqueue(n: number, targetAt: (i: number) => RaRftTarget | null | undefined, rowAt: (i: number, target: RaRftTarget) => ScoredRow | null, step?: number | undefined): void {
      const rows: ScoredRow[] = [];
      const groups = new Set<RaRftTarget>();
      for (let i = 0; i < n; i++) {
        const target = targetAt(i);
        if (target == null) continue;
        if (!groups.has(target)) {
          if (rows.length >= maxRows) continue;
          groups.add(target);
        }
        const row = rowAt(i, target);
        if (row !== null) rows.push(row);
      }
      queued.push({ rows, step: step ?? Math.floor((now() - started) / 1000 / stepSeconds) });
      if (!scheduled) {
        scheduled = true;
        setImmediate(drain);
      }
    },
    /** The findings that began to fire since the last call of `take`. */
    take(): AuditFinding[] {
      const out = fresh;
      fresh = [];
      return out;
    },
    gauges(): AuditGauge[] {
      return monitor.gauges();
    },
    findings(): AuditFinding[] {
      return monitor.findings();
    },
  };
}

/** The monitor {@link createOnlineAudit} makes. */
export type OnlineAudit = ReturnType<typeof createOnlineAudit>;

/** Prometheus text of audit gauges (one family per gauge name), with `extra` labels (e.g. the worker). */
export function renderAuditGauges(gauges: readonly AuditGauge[], extra: Record<string, string> = {}): string {
  const families = new Map<string, { help: string; lines: string[] }>();
  for (const gauge of gauges) {
    const labels = { ...gauge.labels, ...extra };
    const text = Object.entries(labels).map(([key, value]) => `${key}="${value.replace(/["\\\n]/g, '_')}"`).join(',');
    const family = families.get(gauge.name) ?? { help: gauge.help, lines: [] };
    family.lines.push(`${gauge.name}${text === '' ? '' : `{${text}}`} ${Number.isFinite(gauge.value) ? gauge.value : 0}`);
    families.set(gauge.name, family);
  }
  return [...families].map(([name, family]) => `# HELP ${name} ${family.help}\n# TYPE ${name} gauge\n${family.lines.join('\n')}\n`).join('');
}
