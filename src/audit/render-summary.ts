import { DETECTORS } from './detectors.js';
import type { AuditResult } from './audit-dump.js';
import { formatSeconds } from '../internal/format-seconds.js';

const num = (x: number | null | undefined, digits = 3) => (x === null || x === undefined ? 'n/a' : Number.isInteger(x) ? String(x) : x.toFixed(digits));

/**
 * The audit as Markdown (DIR/summary.md): the findings with their first step and message, the detectors that
 * stayed quiet, the replay's changes, what was read.
 *
 * @example
 * renderAuditSummary({ path: 'run', format: 'verl', files: 1, rollouts: 0, skipped: [], steps: [], findings: [], curated: null, rescore: null, replay: null, options: parseAuditOptions({}) }).split('\n')[0]; // => '# RA-RFT reward audit'
 */
export function renderAuditSummary(result: AuditResult): string {
  const lines = ['# RA-RFT reward audit', ''];
  const first = result.steps[0]?.step;
  const last = result.steps[result.steps.length - 1]?.step;
  lines.push(`Read \`${result.path}\` (${result.format}, ${result.files} file${result.files === 1 ? '' : 's'}): ${result.rollouts} rollouts over ${result.steps.length} steps${first === undefined ? '' : ` (${first} to ${last})`}; ${result.skipped.length} records skipped. Window ${result.options.window} steps, profile \`${result.options.profile}\`.`, '');
  if (result.rescore !== null) {
    const r = result.rescore;
    lines.push(`Explain and correction re-computed with \`${r.embedder}\` for ${r.rollouts} rollouts in ${formatSeconds(r.seconds)} (estimated before it started: ${formatSeconds(r.estimate.seconds)} for ${r.estimate.texts} distinct texts at ${Math.round(r.estimate.textsPerSecond)} texts/s).`, '');
  }
  if (result.findings.length === 0) lines.push('**No detector fired.**', '');
  else {
    lines.push('## Findings', '', '| detector | first step | severity | steps firing | value | threshold | what it saw |', '|---|---|---|---|---|---|---|');
    for (const f of result.findings) lines.push(`| \`${f.detector}\` | ${f.step} | ${f.severity} | ${f.firedSteps} (last ${f.lastStep}) | ${num(f.value)} | ${num(f.threshold)} | ${f.message.replace(/\|/g, '\\|')} |`);
    lines.push('');
    for (const f of result.findings) {
      const d = DETECTORS.find((x) => x.id === f.detector);
      lines.push(`### \`${f.detector}\` from step ${f.step}`, '', d?.definition ?? '', '', `What to do: ${d?.action ?? ''}`, '');
      for (const e of f.evidence.examples) lines.push(`- step ${e.step}${e.source === undefined ? '' : ` (${e.source})`}: ${e.note}${e.completion === null ? '' : ` — \`${e.completion.replace(/`/g, "'").replace(/\n/g, ' ').slice(0, 240)}\``}`);
      lines.push('');
    }
  }
  const quiet = DETECTORS.filter((d) => !result.findings.some((f) => f.detector === d.id)).map((d) => `\`${d.id}\``);
  if (quiet.length > 0) lines.push(`Quiet: ${quiet.join(', ')}.`, '');
  if (result.replay !== null) {
    const r = result.replay;
    lines.push(`## Replay: ${JSON.stringify(r.scoring)}`, '', '| detector | first step as logged | first step as replayed |', '|---|---|---|');
    for (const d of r.detectors) if (d.logged !== null || d.replayed !== null) lines.push(`| \`${d.detector}\` | ${d.logged ?? '—'} | ${d.replayed ?? '—'} |`);
    const a = r.advantages;
    lines.push('', `Advantages: ${a.groups} groups, ${a.rollouts} rollouts compared; mean |Δ advantage| ${num(a.meanAbsChange)}, ${a.signFlips} rollouts change sign; groups without spread ${a.zeroSignalLogged} → ${a.zeroSignalReplayed}.`, '');
  }
  if (result.curated !== null) lines.push(`Curated: ${result.curated} prompts kept (spread > ${result.options.curate.minSpread}, accuracy in [${result.options.curate.accuracyLow}, ${result.options.curate.accuracyHigh}]).`, '');
  return `${lines.join('\n').trimEnd()}\n`;
}
