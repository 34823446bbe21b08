// Reading rollout files in the playground: one JSONL line to a row, and the running statistics of many
// rows (groups by prompt, per-part distributions, best and worst completions). Pure; the Web Worker
// (worker/rollouts-worker.ts) streams the file through it.
import { type RaRftTarget, hiVtgTargets, raRftRewardTargetSchema } from '../index.js';
import { loggedText } from '../internal/logged-text.js';

/** The parts the rollouts panel plots. */
export const ROLLOUT_PARTS = ['total', 'format', 'refuseIoU', 'explain', 'correction'] as const;
/** One of {@link ROLLOUT_PARTS}. */
export type RolloutPart = (typeof ROLLOUT_PARTS)[number];
/** Reward parts of one completion. */
export type RolloutParts = Record<RolloutPart, number>;

/** One line read: already scored (a `score` output line), to be scored, or an error. */
export type RolloutLine =
  | { kind: 'scored'; group: string; label: string; parts: RolloutParts }
  | { kind: 'to-score'; items: { group: string; label: string; completion: string; target: RaRftTarget }[] }
  | { kind: 'error'; message: string };

function promptKey(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const users = value.filter((m: { role?: unknown }) => m?.role === 'user') as { content?: unknown }[];
    const content = users[users.length - 1]?.content;
    return typeof content === 'string' ? content : JSON.stringify(value);
  }
  return undefined;
}

function issues(list: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return list.map((issue) => `${issue.path.map(String).join('.') || '(root)'} ${issue.message}`).join('; ');
}

function scoredParts(row: Record<string, unknown>): RolloutParts | null {
  const parts = {} as RolloutParts;
  for (const part of ROLLOUT_PARTS) {
    const value = row[part];
    if (typeof value !== 'number' || !Number.isFinite(value)) return null;
    parts[part] = value;
  }
  return parts;
}

/**
 * Reads one JSONL line of a rollouts file:
 * - a `ra-rft-rewards score` output line (`total`, `format`, `refuseIoU`, `explain`, `correction`): grouped by `id`;
 * - a `score` input line or a TRL-style log row (`completion` as text or chat messages, `target`, optional
 *   `prompt`): grouped by prompt, else by `id`, else by target;
 * - a HI-VTG item with `completions` (the `score` input form): grouped by item and query kind.
 *
 * @example
 * readRolloutLine('{"id": "a", "total": 2, "format": 1, "refuseIoU": 1, "explain": 0, "correction": 0}', 1).kind; // => 'scored'
 * readRolloutLine('nope', 2); // => { kind: 'error', message: 'line 2: invalid JSON' }
 */
export function readRolloutLine(line: string, number: number): RolloutLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { kind: 'error', message: `line ${number}: invalid JSON` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { kind: 'error', message: `line ${number}: expected a JSON object` };
  const row = value as Record<string, unknown>;
  const label = row.id === undefined ? `line ${number}` : `line ${number} (id ${JSON.stringify(row.id)})`;
  if (!('completion' in row) && !('completions' in row)) {
    const parts = scoredParts(row);
    if (parts === null) return { kind: 'error', message: `line ${number}: expected a score output line, {"completion", "target"} or a HI-VTG item with "completions"` };
    return { kind: 'scored', group: row.id === undefined ? '(no id)' : JSON.stringify(row.id), label, parts };
  }
  if ('completions' in row && 'GRPO' in row) return hiVtgLine(row, number);
  const completion = loggedText(row.completion);
  if (completion === undefined) return { kind: 'error', message: `line ${number}: completion must be a string or chat messages` };
  const target = raRftRewardTargetSchema.safeParse(row.target);
  if (!target.success) return { kind: 'error', message: `line ${number}: target: ${issues(target.error.issues)}` };
  const group = promptKey(row.prompt) ?? (row.id === undefined ? JSON.stringify(target.data) : JSON.stringify(row.id));
  return { kind: 'to-score', items: [{ group, label, completion, target: target.data as RaRftTarget }] };
}

function hiVtgLine(row: Record<string, unknown>, number: number): RolloutLine {
  let targets;
  try {
    targets = hiVtgTargets(row);
  } catch (error) {
    return { kind: 'error', message: `line ${number}: ${(error as Error).message}` };
  }
  const completions = row.completions as Partial<Record<'relevant' | 'irrelevant', unknown>>;
  const items: { group: string; label: string; completion: string; target: RaRftTarget }[] = [];
  for (const kind of ['relevant', 'irrelevant'] as const) {
    const list = completions?.[kind];
    const target = targets[kind];
    if (!Array.isArray(list) || target === undefined) continue;
    list.forEach((completion, index) => {
      if (typeof completion === 'string') items.push({ group: targets.queries[kind] ?? `line ${number} ${kind}`, label: `line ${number} ${kind}[${index}]`, completion, target });
    });
  }
  return { kind: 'to-score', items };
}

