import { z } from 'zod';
import { formatIssues } from '../data/hi-vtg-targets.js';
import { hiVtgItemSchema } from '../data/hi-vtg-schema.js';
import { nullAsAbsent, targetFields } from '../data/target-schema.js';
import { pyStrip } from '../internal/python-text.js';
import type { RaRftTarget } from '../types.js';
import type { EvaluationItem } from './types.js';

const seconds = z.number().finite().nonnegative();
const span = z.tuple([seconds, seconds]).refine(([start, end]) => end >= start, { message: 'end must be >= start' });
const level = z.string().nullable().optional();
const labels = z.array(z.string()).nullable().optional();

/** One record of RA-RFT's inference-results JSON (`inference.py`), as its evaluator reads it. */
export const inferenceResultSchema = z
  .looseObject({
    video: z.string().optional(),
    query: z.string().optional(),
    model_output: z.string().nullable(),
    gt_relevant: z.boolean(),
    gt_timestamp: z.union([span, z.tuple([]), z.null()]).optional(),
    gt_output: z.string().nullable().optional(),
    hardness_level: level,
    irrelevance_level: level,
    gt_categories: labels,
  })
  .superRefine((record, context) => {
    if (record.gt_relevant && (record.gt_timestamp === undefined || record.gt_timestamp === null || record.gt_timestamp.length !== 2)) {
      context.addIssue({ code: 'custom', path: ['gt_timestamp'], message: 'must be [start, end] when gt_relevant is true' });
    }
  });

/** A `{completion, target}` line (the `score` input; `target.answer` optional), with optional `hardness` and `categories`. */
const completionRecordSchema = z.looseObject({
  completion: z.string(),
  target: z.preprocess(
    nullAsAbsent,
    z.looseObject(targetFields).superRefine((target, context) => {
      if (target.relevant && target.span === undefined) context.addIssue({ code: 'custom', path: ['span'], message: 'is required when relevant is true' });
    }),
  ),
  hardness: z.string().optional(),
  categories: z.array(z.string()).optional(),
});

const hiVtgRecordSchema = hiVtgItemSchema.extend({
  completions: z.union([
    z.array(z.string().nullable()),
    z.object({ relevant: z.array(z.string()).optional(), irrelevant: z.array(z.string()).optional() }),
  ]),
});

/** Which form an input record has. */
export type EvaluationInputKind = 'inference-results' | 'completion' | 'hi-vtg';

/** The items of one input record, or what is wrong with it (`field: problem; …`). */
export type ParsedRecord = { ok: true; kind: EvaluationInputKind; items: EvaluationItem[] } | { ok: false; error: string };

const fail = (issues: Parameters<typeof formatIssues>[1]): ParsedRecord => ({ ok: false, error: formatIssues('', issues) });

function fromInferenceResult(value: unknown): ParsedRecord {
  const parsed = inferenceResultSchema.safeParse(value);
  if (!parsed.success) return fail(parsed.error.issues);
  const record = parsed.data;
  const target: RaRftTarget = { relevant: record.gt_relevant };
  if (record.gt_relevant && record.gt_timestamp?.length === 2) target.span = [record.gt_timestamp[0], record.gt_timestamp[1]];
  if (typeof record.gt_output === 'string') target.answer = record.gt_output;
  const hardness = record.hardness_level || record.irrelevance_level || undefined;
  const item: EvaluationItem = { completion: record.model_output ?? '', target };
  if (hardness !== undefined) item.hardness = hardness;
  if (record.gt_categories !== undefined && record.gt_categories !== null) item.categories = record.gt_categories;
  if (record.video !== undefined || record.query !== undefined) item.id = { video: record.video, query: record.query };
  return { ok: true, kind: 'inference-results', items: [item] };
}

function fromCompletionRecord(value: unknown): ParsedRecord {
  const parsed = completionRecordSchema.safeParse(value);
  if (!parsed.success) return fail(parsed.error.issues);
  const { completion, target, hardness, categories, id } = parsed.data;
  const item: EvaluationItem = { completion, target: target as RaRftTarget };
  if (hardness !== undefined) item.hardness = hardness;
  if (categories !== undefined) item.categories = categories;
  if (id !== undefined) item.id = id;
  return { ok: true, kind: 'completion', items: [item] };
}

