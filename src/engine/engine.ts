// The engine behind the Python package and the server's /v1/rpc: one request in, one JSON-able answer out.
// Requests are validated with zod here, at the edge; the rewards below stay pure.
import { z } from 'zod';
import { RaRftError, TargetError, isRaRftError } from '../errors.js';
import { endTokenStripper } from '../format/end-token-stripper.js';
import { formatReward } from '../format/format-reward.js';
import { refuseIoU } from '../grounding/refuse-iou.js';
import { raRftRewardTargetSchema, nullAsAbsent } from '../data/target-schema.js';
import { RA_RFT_PARTS, type RaRftPart } from '../internal/reward-parts.js';
import { EMBEDDER_CHOICES } from '../internal/embedder-choice.js';
import { issuePath } from '../internal/zod-issues.js';
import { type RaRftRewardResult, raRftRewardBatch } from '../profiles/ra-rft-reward.js';
import { responseOf } from './response.js';
import { UNIT_SCORE_SOURCES, unitScore } from './unit-score.js';
import type { Embedder, RaRftTarget } from '../types.js';
import { ENGINE_FUNCTIONS } from './functions.js';
import type { OnlineAudit, ScoredRow } from './online-audit.js';
import { VARIANTS, VARIANTS_BY_ID } from '../variants/registry.js';

/** One problem with a request or a row: where it is and what is wrong. */
export interface EngineIssue {
  path: string;
  message: string;
}

/** What a failed request answers: the error's class, where and what, and every issue found. */
export interface EngineErrorBody {
  type: string;
  message: string;
  fn?: string;
  field?: string;
  issues?: EngineIssue[];
}

/** A request the engine refuses: bad input (`BadRequest`) or a library error, with every issue. */
export class EngineRequestError extends Error {
  override name = 'EngineRequestError';
  constructor(
    readonly body: EngineErrorBody,
  ) {
    super(body.message);
  }
}

/** Options of {@link createEngine}. */
export interface EngineOptions {
  /**
   * Resolves an embedder by name (`auto`, `use-lite`, `trigram`, …). The stdio engine resolves any of
   * {@link EMBEDDER_CHOICES} once and keeps it; a server passes its one embedder and refuses the others.
   */
  embedder: (name: string | undefined) => Promise<{ embedder: Embedder; name: string }>;
  /** Defaults for `score` requests that do not say (a server's `--profile`, `--weights`…). */
  defaults?: { profile?: 'ra-rft' | 'strict' | undefined; weights?: Partial<Record<RaRftPart, number>> | undefined; thinkPrefilled?: boolean | undefined; endTokens?: readonly string[] | false | undefined } | undefined;
  /** The engine's version, for `hello`. */
  version: string;
  /** The audit detectors over what this engine scores; findings that begin to fire come back with the answer. */
  audit?: OnlineAudit | undefined;
}

const SCORE_PARTS = RA_RFT_PARTS;
const partSchema = z.enum(SCORE_PARTS as unknown as [RaRftPart, ...RaRftPart[]]);
const commonScore = {
  profile: z.enum(['ra-rft', 'strict']).optional(),
  weights: z.partialRecord(partSchema, z.number().finite()).optional(),
  embedder: z.string().min(1).optional(),
  parts: z.array(partSchema).min(1).optional(),
  thinkPrefilled: z.boolean().optional(),
  endTokens: z.union([z.literal(false), z.array(z.string().min(1))]).optional(),
  unit: z.enum(UNIT_SCORE_SOURCES as unknown as [string, ...string[]]).optional(),
  onError: z.enum(['raise', 'null']).optional(),
  // The trainer's step, for the online audit's windows (TRL's trainer_state.global_step…).
  step: z.number().int().nonnegative().optional(),
};

const requestSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('hello') }),
  z.object({
    op: z.literal('score'),
    completions: z.array(z.string()),
    targets: z.array(z.unknown()),
    // Row i's target is targets[targetIndex[i]]: a GRPO batch sends each prompt's target once, not G times.
    // Integers in range: checked in one loop with the lengths (zod's per-element int check costs more than scoring).
    targetIndex: z.array(z.number()).optional(),
    ...commonScore,
  }),
  z.object({ op: z.literal('getReward'), query: z.array(z.string()), prompts: z.array(z.string()).nullish(), labels: z.array(z.unknown()), ...commonScore }),
  z.object({
    op: z.literal('variant'),
    variant: z.string(),
    completions: z.array(z.string()),
    targets: z.array(z.unknown()),
    targetIndex: z.array(z.number()).optional(),
    // Extra inputs by name: for a per-sample input one value per completion, for a group input one per group.
    extras: z.record(z.string(), z.array(z.unknown())).optional(),
    groupSize: z.number().int().positive().optional(),
    onError: z.enum(['raise', 'null']).optional(),
  }),
  z.object({
    op: z.literal('call'),
    fn: z.string(),
    items: z.array(z.array(z.unknown())),
    options: z.record(z.string(), z.unknown()).optional(),
    embedder: z.string().min(1).optional(),
    onError: z.enum(['raise', 'null']).optional(),
  }),
]);

/** The parts a score request computes: all four unless it names some. */
export type EngineRequest = z.infer<typeof requestSchema>;

function zodIssues(error: z.ZodError, prefix = ''): EngineIssue[] {
  return error.issues.map((issue) => ({ path: issuePath(prefix, issue.path), message: issue.message }));
}

function badRequest(issues: EngineIssue[]): EngineRequestError {
  const first = issues[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new EngineRequestError({ type: 'BadRequest', message: `${first ? `${first.path}: ${first.message}` : 'invalid request'}${more}`, issues });
}

/** A library error from row `row`: its field named as the row's (`target.span` → `targets[3].span`). */
function rowIssue(error: unknown, row: number, list: string): EngineIssue {
  if (error instanceof RaRftError || isRaRftError(error)) {
    const { field, fn } = error as RaRftError;
    const path = field.startsWith('target') ? `${list}[${row}]${field.slice('target'.length)}` : `${list}[${row}] ${field}`;
    return { path, message: error.message.slice(`${fn}: ${field} `.length) };
  }
  throw error;
}

/** The error body of anything a request threw. */
export function errorBody(error: unknown): EngineErrorBody {
  if (error instanceof EngineRequestError) return error.body;
  if (isRaRftError(error)) {
    const e = error as RaRftError;
    return { type: e.name, message: e.message, fn: e.fn, field: e.field };
  }
  return { type: 'InternalError', message: error instanceof Error ? error.message : String(error) };
}

function parseTarget(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return Symbol.for('not-json');
  }
}

/**
 * Checks each target; returns the usable ones by row and the issues of the rest. The light check (format and
 * refuseIoU only) is the library's own; the full reward also needs `answer` and `contrast` (the zod schema).
 */
function checkTargets(raw: readonly unknown[], list: string, full: boolean): { targets: (RaRftTarget | null)[]; issues: EngineIssue[] } {
  const issues: EngineIssue[] = [];
  const targets = raw.map((value, row): RaRftTarget | null => {
    const parsed = parseTarget(value);
    if (typeof parsed === 'symbol') {
      issues.push({ path: `${list}[${row}]`, message: 'is not a JSON target' });
      return null;
    }
    if (full) {
      const result = raRftRewardTargetSchema.safeParse(parsed);
      if (!result.success) {
        issues.push(...zodIssues(result.error, `${list}[${row}]`));
        return null;
      }
      return result.data as RaRftTarget;
    }
    const target = nullAsAbsent(parsed) as RaRftTarget;
    try {
      refuseIoU('', target);
      return target;
    } catch (error) {
      issues.push(rowIssue(error, row, list));
      return null;
    }
  });
  return { targets, issues };
}

/**
 * The target of each of `rows` rows: `raw[i]` for row i, or `raw[targetIndex[i]]` when the request sends each
 * distinct target once. Each distinct target is checked once; its issues are told at the first row that uses it.
 */
