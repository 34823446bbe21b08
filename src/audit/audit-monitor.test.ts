import { describe, expect, it } from 'vitest';
import { createAuditMonitor } from './audit-monitor.js';
import { DETECTOR_IDS, type DetectorId } from './options.js';
import { synthesizeRun, type VerlRecord } from './synthesize-run.js';
import type { AuditRollout } from './types.js';

const rollout = (r: VerlRecord): AuditRollout => ({ step: r.step, group: r.input, prompt: r.input, completion: r.output, target: r.gts, score: r.score, parts: { format: r.format, refuseIoU: r.refuseIoU, explain: r.explain, correction: r.correction } });
const ONSET = 15;

function audit(hack?: DetectorId, seed = 7) {
  const monitor = createAuditMonitor();
  for (const records of synthesizeRun({ steps: 30, prompts: 16, groupSize: 8, hack, onset: ONSET, seed })) monitor.add(records.map(rollout));
  monitor.flush();
  return monitor;
}

describe('createAuditMonitor on generated runs', () => {
  it.each([7, 8, 9])('a clean run flags nothing (seed %i)', (seed) => {
    const monitor = audit(undefined, seed);
    expect(monitor.findings()).toEqual([]);
    expect(monitor.steps()).toHaveLength(30);
    expect(monitor.rollouts).toBe(30 * 16 * 8);
  });

  it.each(DETECTOR_IDS.map((id) => [id]))('a %s hack injected at step 15 is flagged by its detector within 4 steps', (id) => {
    const findings = audit(id).findings();
    const own = findings.find((f) => f.detector === id);
    expect(own, JSON.stringify(findings.map((f) => [f.detector, f.step]))).toBeDefined();
    expect(own?.step).toBeGreaterThanOrEqual(ONSET);
    expect(own?.step).toBeLessThanOrEqual(ONSET + 4);
    expect(own?.evidence.window.to).toBe(own?.step);
    // Evidence shows rollouts (part-dominance has none to show).
    if (id !== 'part-dominance') expect(own?.evidence.examples.length).toBeGreaterThan(0);
  });

  it('gauges: per detector value, threshold and firing, with labels', () => {
    const monitor = audit('never-refuse');
    const gauges = monitor.gauges();
    expect(gauges.find((g) => g.name === 'ra_rft_audit_rollouts')?.value).toBe(3840);
    expect(gauges.find((g) => g.name === 'ra_rft_audit_steps')?.value).toBe(30);
    const firing = gauges.filter((g) => g.name === 'ra_rft_audit_detector_firing');
    expect(firing.map((g) => g.labels.detector)).toEqual([...DETECTOR_IDS]);
    expect(firing.find((g) => g.labels.detector === 'never-refuse')?.value).toBe(1);
    expect(firing.find((g) => g.labels.detector === 'refusal-collapse')?.value).toBe(0);
    expect(gauges.find((g) => g.name === 'ra_rft_audit_detector_first_step' && g.labels.detector === 'never-refuse')?.value).toBe(monitor.findings()[0]?.step);
  });

  it('rollouts without a step take the add() call number; keepSteps bounds the summaries', () => {
    const monitor = createAuditMonitor({ keepSteps: 3 });
    for (let k = 0; k < 5; k++) monitor.add([{ completion: '<answer>x</answer>', score: 0 }]);
    monitor.flush();
    expect(monitor.steps().map((s) => s.step)).toEqual([3, 4, 5]);
  });

  it('a logged score that differs from the library is a score-mismatch, with the logged and re-computed values', () => {
    const monitor = createAuditMonitor({ thresholds: { minSamples: 1, window: 1 } });
    const target = { relevant: true, span: [2, 4] as const, duration: 10 };
    monitor.add([{ step: 1, completion: '<think>t</think><answer>2 to 4</answer><correction>NIL</correction>', target, parts: { format: 0, refuseIoU: 1 } }]);
    monitor.flush();
    const [finding] = monitor.findings();
    expect(finding?.detector).toBe('score-mismatch');
    expect(finding?.evidence.examples[0]?.note).toContain('differs by 1');
  });
});
