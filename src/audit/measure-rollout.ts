import { OptionsError } from '../errors.js';
import { profileRules } from '../rules/profile-rules.js';
import type { AnswerKind, ProfileRules } from '../rules/types.js';
import type { RewardProfile, Span } from '../types.js';
import { VARIANTS_BY_ID } from '../variants/registry.js';
import type { BuiltinVariant } from '../variants/types.js';
import type { AuditOptions } from './options.js';
import type { AuditPart, AuditRollout } from './types.js';
import { validTarget } from './valid-target.js';

/** How a rollout's reward is (re-)computed: a profile's four parts with weights, or a built-in variant. */
export interface AuditScoring {
  /** `ra-rft` (default) or `strict`: how answers, spans and parts are read. */
  profile?: RewardProfile | undefined;
  /** Weights of the total (default 1 each), as `raRftRewardBatch` takes them. */
  weights?: Partial<Record<AuditPart, number>> | undefined;
  /** A built-in variant id: the total is that variant's score (its format and IoU parts replace the profile's). */
  variant?: string | undefined;
  /** The chat template opened `<think>`: prepend it before the format check. */
  thinkPrefilled?: boolean | undefined;
}

/** What the audit reads off one rollout; null where the dump does not tell. */
export interface RolloutMeasure {
  /** The reward the detectors see: logged (or replayed) total, else the re-computed one when complete. */
  total: number | null;
  /** The parts the detectors see (logged, else re-computed), unweighted. */
  parts: Partial<Record<AuditPart, number>>;
  /** Weighted parts, for the variance decomposition. */
  weighted: Partial<Record<AuditPart, number>>;
  relevant: boolean | null;
  kind: AnswerKind | null;
  span: Span | null;
  duration: number | null;
  coverage: number | null;
  pinned: boolean | null;
  gtPinned: boolean | null;
  outOfVideo: boolean | null;
  length: number | null;
  /** On irrelevant queries: the correction repeats the asked query (`echo`), says something else, or nothing. */
  correction: 'echo' | 'other' | null;
  /** Largest |logged − re-computed| over what could be checked; null when nothing could. */
  mismatch: number | null;
  /** Answered right: a refusal of an irrelevant query, a span of IoU ≥ curate.iou on a relevant one. */
  right: boolean | null;
  formatOnly: boolean | null;
}

/** The resolved scoring of {@link measureRollout}: built once per audit. */
export interface AuditScorer {
  readonly rules: ProfileRules;
  readonly weights: Record<AuditPart, number>;
  readonly variant: BuiltinVariant | null;
  readonly thinkPrefilled: boolean;
  /** Is the re-computed total of this scorer the one to compare the logged score with (`check`), or a replay? */
  readonly replay: boolean;
}

const PARTS: readonly AuditPart[] = ['format', 'refuseIoU', 'explain', 'correction'];

/**
 * Resolves an {@link AuditScoring}; throws an OptionsError for an unknown variant, a variant that needs
 * extras a dump does not hold, or a weight that is not a part.
 *
 * @example
 * auditScorer({ variant: 'tvg-r1' }, true).variant?.id; // => 'tvg-r1'
 * auditScorer({ weights: { explain: 0.5 } }, false).weights; // => { format: 1, refuseIoU: 1, explain: 0.5, correction: 1 }
 */
export function auditScorer(scoring: AuditScoring | undefined, replay: boolean): AuditScorer {
  const weights: Record<AuditPart, number> = { format: 1, refuseIoU: 1, explain: 1, correction: 1 };
  for (const [key, value] of Object.entries(scoring?.weights ?? {})) {
    if (!(PARTS as readonly string[]).includes(key)) throw new OptionsError('audit', `weights.${key}`, `is not a reward part (${PARTS.join(', ')})`);
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new OptionsError('audit', `weights.${key}`, 'must be a finite number');
    weights[key as AuditPart] = value;
  }
  let variant: BuiltinVariant | null = null;
  if (scoring?.variant !== undefined) {
    variant = VARIANTS_BY_ID.get(scoring.variant) ?? null;
    if (variant === null) throw new OptionsError('audit', 'variant', `is not a built-in variant (${[...VARIANTS_BY_ID.keys()].join(', ')})`);
    if (variant.extras.length > 0) throw new OptionsError('audit', 'variant', `${variant.id} needs inputs a rollout dump does not hold (${variant.extras.map((e) => e.name).join(', ')})`);
  }
  return { rules: profileRules('audit', scoring?.profile), weights, variant, thinkPrefilled: scoring?.thinkPrefilled === true, replay };
}

const WORD = /[\p{L}\p{N}]+/gu;
function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

let lastPrompt: string | null = null;
let lastPromptWords = '';
function promptWords(prompt: string): string {
  if (prompt !== lastPrompt) {
    lastPrompt = prompt;
    lastPromptWords = ` ${words(prompt).join(' ')} `;
  }
  return lastPromptWords;
}

function iou(a: Span, b: Span): number {
  const inter = Math.min(a[1], b[1]) - Math.max(a[0], b[0]);
  const union = Math.max(a[1], b[1]) - Math.min(a[0], b[0]);
  return inter <= 0 || union <= 0 ? 0 : inter / union;
}

/**
 * Reads one rollout: its answer kind and span (under the scorer's profile), the span's coverage of the video,
 * whether it is pinned to an end or runs past it, its parts and total, whether the logged values match what
 * this library computes, and whether a correction repeats the asked query. Pure; no embedder: explain and
 * correction are the logged ones, or the rollout's `embedded` values (`audit --embedder`), which are also
 * checked against the logged ones.
 *
 * @example
 * const m = measureRollout({ step: 1, group: 'g', completion: '<think>x</think><answer>0 to 30</answer><correction>NIL</correction>', target: { relevant: true, span: [4, 9], duration: 30 }, score: 1.5 }, auditScorer({}, false), parseAuditOptions({}));
 * [m.kind, m.coverage, m.pinned, m.parts.format]; // => ['span', 1, true, 1]
 */