function rowTargets(raw: readonly unknown[], targetIndex: readonly number[] | undefined, rows: number, list: string, full: boolean): { targets: (RaRftTarget | null)[]; issues: EngineIssue[] } {
  if (targetIndex === undefined) {
    if (raw.length !== rows) throw badRequest([{ path: list, message: `has ${raw.length} entries for ${rows} completions` }]);
    return checkTargets(raw, list, full);
  }
  if (targetIndex.length !== rows) throw badRequest([{ path: 'targetIndex', message: `has ${targetIndex.length} entries for ${rows} completions` }]);
  const bad = targetIndex.findIndex((k) => !Number.isInteger(k) || k < 0 || k >= raw.length);
  if (bad !== -1) throw badRequest([{ path: `targetIndex[${bad}]`, message: `must be an index into targets (0 to ${raw.length - 1}), got ${targetIndex[bad]}` }]);
  const checked = checkTargets(raw, list, full);
  const firstRow = new Map<number, number>();
  targetIndex.forEach((k, row) => firstRow.has(k) || firstRow.set(k, row));
  const issues = checked.issues.map((issue) => {
    const k = Number(/^\w+\[(\d+)\]/.exec(issue.path)?.[1]);
    return { ...issue, path: issue.path.replace(/^(\w+)\[\d+\]/, `$1[${firstRow.get(k) ?? k}]`) };
  });
  return { targets: targetIndex.map((k) => checked.targets[k] ?? null), issues };
}

/** A column of numbers, `null` where a row was not scored. */
type Column = (number | null)[];

/**
 * Creates the engine: `handle(request)` answers one request object (see the protocol in docs/integration.md):
 * - `{op: 'hello'}` → version, node, pid, the callable functions and the embedders;
 * - `{op: 'score', completions, targets, profile?, weights?, embedder?, parts?, …}` → `{columns, embedder, errors}`:
 *   one column per part asked (all four by default) plus `total`, `explainAndCorrection` and `unit`;
 * - `{op: 'getReward', query, prompts?, labels, …}` → OpenRLHF's `{rewards, scores, extra_logs}`;
 * - `{op: 'call', fn, items, options?, embedder?}` → `{results}`: the named library function on each item;
 * - `{op: 'variant', variant, completions, targets, extras?, groupSize?}` → `{scores, format, iou}`: a built-in
 *   variant of the registry, its extra inputs passed by name (one value per completion, or per group).
 * A bad row raises an error naming it (`targets[3].span`), or gives `null` with `onError: 'null'`.
 */
