import type { z } from 'zod';
import { auditOptionsSchema } from './options.js';

/** One leaf option of {@link auditOptionsSchema}, as the CLI and the docs show it. */
export interface AuditOptionField {
  /** Where it sits in the options object, e.g. `['refusal-collapse', 'rate']`. */
  readonly path: readonly string[];
  /** The command-line flag, e.g. `--refusal-collapse-rate`. */
  readonly flag: string;
  readonly kind: 'number' | 'integer' | 'choice';
  readonly default: number | string;
  readonly min?: number | undefined;
  readonly max?: number | undefined;
  readonly choices?: readonly string[] | undefined;
  readonly description: string;
}

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function leaf(path: string[], field: z.ZodType): AuditOptionField {
  const def = field.def as unknown as { type: string; defaultValue: number | string; innerType: z.ZodType };
  const inner = def.innerType as unknown as { def: { type: string }; minValue?: number | null; maxValue?: number | null; isInt?: boolean; options?: readonly string[] };
  const flag = `--${path.map(kebab).join('-')}`;
  const description = field.description ?? '';
  if (inner.def.type === 'enum') return { path, flag, kind: 'choice', default: def.defaultValue, choices: inner.options, description };
  return { path, flag, kind: inner.isInt === true ? 'integer' : 'number', default: def.defaultValue, min: inner.minValue ?? undefined, max: inner.maxValue ?? undefined, description };
}

/**
 * Every leaf option of the audit, read from {@link auditOptionsSchema}: the `audit` command's flags, its help
 * and the table of docs/audit.md are made from this list.
 *
 * @example
 * auditOptionFields().find((f) => f.flag === '--refusal-collapse-rate'); // => { path: ['refusal-collapse', 'rate'], flag: '--refusal-collapse-rate', kind: 'number', default: 0.5, min: 0, max: 1, description: 'relevant queries refused, share of the window, at or above which it fires' }
 */
export function auditOptionFields(): AuditOptionField[] {
  const fields: AuditOptionField[] = [];
  for (const [key, field] of Object.entries(auditOptionsSchema.shape) as [string, z.ZodType][]) {
    const def = field.def as unknown as { type: string; innerType?: z.ZodType };
    if (def.type === 'prefault' && def.innerType !== undefined && (def.innerType.def as { type: string }).type === 'object') {
      const shape = (def.innerType as z.ZodObject).shape as Record<string, z.ZodType>;
      for (const [name, sub] of Object.entries(shape)) fields.push(leaf([key, name], sub));
    } else {
      fields.push(leaf([key], field));
    }
  }
  return fields;
}