export function measureRollout(rollout: AuditRollout, scorer: AuditScorer, options: AuditOptions): RolloutMeasure {
  const { rules, weights, variant } = scorer;
  const completion = typeof rollout.completion === 'string' ? rollout.completion : null;
  const target = validTarget(rollout.target);
  const relevant = target !== null ? target.relevant : typeof rollout.relevant === 'boolean' ? rollout.relevant : null;
  const logged = rollout.parts ?? {};

  let kind: AnswerKind | null = rollout.answer ?? null;
  let span: Span | null = null;
  let answer: string | null = null;
  if (completion !== null) {
    answer = rules.answer(completion);
    kind = answer === null ? 'none' : rules.classify(answer, rules.minRefusalWords);
    if (kind === 'span' && answer !== null) span = rules.span(answer);
  }

  // Re-computed parts: format and refuseIoU under the profile (or the variant's format and IoU).
  const computed: Partial<Record<AuditPart, number>> = {};
  let computedTotal: number | null = null;
  if (completion !== null) {
    if (variant !== null) {
      if (target !== null) {
        const parts = variant.parts(completion, target);
        if (parts.format !== null) computed.format = parts.format;
        if (parts.iou !== null) computed.refuseIoU = parts.iou;
        computedTotal = parts.total;
      }
    } else {
      computed.format = rules.isFormat(scorer.thinkPrefilled ? `<think>${completion}` : completion) ? 1 : 0;
      if (target !== null) computed.refuseIoU = rules.refuseIoU(completion, target, rules.minRefusalWords);
      const embedded = rollout.embedded;
      if (embedded !== undefined) {
        if (embedded.explain !== undefined) computed.explain = embedded.explain;
        if (embedded.correction !== undefined) computed.correction = embedded.correction;
      }
    }
  }

  const parts: Partial<Record<AuditPart, number>> = {};
  let mismatch: number | null = null;
  const compare = (a: number, b: number) => {
    const diff = Math.abs(a - b);
    mismatch = mismatch === null ? diff : Math.max(mismatch, diff);
  };
  for (const part of PARTS) {
    const mine = computed[part];
    const theirs = logged[part];
    if (scorer.replay) {
      // A replay replaces what it computes and keeps the logged embedding parts unless re-embedded (a variant has none).
      const value = mine ?? (variant === null ? theirs : undefined);
      if (value !== undefined) parts[part] = value;
    } else {
      if (theirs !== undefined && mine !== undefined) compare(theirs, mine);
      const value = theirs ?? mine;
      if (value !== undefined) parts[part] = value;
    }
  }
  if (variant === null) {
    const complete = PARTS.every((part) => parts[part] !== undefined);
    if (complete) computedTotal = PARTS.reduce((sum, part) => sum + weights[part] * (parts[part] as number), 0);
  }
  const loggedScore = typeof rollout.score === 'number' && Number.isFinite(rollout.score) ? rollout.score : null;
  let total: number | null;
  if (scorer.replay) total = computedTotal;
  else {
    if (loggedScore !== null && computedTotal !== null && (variant !== null || completion !== null)) compare(loggedScore, computedTotal);
    total = loggedScore ?? computedTotal;
  }
  const weighted: Partial<Record<AuditPart, number>> = {};
  for (const part of PARTS) if (parts[part] !== undefined) weighted[part] = (variant === null ? weights[part] : 1) * (parts[part] as number);

  const duration = target !== null && typeof target.duration === 'number' ? target.duration : null;
  let coverage: number | null = null;
  let pinned: boolean | null = null;
  let outOfVideo: boolean | null = null;
  if (span !== null && duration !== null) {
    const tol = options['boundary-snap'].tolerance * duration;
    coverage = Math.min(1, Math.max(0, (Math.min(span[1], duration) - Math.max(span[0], 0)) / duration));
    pinned = span[0] <= tol || Math.abs(span[1] - duration) <= tol;
    outOfVideo = span[1] > duration + 1e-9 || span[0] > duration;
  }
  let gtPinned: boolean | null = null;
  if (target !== null && target.relevant && target.span !== undefined && duration !== null) {
    const tol = options['boundary-snap'].tolerance * duration;
    gtPinned = target.span[0] <= tol || Math.abs(target.span[1] - duration) <= tol;
  }

  let correction: 'echo' | 'other' | null = null;
  if (completion !== null && relevant === false && typeof rollout.prompt === 'string') {
    const text = rules.correction(completion);
    if (text !== null && !rules.isNil(text)) {
      const said = words(text);
      correction = said.length >= options['correction-echoes-query'].minWords && promptWords(rollout.prompt).includes(` ${said.join(' ')} `) ? 'echo' : 'other';
    }
  }

  let right: boolean | null = null;
  if (relevant === false && kind !== null) right = kind === 'refusal';
  else if (relevant === true && kind !== null) right = kind === 'span' && span !== null && target?.span !== undefined && iou(span, target.span) >= options.curate.iou;

  const floor = options['format-only'].floor;
  let formatOnly: boolean | null = null;
  if (parts.format !== undefined && parts.refuseIoU !== undefined) {
    formatOnly = parts.format > floor && PARTS.every((part) => part === 'format' || parts[part] === undefined || (parts[part] as number) <= floor);
  }

  return {
    total,
    parts,
    weighted,
    relevant,
    kind,
    span,
    duration,
    coverage,
    pinned,
    gtPinned,
    outOfVideo,
    length: completion === null ? null : completion.length,
    correction,
    mismatch,
    right,
    formatOnly,
  };
}