/** A completion kept for the best/worst lists. */
export interface RankedRollout {
  total: number;
  group: string;
  label: string;
  completion?: string | undefined;
}

/** Statistics of one prompt group. */
export interface RolloutGroup {
  group: string;
  count: number;
  mean: number;
  std: number;
  zeroVariance: boolean;
}

/** Histogram bins of one part: `[start, end)` and the count (the last bin includes its end). */
export interface HistogramBin {
  part: RolloutPart;
  start: number;
  end: number;
  count: number;
}

/** What the rollouts panel shows. */
export interface RolloutSummary {
  rows: number;
  errors: number;
  firstErrors: string[];
  groupCount: number;
  zeroVarianceGroups: number;
  /** The groups with the most completions, at most 200. */
  groups: RolloutGroup[];
  means: RolloutParts;
  histograms: HistogramBin[];
  best: RankedRollout[];
  worst: RankedRollout[];
}

class Column {
  values = new Float64Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
}

/** Running statistics of scored rollouts: memory grows by 40 bytes a row plus one entry per group. */
export class RolloutStats {
  private readonly columns = Object.fromEntries(ROLLOUT_PARTS.map((part) => [part, new Column()])) as Record<RolloutPart, Column>;
  private readonly groups = new Map<string, { count: number; sum: number; squares: number; min: number; max: number }>();
  private best: RankedRollout[] = [];
  private worst: RankedRollout[] = [];
  private errors = 0;
  private readonly firstErrors: string[] = [];

  constructor(private readonly keep = 5) {}

  /** Rows added and lines that could not be read, so far (cheap, for progress). */
  get counts(): { rows: number; errors: number } {
    return { rows: this.columns.total.length, errors: this.errors };
  }

  /** Counts a line that could not be read. */
  error(message: string): void {
    this.errors++;
    if (this.firstErrors.length < 5) this.firstErrors.push(message);
  }

  /** Adds one scored completion. */
  add(group: string, label: string, parts: RolloutParts, completion?: string): void {
    for (const part of ROLLOUT_PARTS) this.columns[part].push(parts[part]);
    const stats = this.groups.get(group) ?? { count: 0, sum: 0, squares: 0, min: Infinity, max: -Infinity };
    stats.count++;
    stats.sum += parts.total;
    stats.squares += parts.total * parts.total;
    stats.min = Math.min(stats.min, parts.total);
    stats.max = Math.max(stats.max, parts.total);
    this.groups.set(group, stats);
    const entry: RankedRollout = { total: parts.total, group, label, completion };
    this.best = rank(this.best, entry, (a, b) => b.total - a.total, this.keep);
    this.worst = rank(this.worst, entry, (a, b) => a.total - b.total, this.keep);
  }

  /** The summary so far, with `bins` histogram bins per part. */
  summary(bins = 30): RolloutSummary {
    const rows = this.columns.total.length;
    const means = {} as RolloutParts;
    const histograms: HistogramBin[] = [];
    for (const part of ROLLOUT_PARTS) {
      const { values, length } = this.columns[part];
      let sum = 0;
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < length; i++) {
        const value = values[i] as number;
        sum += value;
        if (value < min) min = value;
        if (value > max) max = value;
      }
      means[part] = length === 0 ? Number.NaN : sum / length;
      if (length === 0) continue;
      const width = max > min ? (max - min) / bins : 1;
      const counts = new Array<number>(max > min ? bins : 1).fill(0);
      for (let i = 0; i < length; i++) counts[Math.min(counts.length - 1, Math.floor(((values[i] as number) - min) / width))]!++;
      counts.forEach((count, i) => histograms.push({ part, start: min + i * width, end: min + (i + 1) * width, count }));
    }
    const groups = [...this.groups.entries()].map(([group, s]): RolloutGroup => {
      const mean = s.sum / s.count;
      const variance = s.count > 1 ? Math.max(0, (s.squares - s.count * mean * mean) / (s.count - 1)) : 0;
      return { group, count: s.count, mean, std: Math.sqrt(variance), zeroVariance: s.count > 1 && s.min === s.max };
    });
    return {
      rows,
      errors: this.errors,
      firstErrors: [...this.firstErrors],
      groupCount: groups.length,
      zeroVarianceGroups: groups.filter((g) => g.zeroVariance).length,
      groups: groups.sort((a, b) => b.count - a.count || a.group.localeCompare(b.group)).slice(0, 200),
      means,
      histograms,
      best: [...this.best],
      worst: [...this.worst],
    };
  }
}

function rank(list: RankedRollout[], entry: RankedRollout, order: (a: RankedRollout, b: RankedRollout) => number, keep: number): RankedRollout[] {
  if (list.length >= keep && order(entry, list[list.length - 1] as RankedRollout) >= 0) return list;
  const next = [...list, entry].sort(order);
  return next.slice(0, keep);
}
