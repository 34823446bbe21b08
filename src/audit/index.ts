// ra-rft-rewards/audit: reward hacking and dead signal in a training run, from the trainer's rollout dumps
// (verl, TRL, OpenRLHF, EasyR1, this package's score output), offline (auditDump) or online (createAuditMonitor).
export { type AuditMonitor, type AuditMonitorOptions, type ClosedGroup, createAuditMonitor } from './audit-monitor.js';
export { type AdvantageChange, type AuditDumpOptions, type AuditResult, type CuratedRow, type DetectorChange, auditDump } from './audit-dump.js';
export { embedParts } from './embed-parts.js';
export { type EstimateRescoreOptions, type RescoreEstimate, estimateRescore } from './estimate-rescore.js';
export { DETECTORS, type Detector, type DetectorReading, type WindowCounts } from './detectors.js';
export { AuditInputError } from './errors.js';
export { type AuditScorer, type AuditScoring, type RolloutMeasure, auditScorer, measureRollout } from './measure-rollout.js';
export { normalizeRecord } from './normalize-record.js';
export { type DumpFormat, type RolloutDump, openDump } from './open-dump.js';
export { type AuditOptionField, auditOptionFields } from './option-fields.js';
export { type AuditOptions, type AuditOptionsInput, DETECTOR_IDS, type DetectorId, auditOptionsSchema, parseAuditOptions } from './options.js';
export { auditOptionsMarkdown } from './options-markdown.js';
export { pythonJsonDumps } from './python-json.js';
export { renderAuditReport } from './render-report.js';
export { renderAuditSummary } from './render-summary.js';
export { type SynthesizeRunOptions, type SyntheticHack, type VerlRecord, synthesizeRun } from './synthesize-run.js';
export { type ChartMarker, type ChartSeries, lineChartSvg } from './line-chart-svg.js';
export type * from './types.js';
