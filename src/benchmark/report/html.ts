import { OptionalDependencyError } from '../../errors.js';
import { renderVegaLiteSvg } from '../../internal/edge/vega-svg.js';
import type { BenchResult } from '../bench-variants.js';
import { type ReportChart, type VegaLiteSpec, reportCharts } from './charts.js';
import { runDescription } from './markdown.js';
import { type Table, reportTables } from './tables.js';

/** Thrown when the optional packages the HTML report needs (vega, vega-lite) are missing: an {@link OptionalDependencyError}. */
export class ReportDependencyError extends OptionalDependencyError {
  static override readonly kind: string = 'ReportDependencyError';
  override name = 'ReportDependencyError';
}

const INSTALL = 'the HTML report needs the optional packages vega and vega-lite (npm install vega vega-lite), or skip it with --no-html';

/**
 * Compiles a Vega-Lite spec to Vega and renders it to a static SVG string in Node (a headless `View`
 * with renderer `none`; no canvas, no network).
 *
 * @example
 * const svg = await renderSvg({ data: { values: [{ x: 1, y: 2 }] }, mark: 'point', encoding: { x: { field: 'x', type: 'quantitative' } } });
 * svg.startsWith('<svg'); // => true
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  return renderVegaLiteSvg('renderSvg', spec, INSTALL, ReportDependencyError);
}

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function htmlTable(table: Table): string {
  const head = `<tr>${table.headers.map((cell) => `<th>${escapeHtml(cell)}</th>`).join('')}</tr>`;
  const body = table.rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
  return `<section><h2>${escapeHtml(table.title)}</h2>${table.note === undefined ? '' : `<p class="note">${escapeHtml(table.note)}</p>`}<div class="scroll"><table>${head}\n${body}</table></div></section>`;
}

function htmlChart(chart: ReportChart, svg: string): string {
  return `<section id="${chart.id}"><h2>${escapeHtml(chart.title)}</h2><p class="note">${escapeHtml(chart.caption)}</p><figure>${svg}</figure></section>`;
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1400px;padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}p.note{color:#555;font-size:.9rem;max-width:70rem}
table{border-collapse:collapse;font-size:.82rem}th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}tr:nth-child(even) td{background:#fafafa}.scroll{overflow-x:auto}figure{margin:0}code{background:#f4f4f4;padding:0 .2rem}`;

/**
 * The benchmark report as one self-contained HTML file: the tables of the Markdown summary and the plots
 * (reward distributions, ROC curves, reward vs IoU, hack heat map, zero-variance groups) as inline SVG
 * rendered with Vega-Lite. No script, no external resource.
 */
export async function renderHtml(result: BenchResult, options?: { command?: string | undefined; title?: string | undefined; onProgress?: ((message: string) => void) | undefined }): Promise<string> {
  const title = options?.title ?? 'Reward-variant benchmark';
  const charts: string[] = [];
  for (const chart of reportCharts(result)) {
    options?.onProgress?.(`rendering chart ${chart.id}`);
    charts.push(htmlChart(chart, await renderSvg(chart.spec)));
  }
  const [summary, ...rest] = reportTables(result);
  const description = runDescription(result, options?.command)
    .filter((line) => line !== '')
    .map((line) => `<p>${escapeHtml(line).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1>
${description}
${summary === undefined ? '' : htmlTable(summary)}
${charts.join('\n')}
${rest.map(htmlTable).join('\n')}
</body></html>
`;
}
