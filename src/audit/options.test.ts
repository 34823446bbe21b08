import { describe, expect, it } from 'vitest';
import { OptionsError } from '../errors.js';
import { auditOptionFields } from './option-fields.js';
import { DETECTOR_IDS, parseAuditOptions } from './options.js';

describe('audit options', () => {
  it('every detector has its thresholds and a severity; defaults fill partial input', () => {
    const options = parseAuditOptions({ 'boundary-snap': { excess: 0.7 } });
    for (const id of DETECTOR_IDS) expect(options[id].severity).toMatch(/^(info|warning|error)$/);
    expect(options['boundary-snap']).toEqual({ tolerance: 0.01, excess: 0.7, severity: 'warning' });
  });

  it('rejects out-of-range values and unknown keys with an OptionsError naming the field', () => {
    expect(() => parseAuditOptions({ 'never-refuse': { rate: 2 } })).toThrow(OptionsError);
    expect(() => parseAuditOptions({ 'never-refuse': { rate: 2 } })).toThrow(/options\.never-refuse\.rate/);
    expect(() => parseAuditOptions({ nope: 1 } as never)).toThrow(OptionsError);
  });

  it('the flags cover every leaf of the schema, each default parsing back to itself', () => {
    const fields = auditOptionFields();
    expect(new Set(fields.map((f) => f.flag)).size).toBe(fields.length);
    const defaults = parseAuditOptions({}) as unknown as Record<string, Record<string, unknown> | unknown>;
    for (const f of fields) {
      const [head, leaf] = f.path as [string, string | undefined];
      expect(leaf === undefined ? defaults[head] : (defaults[head] as Record<string, unknown>)[leaf]).toBe(f.default);
    }
  });
});
