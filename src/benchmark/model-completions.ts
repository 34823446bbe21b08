import { readFileSync } from 'node:fs';
import { OptionsError, TargetError } from '../errors.js';
import { assertTarget } from '../internal/validate.js';
import type { RaRftTarget } from '../types.js';
import type { BenchCompletion, BenchTarget, QualityLabel } from './types.js';

/**
 * One completion of a real model, to benchmark the variants on instead of synthesized ones. Every variant
 * scores the same text, whatever its own output format.
 * - `label`: `good` / `bad` for the AUC; when absent it follows `kind` for the synthesized kinds
 *   (`correct`, `correct-refusal` good; `wrong-span`, `wrong-refusal`, `missed-refusal`, `format-error`, `hack` bad).
 * - `iou`: the true IoU (e.g. from a human or a lenient parser) for the Spearman correlation.
 * - `group`: the GRPO group (prompt) it was sampled in; default: one group per distinct target.
 */
export interface ModelCompletion {
  completion: string;
  target: RaRftTarget;
  kind?: string | undefined;
  label?: QualityLabel | undefined;
  iou?: number | undefined;
  group?: string | number | undefined;
  /** The hack's id when `kind` is `hack`. */
  hack?: string | undefined;
}

const GOOD_KINDS = new Set(['correct', 'correct-refusal']);
const BAD_KINDS = new Set(['wrong-span', 'wrong-refusal', 'missed-refusal', 'format-error', 'hack']);

/** Checks one parsed JSONL value; throws an {@link OptionsError} / {@link TargetError} naming the line and field. */
export function parseModelCompletion(value: unknown, line: number): ModelCompletion {
  const fn = 'readModelCompletions';
  const at = `line ${line}`;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new OptionsError(fn, at, 'must be a JSON object');
  const record = value as Record<string, unknown>;
  if (typeof record.completion !== 'string') throw new OptionsError(fn, `${at}: completion`, 'must be a string');
  try {
    assertTarget(fn, record.target as RaRftTarget);
  } catch (error) {
    throw new TargetError(fn, `${at}: target`, `is invalid: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (record.kind !== undefined && typeof record.kind !== 'string') throw new OptionsError(fn, `${at}: kind`, 'must be a string');
  if (record.label !== undefined && record.label !== 'good' && record.label !== 'bad') throw new OptionsError(fn, `${at}: label`, "must be 'good' or 'bad'");
  if (record.iou !== undefined && (typeof record.iou !== 'number' || !(record.iou >= 0 && record.iou <= 1))) throw new OptionsError(fn, `${at}: iou`, 'must be a number in [0, 1]');
  if (record.group !== undefined && typeof record.group !== 'string' && typeof record.group !== 'number') throw new OptionsError(fn, `${at}: group`, 'must be a string or a number');
  if (record.hack !== undefined && typeof record.hack !== 'string') throw new OptionsError(fn, `${at}: hack`, 'must be a string');
  return {
    completion: record.completion,
    target: record.target as RaRftTarget,
    kind: record.kind as string | undefined,
    label: record.label as QualityLabel | undefined,
    iou: record.iou as number | undefined,
    group: record.group as string | number | undefined,
    hack: record.hack as string | undefined,
  };
}

/**
 * Reads a JSONL file of {@link ModelCompletion}s (blank lines skipped). Throws an {@link OptionsError}
 * naming the line for malformed input.
 *
 * @example
 * const completions = readModelCompletions('rollouts.jsonl');
 */
export function readModelCompletions(path: string): ModelCompletion[] {
  const text = readFileSync(path, 'utf8');
  const completions: ModelCompletion[] = [];
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new OptionsError('readModelCompletions', `line ${index + 1}`, `is not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    completions.push(parseModelCompletion(value, index + 1));
  });
  if (completions.length === 0) throw new OptionsError('readModelCompletions', 'path', `${path} holds no completion`);
  return completions;
}

/** The benchmark's targets, completions and groups for model completions (targets deduplicated). */
export function fromModelCompletions(items: readonly ModelCompletion[]): { targets: BenchTarget[]; completions: BenchCompletion[]; groups: number[][] } {
  const targets: BenchTarget[] = [];
  const targetIndex = new Map<string, number>();
  const groups = new Map<string, number[]>();
  const completions = items.map((item, line): BenchCompletion => {
    const key = JSON.stringify(item.target);
    let index = targetIndex.get(key);
    if (index === undefined) {
      index = targets.length;
      targetIndex.set(key, index);
      targets.push({ target: item.target, prompt: '', source: `completion ${line + 1}` });
    }
    const groupKey = item.group === undefined ? `target:${index}` : `group:${String(item.group)}`;
    const members = groups.get(groupKey) ?? [];
    members.push(line);
    groups.set(groupKey, members);
    const kind = item.kind ?? 'unlabelled';
    const label = item.label ?? (GOOD_KINDS.has(kind) ? 'good' : BAD_KINDS.has(kind) ? 'bad' : null);
    const relevant = item.target.relevant ? 'relevant' : 'irrelevant';
    return { targetIndex: index, kind, bucket: `${kind} (${relevant})`, label, iou: item.iou ?? null, hack: item.hack, texts: item.completion };
  });
  return { targets, completions, groups: [...groups.values()].filter((members) => members.length >= 2) };
}
