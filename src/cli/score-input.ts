import { z } from 'zod';
import { hiVtgTargets } from '../data/hi-vtg-targets.js';
import { formatIssues } from '../internal/zod-issues.js';
import { hiVtgItemSchema } from '../data/hi-vtg-schema.js';
import { raRftRewardTargetSchemaFor } from '../data/target-schema.js';
import { RA_RFT_PARTS, type RaRftPart } from '../internal/reward-parts.js';
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
  /** The line's `extras` object: a variant's extra inputs by name (`score --variant`). */
  extras?: Record<string, unknown>;
}

const hiVtgLineSchema = hiVtgItemSchema.extend({
  completions: z.object({ relevant: z.array(z.string()).optional(), irrelevant: z.array(z.string()).optional() }),
});

/** The line schemas of each `--parts` set, built once (a set is a few keys). */
const schemas = new Map<string, { target: ReturnType<typeof raRftRewardTargetSchemaFor>; line: z.ZodType<{ completion: string; target: unknown; id?: unknown }> }>();
function schemasFor(parts: readonly RaRftPart[]) {
  const key = parts.join(',');
  let found = schemas.get(key);
  if (found === undefined) {
    const target = raRftRewardTargetSchemaFor(parts);
    found = { target, line: z.looseObject({ completion: z.string(), target }) as never };
    schemas.set(key, found);
  }
  return found;
}

const issues = (list: Parameters<typeof formatIssues>[1]) => formatIssues('', list);

/** The result of reading one input line: its items, or a message naming what is wrong. */
export type ParsedLine = { ok: true; items: ScoreItem[] } | { ok: false; error: string };

/**
 * Parses one JSONL line of `ra-rft-rewards score`:
 * - `{ "completion": string, "target": RaRftTarget, "id"?: any }`, or
 * - a HI-VTG item plus `"completions": { "relevant": [string…], "irrelevant": [string…] }`, paired into targets
 *   with {@link hiVtgTargets}.
 *
 * The target must hold the fields `parts` read (default all four; see `raRftRewardTargetSchemaFor`).
 */
export function parseScoreLine(text: string, line: number, parts: readonly RaRftPart[] = RA_RFT_PARTS): ParsedLine {
  const schema = schemasFor(parts);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `invalid JSON: ${(error as Error).message}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: 'expected a JSON object' };
  if ('completion' in value || 'target' in value) {
    const parsed = schema.line.safeParse(value);
    if (!parsed.success) return { ok: false, error: issues(parsed.error.issues) };
    const { completion, target, id } = parsed.data;
    const extras = (parsed.data as { extras?: unknown }).extras;
    if (extras !== undefined && (extras === null || typeof extras !== 'object' || Array.isArray(extras))) return { ok: false, error: 'extras: must be an object of named inputs' };
    return {
      ok: true,
      items: [{ line, completion, target: target as RaRftTarget, ...(id === undefined ? {} : { id }), ...(extras === undefined ? {} : { extras: extras as Record<string, unknown> }) }],
    };
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
      const checked = completions.length > 0 ? schema.target.safeParse(target) : null;
      if (checked?.success === false) return { ok: false, error: `${kind} target: ${issues(checked.error.issues)}` };
      completions.forEach((completion, index) => items.push({ line, completion, target: target as RaRftTarget, kind, index }));
    }
    return { ok: true, items };
  }
  return { ok: false, error: 'expected {"completion", "target"} or a HI-VTG item with "completions"' };
}