function fromHiVtgRecord(value: unknown): ParsedRecord {
  const parsed = hiVtgRecordSchema.safeParse(value);
  if (!parsed.success) return fail(parsed.error.issues);
  const record = parsed.data;
  const [start, end] = record.timestamp;
  const entryItem = (entryIndex: number, completion: string): EvaluationItem | string => {
    const entry = record.GRPO[entryIndex];
    if (entry === undefined) return `completions: no GRPO entry for completion ${entryIndex}`;
    if (entry.r && (start === undefined || end === undefined)) return `timestamp: must be [start, end] when GRPO[${entryIndex}] is relevant`;
    const target: RaRftTarget = entry.r ? { relevant: true, span: [start as number, end as number], duration: record.duration, answer: pyStrip(entry.a) } : { relevant: false, answer: pyStrip(entry.a), duration: record.duration };
    const item: EvaluationItem = { completion, target, id: { video: record.video, query: pyStrip(entry.q), entry: entryIndex } };
    const hardness = (entry as { irrelevance_level?: unknown }).irrelevance_level ?? entry.difficulty;
    if (typeof hardness === 'string' && hardness !== '') item.hardness = hardness;
    if (entry.c !== undefined) item.categories = entry.c;
    return item;
  };
  const items: EvaluationItem[] = [];
  const add = (entryIndex: number, completion: string): string | null => {
    const item = entryItem(entryIndex, completion);
    if (typeof item === 'string') return item;
    items.push(item);
    return null;
  };
  const { completions } = record;
  if (Array.isArray(completions)) {
    // One completion per GRPO entry, in order; null skips an entry.
    if (completions.length !== record.GRPO.length) return { ok: false, error: `completions: has ${completions.length} entries but GRPO has ${record.GRPO.length} (one completion per entry, null to skip one)` };
    for (const [entryIndex, completion] of completions.entries()) {
      const error = completion === null ? null : add(entryIndex, completion);
      if (error !== null) return { ok: false, error };
    }
  } else {
    // As the `score` input: completions of the first relevant entry and of the first refusable one.
    for (const kind of ['relevant', 'irrelevant'] as const) {
      const list = completions[kind] ?? [];
      const entryIndex = record.GRPO.findIndex((entry) => entry.r === (kind === 'relevant'));
      if (list.length > 0 && entryIndex < 0) return { ok: false, error: `completions.${kind}: given but the item has no ${kind} GRPO entry` };
      for (const completion of list) {
        const error = add(entryIndex, completion);
        if (error !== null) return { ok: false, error };
      }
    }
  }
  return { ok: true, kind: 'hi-vtg', items };
}

/**
 * Reads one input record of `ra-rft-rewards evaluate` into evaluation items, choosing the form by its fields:
 * - RA-RFT inference results (`model_output`): `{video, query, model_output, gt_relevant, gt_timestamp,
 *   gt_output, hardness_level | irrelevance_level, gt_categories}`;
 * - `{completion, target, hardness?, categories?, id?}` (the `score` input; `target.answer` is the ground-truth
 *   refusal text, and needs no `contrast` here);
 * - a HI-VTG item (`GRPO`) with `completions`: an array with one completion per GRPO entry (null skips one), or
 *   `{relevant: [...], irrelevant: [...]}` for the first relevant and the first refusable entry.
 * Validated with zod; a bad record comes back as `{ ok: false, error }` naming each bad field.
 *
 * @example
 * parseEvaluationRecord({ model_output: '<answer>1 to 2</answer>', gt_relevant: true, gt_timestamp: [1, 2] }).ok; // => true
 * parseEvaluationRecord({ model_output: 'x', gt_relevant: 'yes' }); // => { ok: false, error: 'gt_relevant: Invalid input: expected boolean, received string' }
 */
export function parseEvaluationRecord(value: unknown): ParsedRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: '(root): expected a JSON object' };
  if ('model_output' in value || 'gt_relevant' in value) return fromInferenceResult(value);
  if ('completion' in value || 'target' in value) return fromCompletionRecord(value);
  if ('GRPO' in value) return fromHiVtgRecord(value);
  return { ok: false, error: '(root): expected an inference result {model_output, gt_relevant, …}, a {completion, target} line or a HI-VTG item with completions' };
}

/** A record that could not be read, and where it is (`item 3` of a JSON array, `line 4` of JSONL). */
export interface InputError {
  where: string;
  error: string;
}

/** The items read from an input text, and the records that failed. */
export interface ParsedInput {
  format: 'json' | 'jsonl';
  kinds: EvaluationInputKind[];
  items: EvaluationItem[];
  errors: InputError[];
  /** Records read (good and bad). */
  records: number;
}

/**
 * Reads a whole input file: a JSON array (RA-RFT inference results, or any records of
 * {@link parseEvaluationRecord}) or JSONL (one record a line; blank lines skipped). Bad records are returned in
 * `errors`, each naming its place and fields; the caller decides to stop or go on.
 *
 * @example
 * parseEvaluationInput('[{"model_output": "<answer>No.</answer>", "gt_relevant": false}, {"gt_relevant": true}]').errors; // => [{ where: 'item 1', error: 'model_output: Invalid input: expected string, received undefined' }]
 */
export function parseEvaluationInput(text: string): ParsedInput {
  const kinds = new Set<EvaluationInputKind>();
  const items: EvaluationItem[] = [];
  const errors: InputError[] = [];
  const take = (value: unknown, where: string) => {
    const parsed = parseEvaluationRecord(value);
    if (!parsed.ok) {
      errors.push({ where, error: parsed.error });
      return;
    }
    kinds.add(parsed.kind);
    items.push(...parsed.items);
  };
  if (text.trimStart().startsWith('[')) {
    let values: unknown;
    try {
      values = JSON.parse(text);
    } catch (error) {
      return { format: 'json', kinds: [], items: [], errors: [{ where: 'file', error: `invalid JSON: ${(error as Error).message}` }], records: 0 };
    }
    const list = values as unknown[];
    list.forEach((value, index) => take(value, `item ${index}`));
    return { format: 'json', kinds: [...kinds], items, errors, records: list.length };
  }
  let records = 0;
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    records++;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      errors.push({ where: `line ${index + 1}`, error: `invalid JSON: ${(error as Error).message}` });
      return;
    }
    take(value, `line ${index + 1}`);
  });
  return { format: 'jsonl', kinds: [...kinds], items, errors, records };
}
