import { DETECTORS } from './detectors.js';
import type { AuditResult } from './audit-dump.js';
import { type ChartMarker, type ChartSeries, lineChartSvg } from './line-chart-svg.js';
import type { AuditStep } from './types.js';

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

function series(steps: readonly AuditStep[], name: string, value: (s: AuditStep) => number | null): ChartSeries {
  return { name, points: steps.map((s) => [s.step, value(s)] as const) };
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1000px;padding:0 1rem;color:#222}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}p.note{color:#555;font-size:.9rem}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}.error{color:#d62728;font-weight:600}.warning{color:#b07d00;font-weight:600}.info{color:#666}
code,pre{background:#f6f6f6;font-size:.8rem}pre{white-space:pre-wrap;padding:.4rem;margin:.2rem 0}figure{margin:.5rem 0}`;

/**
 * The audit as one offline HTML page (DIR/report.html): per-step curves of every part, refusal rates on
 * relevant and irrelevant queries, span coverage, the share of groups without signal and the completion
 * length, each with the findings marked at their first step; then the findings with evidence, and the replay.
 *
 * @example
 * renderAuditReport({ path: 'run', format: 'verl', files: 1, rollouts: 0, skipped: [], steps: [], findings: [], curated: null, rescore: null, replay: null, options: parseAuditOptions({}) }).includes('<svg'); // => true
 */
export function renderAuditReport(result: AuditResult): string {
  const steps = result.steps;
  const markers: ChartMarker[] = result.findings.map((f) => ({ x: f.step, label: f.detector, severity: f.severity }));
  const charts: [string, string, ChartSeries[]][] = [
    ['parts', 'Reward parts (step means)', [series(steps, 'total', (s) => s.means.total), series(steps, 'format', (s) => s.means.format), series(steps, 'refuseIoU', (s) => s.means.refuseIoU), series(steps, 'explain', (s) => s.means.explain), series(steps, 'correction', (s) => s.means.correction)]],
    ['refusals', 'Refusal rate by query kind', [series(steps, 'relevant refused', (s) => ratio(s.relevantRefused, s.relevant)), series(steps, 'irrelevant refused', (s) => ratio(s.irrelevantRefused, s.irrelevant))]],
    ['spans', 'Predicted spans', [series(steps, 'mean coverage', (s) => s.spanCoverage), series(steps, 'whole-video share', (s) => ratio(s.wholeVideo, s.spans)), series(steps, 'pinned share', (s) => ratio(s.pinned, s.spans)), series(steps, 'past-the-end share', (s) => ratio(s.outOfVideo, s.spans))]],
    ['signal', 'Groups and parts', [series(steps, 'zero-signal groups', (s) => ratio(s.zeroSignalGroups, s.groups)), series(steps, 'format-only share', (s) => ratio(s.formatOnly, s.scored)), series(steps, 'echoed corrections', (s) => ratio(s.echoes, s.corrections)), series(steps, 'score mismatches', (s) => ratio(s.mismatches, s.checked))]],
    ['length', 'Mean completion length (characters)', [series(steps, 'length', (s) => s.length)]],
  ];
  if (result.replay !== null) {
    const replayed = new Map(result.replay.steps.map((s) => [s.step, s] as const));
    charts.push(['replay', 'Mean total: logged vs replayed', [series(steps, 'logged', (s) => s.means.total), series(steps, 'replayed', (s) => replayed.get(s.step)?.means.total ?? null)]]);
  }
  const findingRows = result.findings
    .map((f) => {
      const d = DETECTORS.find((x) => x.id === f.detector);
      const examples = f.evidence.examples.map((e) => `<div>step ${e.step}${e.source === undefined ? '' : ` <code>${esc(e.source)}</code>`}: ${esc(e.note)}${e.completion === null ? '' : `<pre>${esc(e.completion)}</pre>`}</div>`).join('');
      return `<tr><td><code>${f.detector}</code></td><td>${f.step}</td><td class="${f.severity}">${f.severity}</td><td>${esc(f.message)}<br><small>window ${f.evidence.window.from}–${f.evidence.window.to}; firing on ${f.firedSteps} steps (last ${f.lastStep}). ${esc(d?.action ?? '')}</small>${examples}</td></tr>`;
    })
    .join('\n');
  const replay = result.replay;
  const replaySection =
    replay === null
      ? ''
      : `<h2>Replay: <code>${esc(JSON.stringify(replay.scoring))}</code></h2>
<table><tr><th>detector</th><th>first step as logged</th><th>first step as replayed</th></tr>
${replay.detectors.filter((d) => d.logged !== null || d.replayed !== null).map((d) => `<tr><td><code>${d.detector}</code></td><td>${d.logged ?? '—'}</td><td>${d.replayed ?? '—'}</td></tr>`).join('\n')}</table>
<p>Advantages: ${replay.advantages.groups} groups compared; mean |Δ advantage| ${replay.advantages.meanAbsChange.toFixed(3)}; ${replay.advantages.signFlips} rollouts change sign; groups without spread ${replay.advantages.zeroSignalLogged} → ${replay.advantages.zeroSignalReplayed}.</p>
<table><tr><th>step</th><th>group</th><th>max |Δ|</th><th>advantages logged → replayed</th></tr>
${replay.advantages.top.map((g) => `<tr><td>${g.step}</td><td>${esc(g.group.slice(0, 80))}</td><td>${g.maxChange.toFixed(3)}</td><td>${g.logged.map((x) => x.toFixed(2)).join(' ')}<br>${g.replayed.map((x) => x.toFixed(2)).join(' ')}</td></tr>`).join('\n')}</table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>RA-RFT reward audit</title><style>${STYLE}</style></head>
<body><h1>RA-RFT reward audit</h1>
<p>${esc(result.path)} (${result.format}): ${result.rollouts} rollouts, ${steps.length} steps, window ${result.options.window} steps, profile <code>${result.options.profile}</code>. ${result.findings.length === 0 ? '<strong>No detector fired.</strong>' : `<strong>${result.findings.length} finding${result.findings.length === 1 ? '' : 's'}</strong>, marked on the curves at the step each first fired.`}</p>
${charts.map(([id, title, s]) => `<figure id="${id}">${lineChartSvg(title, s, markers)}</figure>`).join('\n')}
<h2>Findings</h2>
${result.findings.length === 0 ? '<p>None.</p>' : `<table><tr><th>detector</th><th>first step</th><th>severity</th><th>evidence</th></tr>\n${findingRows}</table>`}
${replaySection}
<h2>Detectors</h2>
<table><tr><th>id</th><th>definition</th></tr>${DETECTORS.map((d) => `<tr><td><code>${d.id}</code></td><td>${esc(d.definition)}</td></tr>`).join('')}</table>
</body></html>
`;
}
