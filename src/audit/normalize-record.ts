import { loggedText } from '../internal/logged-text.js';
import type { RaRftTarget } from '../types.js';
import type { AuditPart, AuditRollout } from './types.js';

const PART_KEYS: Record<AuditPart, readonly string[]> = {
  format: ['format', 'rarft/format', 'rarft_format', 'reward/format'],
  refuseIoU: ['refuseIoU', 'refuse_iou', 'rarft/refuse_iou', 'rarft_refuse_iou', 'reward/refuseIoU'],
  explain: ['explain', 'rarft/explain', 'rarft_explain', 'reward/explain'],
  correction: ['correction', 'rarft/correction', 'rarft_correction', 'reward/correction'],
};
const SCORE_KEYS = ['score', 'rarft_reward', 'total', 'overall', 'reward'] as const;
const STEP_KEYS = ['step', 'global_step', '_step'] as const;
const GROUP_KEYS = ['group', 'group_id', 'uid', 'prompt_id'] as const;
const PROMPT_KEYS = ['input', 'prompt'] as const;
const COMPLETION_KEYS = ['output', 'completion', 'response'] as const;
const TARGET_KEYS = ['gts', 'target', 'ground_truth', 'label', 'solution'] as const;

function first(record: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const key of keys) {
    const value = record[key];
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
}

function finite(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    if (Number.isFinite(parsed)) return parsed;
  }
  return undefined;
}

// The last label text and its target: a group's rollouts carry the same text one after another, so it is parsed
// once a group. Targets are read, never changed, so the rollouts may share the object.
let lastText: string | null = null;
let lastTarget: RaRftTarget | null = null;

/** A ground truth as a RA-RFT target: an object with `relevant`, or JSON text of one (verl's and EasyR1's label strings). */
function targetOf(value: unknown): RaRftTarget | null {
  if (typeof value === 'string') {
    if (value !== lastText) {
      lastTarget = parseTarget(value);
      lastText = value;
    }
    return lastTarget;
  }
  return parseTarget(value);
}

function parseTarget(value: unknown): RaRftTarget | null {
  let target = value;
  if (typeof target === 'string') {
    const text = target.trim();
    if (!text.startsWith('{')) return null;
    try {
      target = JSON.parse(text);
    } catch {
      return null;
    }
  }
  if (target === null || typeof target !== 'object' || Array.isArray(target)) return null;
  const object = target as Record<string, unknown>;
  if (typeof object.relevant !== 'boolean') {
    // A target nested one level down (e.g. {"target": {...}} in a label).
    const inner = object.target ?? object.ground_truth;
    return inner === undefined ? null : parseTarget(inner);
  }
  // JSON null for absent optional fields, as Python writes them.
  for (const key in object) {
    if (object[key] === null) {
      const clean: Record<string, unknown> = {};
      for (const [k, field] of Object.entries(object)) if (field !== null) clean[k] = field;
      return clean as RaRftTarget;
    }
  }
  return object as RaRftTarget;
}

/**
 * One logged rollout, whatever trainer wrote it, as an {@link AuditRollout}: verl's `{input, output, gts,
 * score, step, …reward extra keys}`, TRL's completions table row `{step, prompt, completion, <reward
 * function>…, advantage}`, this project's `score` output with a step column, or any record with these
 * fields. `fallbackStep` is used when the record has none (verl's file name). Returns null when it holds
 * neither a completion nor a score.
 *
 * @example
 const verl = { input: 'q', output: '<answer>1 to 2</answer>', gts: '{"relevant": true, "span": [1, 2], "duration": 9}', score: 1.2, step: 3, format: 0 };
 * normalizeRecord(verl, 0); // => { step: 3, group: 'q', prompt: 'q', completion: '<answer>1 to 2</answer>', target: { relevant: true, span: [1, 2], duration: 9 }, score: 1.2, parts: { format: 0 } }
 * normalizeRecord({ line: 4, kind: 'irrelevant', total: 2, format: 1, refuseIoU: 1, answer: 'refusal' }, 7)?.relevant; // => false
 */
export function normalizeRecord(record: Record<string, unknown>, fallbackStep: number, source?: string): AuditRollout | null {
  const step = finite(first(record, STEP_KEYS)) ?? fallbackStep;
  const prompt = loggedText(first(record, PROMPT_KEYS));
  let completion = loggedText(first(record, COMPLETION_KEYS));
  if (completion === undefined && typeof record.text === 'string') {
    // OpenRLHF's samples table: prompt and response in one decoded text; the response follows the last assistant header.
    const at = record.text.lastIndexOf('assistant\n');
    completion = at < 0 ? record.text : record.text.slice(at + 'assistant\n'.length);
  }
  const score = finite(first(record, SCORE_KEYS));
  const parts: Partial<Record<AuditPart, number>> = {};
  for (const part of Object.keys(PART_KEYS) as AuditPart[]) {
    const value = finite(first(record, PART_KEYS[part]));
    if (value !== undefined) parts[part] = value;
  }
  if (completion === undefined && score === undefined && Object.keys(parts).length === 0) return null;
  const target = targetOf(first(record, TARGET_KEYS));
  const groupValue = first(record, GROUP_KEYS);
  const idValue = record.id;
  const line = typeof record.line === 'number' && typeof record.kind === 'string' ? `line ${record.line} ${record.kind}` : undefined;
  const key = groupValue !== undefined ? String(groupValue) : prompt ?? line ?? (target !== null ? JSON.stringify(target) : idValue !== undefined ? JSON.stringify(idValue) : '');
  const rollout: AuditRollout = { step, group: key };
  if (prompt !== undefined) rollout.prompt = prompt;
  if (completion !== undefined) rollout.completion = completion;
  if (target !== null) rollout.target = target;
  else if (record.kind === 'relevant' || record.kind === 'irrelevant') rollout.relevant = record.kind === 'relevant';
  else if (typeof record.relevant === 'boolean') rollout.relevant = record.relevant;
  if (score !== undefined) rollout.score = score;
  if (Object.keys(parts).length > 0) rollout.parts = parts;
  if (record.answer === 'span' || record.answer === 'refusal' || record.answer === 'none') rollout.answer = record.answer;
  const advantage = finite(record.advantage);
  if (advantage !== undefined) rollout.advantage = advantage;
  if (source !== undefined) rollout.source = source;
  return rollout;
}
