// The audit's thresholds, defined once: the TypeScript type, the CLI flags and their help, and the docs table
// (docs/audit.md) are all derived from this zod schema.
import { z } from 'zod';
import { OptionsError } from '../errors.js';
import { formatIssues } from '../internal/zod-issues.js';

const num = (value: number, min: number, max: number, description: string) => z.number().min(min).max(max).default(value).describe(description);
const int = (value: number, min: number, max: number, description: string) => z.number().int().min(min).max(max).default(value).describe(description);
const severity = (value: 'info' | 'warning' | 'error') => z.enum(['info', 'warning', 'error']).default(value).describe('severity of its finding: info | warning | error');

/** The detectors' ids, in report order. */
export const DETECTOR_IDS = [
  'refusal-collapse',
  'never-refuse',
  'whole-video-span',
  'boundary-snap',
  'span-out-of-video',
  'format-only',
  'zero-signal-groups',
  'part-dominance',
  'length-drift',
  'correction-echoes-query',
  'score-mismatch',
] as const;

/** A detector's stable id. */
export type DetectorId = (typeof DETECTOR_IDS)[number];

/**
 * Every option of the audit, with its default, range and description. Keys of the nested objects are detector
 * ids (their thresholds) and `curate` (the difficulty rule of `--curate`).
 */
export const auditOptionsSchema = z.strictObject({
  window: int(5, 1, 1000, 'sliding window, in steps, over which every rate is computed'),
  minSamples: int(16, 1, 1_000_000, 'fewest rollouts (or groups) a window needs before a rate is judged'),
  profile: z.enum(['ra-rft', 'strict']).default('ra-rft').describe('the profile the run was trained with: how answers, spans and parts are read and re-computed'),
  'refusal-collapse': z
    .strictObject({
      rate: num(0.5, 0, 1, 'relevant queries refused, share of the window, at or above which it fires'),
      rise: num(0.2, 0, 1, '... and at least this much above the first window (the run\'s own baseline)'),
      severity: severity('error'),
    })
    .prefault({}),
  'never-refuse': z
    .strictObject({
      rate: num(0.05, 0, 1, 'irrelevant queries refused, share of the window, at or below which it fires'),
      severity: severity('warning'),
    })
    .prefault({}),
  'whole-video-span': z
    .strictObject({
      coverage: num(0.9, 0, 1, 'a span covering at least this share of the video counts as whole-video'),
      rate: num(0.3, 0, 1, 'share of the window\'s spans that are whole-video at or above which it fires'),
      severity: severity('warning'),
    })
    .prefault({}),
  'boundary-snap': z
    .strictObject({
      tolerance: num(0.01, 0, 0.5, 'a span end within this share of the duration of 0 or of the duration is pinned'),
      excess: num(0.4, 0, 1, 'pinned share of predicted spans minus that of the ground-truth spans at or above which it fires'),
      severity: severity('warning'),
    })
    .prefault({}),
  'span-out-of-video': z
    .strictObject({
      rate: num(0.02, 0, 1, 'share of the window\'s spans ending past the duration at or above which it fires'),
      severity: severity('warning'),
    })
    .prefault({}),
  'format-only': z
    .strictObject({
      rate: num(0.5, 0, 1, 'share of rollouts paid by format alone (every other part at its floor) at or above which it fires'),
      floor: num(0, -10, 10, 'a part at or below this value is at its floor'),
      severity: severity('error'),
    })
    .prefault({}),
  'zero-signal-groups': z
    .strictObject({
      rate: num(0.6, 0, 1, 'share of the window\'s groups whose rewards have no spread at or above which it fires'),
      epsilon: num(1e-6, 0, 1, 'a group whose rewards span at most this range has no spread'),
      severity: severity('warning'),
    })
    .prefault({}),
  'part-dominance': z
    .strictObject({
      share: num(0.8, 0, 1, 'share of the within-group variance carried by format, explain or correction at or above which it fires (refuseIoU, the grounding signal, may dominate)'),
      severity: severity('warning'),
    })
    .prefault({}),
  'length-drift': z
    .strictObject({
      ratio: num(2, 1, 100, 'mean completion length over the first window\'s at or above which it fires (or at or below its inverse)'),
      severity: severity('warning'),
    })
    .prefault({}),
  'correction-echoes-query': z
    .strictObject({
      rate: num(0.3, 0, 1, 'share of the corrections on irrelevant queries that repeat the asked query at or above which it fires'),
      minWords: int(3, 1, 100, 'fewest words a correction needs to count as an echo'),
      severity: severity('warning'),
    })
    .prefault({}),
  'score-mismatch': z
    .strictObject({
      tolerance: num(1e-6, 0, 10, 'a logged value differing from the re-computed one by more than this is a mismatch'),
      rate: num(0.01, 0, 1, 'share of the window\'s checked rollouts that mismatch at or above which it fires'),
      severity: severity('error'),
    })
    .prefault({}),
  curate: z
    .strictObject({
      minSpread: num(1e-6, 0, 100, 'keep a prompt whose group rewards span more than this range'),
      accuracyLow: num(0.1, 0, 1, 'and whose accuracy (share of rollouts answered right) is at least this'),
      accuracyHigh: num(0.9, 0, 1, 'and at most this'),
      iou: num(0.5, 0, 1, 'a span answer to a relevant query is right when its IoU is at least this'),
    })
    .prefault({}),
});

/** The audit's options after defaults: every threshold present. */
export type AuditOptions = z.output<typeof auditOptionsSchema>;

/** What callers pass: any subset, each detector's object partial too. */
export type AuditOptionsInput = {
  [K in keyof AuditOptions]?: AuditOptions[K] extends Record<string, unknown> ? Partial<AuditOptions[K]> : AuditOptions[K];
};

/**
 * The audit options with every default filled in; throws an {@link OptionsError} naming the field that is out
 * of range or unknown.
 *
 * @example
 * parseAuditOptions({ window: 3, 'refusal-collapse': { rate: 0.6 } })['refusal-collapse']; // => { rate: 0.6, rise: 0.2, severity: 'error' }
 * parseAuditOptions({}).window; // => 5
 */
export function parseAuditOptions(input: AuditOptionsInput | undefined = {}): AuditOptions {
  const parsed = auditOptionsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new OptionsError('audit', `options${issue === undefined ? '' : issue.path.map((p) => `.${String(p)}`).join('')}`, (issue?.message ?? formatIssues('', parsed.error.issues)).toLowerCase());
  }
  return parsed.data;
}
