import { formatIssues, issuePath } from '../internal/zod-issues.js';
import { TargetError } from '../errors.js';
import { pyStrip } from '../internal/python-text.js';
import type { RaRftTarget } from '../types.js';
import { type HiVtgItem, hiVtgItemSchema } from './hi-vtg-schema.js';

/** The training targets of one HI-VTG item: at least one of the two is present. */
export interface HiVtgTargets {
  /** The relevant (answerable) query's target; absent when the item has no entry with `r = true`. */
  relevant?: RaRftTarget;
  /** The hard-irrelevant (refusable) query's target; absent when the item has no entry with `r = false`. */
  irrelevant?: RaRftTarget;
  /** The query the policy is prompted with for each target. */
  queries: { relevant?: string; irrelevant?: string };
}

/** Options of {@link hiVtgTargets}. */
export interface HiVtgTargetsOptions {
  /**
   * Which refusable entry becomes the irrelevant target (the reference draws one at random each epoch,
   * from the first three). Default 0, the first.
   */
  irrelevantIndex?: number | undefined;
}

// One zod issue formatter for the library (data, server, CLI): see internal/zod-issues.ts.
export { formatIssues, issuePath } from '../internal/zod-issues.js';

/**
 * The relevant and irrelevant targets of a HI-VTG item, paired as the RA-RFT reference trainer does
 * (`load_json_dataset_rarft`):
 * - relevant: the first entry with `r = true`; `answer` = its `a`, `contrast` = the refusable entry's `a`,
 *   `query` = its `q`, `span` = `timestamp`, `duration`;
 * - irrelevant: a refusable entry (`r = false`); `answer` = its `a`, `contrast` = the relevant `a`,
 *   `query` = the relevant `q`, `duration`.
 * Items with only irrelevant queries (ss_vtg_charades.json) give only an irrelevant target, without
 * `contrast` and `query` (so only format and refuseIoU apply to them).
 * Texts are stripped as the reference does. A malformed item throws a {@link TargetError} whose
 * message names every bad field (validated with {@link hiVtgItemSchema}).
 *
 * @example
 * const { relevant, irrelevant } = hiVtgTargets(item);
 */
export function hiVtgTargets(item: unknown, options?: HiVtgTargetsOptions): HiVtgTargets {
  const parsed = hiVtgItemSchema.safeParse(item);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const field = issuePath('item', first?.path ?? []);
    throw new TargetError('hiVtgTargets', field, `is invalid: ${formatIssues('item', parsed.error.issues)}`);
  }
  return targetsOf(parsed.data, options?.irrelevantIndex ?? 0);
}

function targetsOf(item: HiVtgItem, irrelevantIndex: number): HiVtgTargets {
  const positive = item.GRPO.find((entry) => entry.r);
  const refusables = item.GRPO.filter((entry) => !entry.r);
  const negative = refusables[irrelevantIndex];
  if (refusables.length > 0 && negative === undefined) {
    throw new TargetError('hiVtgTargets', 'options.irrelevantIndex', `is ${irrelevantIndex} but the item has ${refusables.length} refusable entries`);
  }
  const targets: HiVtgTargets = { queries: {} };
  const duration = item.duration;
  if (positive !== undefined) {
    const [start, end] = item.timestamp;
    if (start === undefined || end === undefined) {
      throw new TargetError('hiVtgTargets', 'item.timestamp', 'must be [start, end] when the item has a relevant (r = true) entry');
    }
    targets.relevant = { relevant: true, span: [start, end], duration, answer: pyStrip(positive.a), query: pyStrip(positive.q) };
    if (negative !== undefined) targets.relevant.contrast = pyStrip(negative.a);
    targets.queries.relevant = pyStrip(positive.q);
  }
  if (negative !== undefined) {
    targets.irrelevant = { relevant: false, answer: pyStrip(negative.a), duration };
    if (positive !== undefined) {
      targets.irrelevant.contrast = pyStrip(positive.a);
      targets.irrelevant.query = pyStrip(positive.q);
    }
    targets.queries.irrelevant = pyStrip(negative.q);
  }
  return targets;
}