export function createEngine(options: EngineOptions) {
  const defaults = options.defaults ?? {};

  /** Feeds the online audit; the findings that began to fire go back to the caller (`audit`). */
  function watch(request: { step?: number | undefined }, completions: readonly string[], targets: readonly (RaRftTarget | null)[], strip: (text: string) => string, columns: Record<string, Column>) {
    if (options.audit === undefined) return {};
    options.audit.enqueue(
      completions.length,
      (row) => targets[row],
      (row, target) => {
        const total = columns.total?.[row];
        if (total == null) return null;
        const parts: ScoredRow['parts'] = {};
        for (const part of SCORE_PARTS) {
          const value = columns[part]?.[row];
          if (value != null) parts[part] = value;
        }
        return { completion: strip(completions[row] as string), target, total, parts };
      },
      request.step,
    );
    // Audited after this answer is written; what began to fire so far goes back now (one call late at most).
    const fresh = options.audit.take();
    return fresh.length === 0 ? {} : { audit: fresh.map(({ detector, step, severity, message }) => ({ detector, step, severity, message })) };
  }

  async function score(
    request: Extract<EngineRequest, { op: 'score' | 'getReward' }>,
    completions: readonly string[],
    rawTargets: readonly unknown[],
    list: string,
    targetIndex?: readonly number[],
  ) {
    const parts = request.parts ?? SCORE_PARTS;
    const full = parts.includes('explain') || parts.includes('correction');
    const { targets, issues } = rowTargets(rawTargets, targetIndex, completions.length, list, full);
    if (issues.length > 0 && request.onError !== 'null') throw badRequest(issues);
    const profile = request.profile ?? defaults.profile;
    const weights = request.weights ?? defaults.weights;
    const thinkPrefilled = request.thinkPrefilled ?? defaults.thinkPrefilled ?? false;
    const strip = endTokenStripper(request.endTokens ?? defaults.endTokens);
    const n = completions.length;
    const column = (): Column => new Array<number | null>(n).fill(null);
    if (!full) {
      // Format and refuseIoU alone need no embedder and no reference texts: one loop, no per-row objects.
      const w = { format: weights?.format ?? 1, refuseIoU: weights?.refuseIoU ?? 1 };
      const formatOptions = { profile, thinkPrefilled };
      const iouOptions = { profile };
      const withFormat = parts.includes('format');
      const withIoU = parts.includes('refuseIoU');
      const total = column();
      const format = column();
      const iou = column();
      for (let row = 0; row < n; row++) {
        const target = targets[row];
        if (target == null) continue;
        const text = strip(completions[row] as string);
        const f = withFormat ? formatReward(text, formatOptions) : 0;
        const r = withIoU ? refuseIoU(text, target, iouOptions) : 0;
        total[row] = w.format * f + w.refuseIoU * r;
        if (withFormat) format[row] = f;
        if (withIoU) iou[row] = r;
      }
      const columns: Record<string, Column> = { total };
      if (withFormat) columns.format = format;
      if (withIoU) columns.refuseIoU = iou;
      return { columns, unit: null, embedder: null, errors: issues, ...watch(request, completions, targets, strip, columns) };
    }
    const rows: number[] = [];
    for (let row = 0; row < n; row++) if (targets[row] != null) rows.push(row);
    const texts = rows.map((row) => strip(completions[row] as string));
    const okTargets = rows.map((row) => targets[row] as RaRftTarget);
    const { embedder, name: embedderName } = await options.embedder(request.embedder);
    const results = await raRftRewardBatch(texts, okTargets, { embedder, profile, weights, thinkPrefilled });
    const toUnit = unitScore((request.unit ?? 'normalized') as never, weights);
    const names = ['total', ...parts, ...(parts.includes('explain') && parts.includes('correction') ? (['explainAndCorrection'] as const) : [])] as const;
    const columns: Record<string, Column> = {};
    for (const name of names) columns[name] = column();
    const unit = column();
    rows.forEach((row, k) => {
      const result = results[k] as RaRftRewardResult;
      for (const name of names) (columns[name] as Column)[row] = result[name];
      unit[row] = toUnit(result);
    });
    return { columns, unit, embedder: embedderName, errors: issues, ...watch(request, completions, targets, strip, columns) };
  }

  async function call(request: Extract<EngineRequest, { op: 'call' }>) {
    const fn = ENGINE_FUNCTIONS[request.fn];
    if (fn === undefined) throw badRequest([{ path: 'fn', message: `is not a function of the engine (${Object.keys(ENGINE_FUNCTIONS).join(', ')})` }]);
    const callOptions: Record<string, unknown> = { ...(request.options ?? {}) };
    let embedderName: string | null = null;
    if (fn.embedder === true && !(request.fn === 'queryCorrection' && callOptions.metric === 'levenshtein')) {
      const resolved = await options.embedder(request.embedder);
      callOptions.embedder = resolved.embedder;
      embedderName = resolved.name;
    }
    const issues: EngineIssue[] = [];
    const list = fn.kind === 'value' ? 'items' : 'targets';
    const results = await Promise.all(
      request.items.map(async (raw, row) => {
        const item = fn.kind === 'completion-target' ? [raw[0], nullAsAbsent(parseTarget(raw[1]))] : raw;
        if (fn.kind !== 'value' && typeof item[0] !== 'string') {
          issues.push({ path: `completions[${row}]`, message: `must be a string, got ${item[0] === null ? 'null' : typeof item[0]}` });
          return null;
        }
        try {
          return await fn.run(item, callOptions);
        } catch (error) {
          if (!isRaRftError(error)) throw error;
          const e = error as RaRftError;
          // Option errors are the request's, not the row's: they fail the whole call.
          if (!(e instanceof TargetError) && e.name !== 'TargetError') throw error;
          issues.push(rowIssue(error, row, list));
          return null;
        }
      }),
    );
    if (issues.length > 0 && request.onError !== 'null') throw badRequest(issues);
    return { results, embedder: embedderName, errors: issues };
  }

  async function variant(request: Extract<EngineRequest, { op: 'variant' }>) {
    const descriptor = VARIANTS_BY_ID.get(request.variant);
    if (descriptor === undefined) throw badRequest([{ path: 'variant', message: `is not a built-in variant (${VARIANTS.map((v) => v.id).join(', ')})` }]);
    const n = request.completions.length;
    const { targets, issues } = rowTargets(request.targets, request.targetIndex, n, 'targets', false);
    if (issues.length > 0 && request.onError !== 'null') throw badRequest(issues);
    const targetOf = (row: number) => targets[row] ?? null;
    const known = new Map(descriptor.extras.map((extra) => [extra.name, extra]));
    const extras = request.extras ?? {};
    const groupSize = request.groupSize;
    for (const [name, values] of Object.entries(extras)) {
      const extra = known.get(name);
      if (extra === undefined) throw badRequest([{ path: `extras.${name}`, message: `is not an input of ${descriptor.id} (${[...known.keys()].join(', ') || 'it takes none'})` }]);
      const want = extra.scope === 'group' ? Math.ceil(n / (groupSize ?? n)) : n;
      if (values.length !== want) throw badRequest([{ path: `extras.${name}`, message: `has ${values.length} entries for ${want} ${extra.scope === 'group' ? 'groups' : 'completions'}` }]);
    }
    const scores: (number | null)[] = new Array<number | null>(n).fill(null);
    const format: (number | null)[] = new Array<number | null>(n).fill(null);
    const iou: (number | null)[] = new Array<number | null>(n).fill(null);
    if (descriptor.scoreGroup !== undefined) {
      if (groupSize === undefined) throw badRequest([{ path: 'groupSize', message: `is required: ${descriptor.id} scores a whole group at once` }]);
      if (n % groupSize !== 0) throw badRequest([{ path: 'groupSize', message: `is ${groupSize}, but ${n} completions do not make whole groups` }]);
      for (let g = 0; g * groupSize < n; g++) {
        const rows = Array.from({ length: groupSize }, (_, k) => g * groupSize + k);
        const target = targetOf(rows[0] as number);
        if (target === null || rows.some((row) => targetOf(row) === null)) continue;
        const groupExtras = Object.fromEntries(Object.entries(extras).map(([name, values]) => [name, values[g]]));
        const values = descriptor.scoreGroup(rows.map((row) => request.completions[row] as string), target, groupExtras);
        rows.forEach((row, k) => (scores[row] = values[k] ?? null));
      }
    } else {
      for (let row = 0; row < n; row++) {
        const target = targetOf(row);
        if (target === null) continue;
        const rowExtras = Object.fromEntries(Object.entries(extras).map(([name, values]) => [name, values[row]]));
        const parts = descriptor.parts(request.completions[row] as string, target, rowExtras);
        scores[row] = descriptor.score(request.completions[row] as string, target, rowExtras);
        format[row] = parts.format;
        iou[row] = parts.iou;
      }
    }
    return { variant: descriptor.id, scores, format: descriptor.scoreGroup === undefined ? format : null, iou: descriptor.scoreGroup === undefined ? iou : null, errors: issues };
  }

  return {
    /** Answers one request; throws {@link EngineRequestError} or a library error (see {@link errorBody}). */
    async handle(message: unknown): Promise<unknown> {
      const parsed = requestSchema.safeParse(message);
      if (!parsed.success) throw badRequest(zodIssues(parsed.error));
      const request = parsed.data;
      switch (request.op) {
        case 'hello':
          return {
            version: options.version,
            node: process.versions.node,
            pid: process.pid,
            functions: Object.keys(ENGINE_FUNCTIONS),
            embedders: EMBEDDER_CHOICES,
            variants: VARIANTS.map((v) => ({ id: v.id, name: v.name, group: v.scoreGroup !== undefined, extras: v.extras })),
          };
        case 'score':
          return score(request, request.completions, request.targets, 'targets', request.targetIndex);
        case 'getReward': {
          if (request.prompts != null && request.prompts.length !== request.query.length) {
            throw badRequest([{ path: 'prompts', message: `has ${request.prompts.length} entries for ${request.query.length} queries` }]);
          }
          const completions = request.query.map((q, i) => responseOf(q, request.prompts?.[i] ?? undefined).text);
          const out = await score(request, completions, request.labels, 'labels');
          const extraLogs = Object.fromEntries(Object.entries(out.columns).filter(([name]) => name !== 'total'));
          return { rewards: out.columns.total, scores: out.unit ?? out.columns.total, extra_logs: extraLogs, embedder: out.embedder, errors: out.errors, ...('audit' in out ? { audit: out.audit } : {}) };
        }
        case 'call':
          return call(request);
        case 'variant':
          return variant(request);
      }
    },
  };
}

/** The engine {@link createEngine} makes. */
export type Engine = ReturnType<typeof createEngine>;

