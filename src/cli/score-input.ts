import { z } from 'zod';
import { hiVtgTargets } from '../data/hi-vtg-targets.js';
import { formatIssues } from '../internal/zod-issues.js';
import { hiVtgItemSchema } from '../data/hi-vtg-schema.js';
import { raRftRewardTargetSchema } from '../data/target-schema.js';
import type { RaRftTarget } from '../types.js';

/** One completion to score, with where it came from. */
export interface ScoreItem {
  line: number;
  completion: string;
  target: RaRftTarget;
  /** The input line's `id`, when it has one. */
  id?: unknown;
  /** For HI-VTG lines: which query the completion answers, and its position in that list. */
  kind?: 'relevant' | 'irrelevant';
  index?: number;
}

const completionLineSchema = z.looseObject({ completion: z.string(), target: raRftRewardTargetSchema });
const hiVtgLineSchema = hiVtgItemSchema.extend({
  completions: z.object({ relevant: z.array(z.string()).optional(), irrelevant: z.array(z.string()).optional() }),
});

const issues = (list: Parameters<typeof formatIssues>[1]) => formatIssues('', list);

/** The result of reading one input line: its items, or a message naming what is wrong. */
export type ParsedLine = { ok: true; items: ScoreItem[] } | { ok: false; error: string };

/**
 * Parses one JSONL line of `ra-rft-rewards score`:
 * - `{ "completion": string, "target": RaRftTarget, "id"?: any }`, or
 * - a HI-VTG item plus `"completions": { "relevant": [string…], "irrelevant": [string…] }`, paired into targets
 *   with {@link hiVtgTargets}.
 */
export function parseScoreLine(text: string, line: number): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `invalid JSON: ${(error as Error).message}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: 'expected a JSON object' };
  if ('completion' in value || 'target' in value) {
    const parsed = completionLineSchema.safeParse(value);
    if (!parsed.success) return { ok: false, error: issues(parsed.error.issues) };
    const { completion, target, id } = parsed.data;
    return { ok: true, items: [{ line, completion, target: target as RaRftTarget, ...(id === undefined ? {} : { id }) }] };
  }
  if ('GRPO' in value) {
    const parsed = hiVtgLineSchema.safeParse(value);
    if (!parsed.success) return { ok: false, error: issues(parsed.error.issues) };
    let targets;
    try {
      targets = hiVtgTargets(parsed.data);
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
    const items: ScoreItem[] = [];
    for (const kind of ['relevant', 'irrelevant'] as const) {
      const completions = parsed.data.completions[kind] ?? [];
      const target = targets[kind];
      if (completions.length > 0 && target === undefined) return { ok: false, error: `completions.${kind} given but the item has no ${kind} query` };
      const checked = completions.length > 0 ? raRftRewardTargetSchema.safeParse(target) : null;
      if (checked?.success === false) return { ok: false, error: `${kind} target: ${issues(checked.error.issues)}` };
      completions.forEach((completion, index) => items.push({ line, completion, target: target as RaRftTarget, kind, index }));
    }
    return { ok: true, items };
  }
  return { ok: false, error: 'expected {"completion", "target"} or a HI-VTG item with "completions"' };
}
