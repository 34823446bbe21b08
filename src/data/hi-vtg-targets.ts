import { z } from 'zod';
import { TargetError } from '../errors.js';
import { pyStrip } from '../internal/python-text.js';
import type { RaRftTarget } from '../types.js';
import { type HiVtgItem, hiVtgItemSchema } from './hi-vtg-schema.js';

/** The two training targets of one HI-VTG item. */
export interface HiVtgTargets {
  /** The relevant (answerable) query's target. */
  relevant: RaRftTarget;
  /** The hard-irrelevant (refusable) query's target; absent when the item has no refusable entry. */
  irrelevant?: RaRftTarget;
  /** The query the policy is prompted with for each target. */
  queries: { relevant: string; irrelevant?: string };
}

/** Options of {@link hiVtgTargets}. */
export interface HiVtgTargetsOptions {
  /**
   * Which refusable entry becomes the irrelevant target (the reference draws one at random each epoch,
   * from the first three). Default 0, the first.
   */
  irrelevantIndex?: number | undefined;
}

/** A zod issue path as `item.GRPO[1].r`. */
export function issuePath(root: string, path: readonly PropertyKey[]): string {
  return root + path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
}

/** A readable one-line summary of zod issues: `item.GRPO[1].r: expected boolean, received string; …`. */
export function formatIssues(root: string, issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `${issuePath(root, issue.path)}: ${issue.message}`).join('; ');
}

/**
 * The relevant and irrelevant targets of a HI-VTG item, paired as the RA-RFT reference trainer does
 * (`load_json_dataset_rarft`):
 * - relevant: the first entry with `r = true`; `answer` = its `a`, `contrast` = the refusable entry's `a`,
 *   `query` = its `q`, `span` = `timestamp`, `duration`;
 * - irrelevant: a refusable entry (`r = false`); `answer` = its `a`, `contrast` = the relevant `a`,
 *   `query` = the relevant `q`, `duration`.
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
  if (positive === undefined) throw new TargetError('hiVtgTargets', 'item.GRPO', 'has no entry with r = true');
  const refusables = item.GRPO.filter((entry) => !entry.r);
  const negative = refusables[irrelevantIndex];
  if (refusables.length > 0 && negative === undefined) {
    throw new TargetError('hiVtgTargets', 'options.irrelevantIndex', `is ${irrelevantIndex} but the item has ${refusables.length} refusable entries`);
  }
  const duration = item.duration;
  const relevant: RaRftTarget = {
    relevant: true,
    span: [item.timestamp[0], item.timestamp[1]],
    duration,
    answer: pyStrip(positive.a),
    query: pyStrip(positive.q),
  };
  if (negative === undefined) return { relevant, queries: { relevant: pyStrip(positive.q) } };
  relevant.contrast = pyStrip(negative.a);
  const irrelevant: RaRftTarget = {
    relevant: false,
    answer: pyStrip(negative.a),
    contrast: pyStrip(positive.a),
    query: pyStrip(positive.q),
    duration,
  };
  return { relevant, irrelevant, queries: { relevant: pyStrip(positive.q), irrelevant: pyStrip(negative.q) } };
}
