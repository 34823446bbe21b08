/** One line of a {@link lineChartSvg}. */
export interface ChartSeries {
  name: string;
  /** `[step, value]`; null values break the line. */
  points: readonly (readonly [number, number | null])[];
}

/** A vertical marker: a finding at its first step. */
export interface ChartMarker {
  x: number;
  label: string;
  severity: 'info' | 'warning' | 'error';
}

const COLORS = ['#4c78a8', '#f58518', '#54a24b', '#b279a2', '#e45756', '#72b7b2', '#eeca3b'];
const SEVERITY = { info: '#888', warning: '#e8a400', error: '#d62728' } as const;
const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));

/**
 * A self-contained SVG line chart (no script, no fonts to fetch): steps on x, one line per series, a legend,
 * and dashed vertical markers where findings first fired. For the audit's offline report.
 *
 * @example
 * lineChartSvg('t', [{ name: 'a', points: [[1, 0], [2, 1]] }], []).startsWith('<svg'); // => true
 */
export function lineChartSvg(title: string, series: readonly ChartSeries[], markers: readonly ChartMarker[], { width = 760, height = 240 } = {}): string {
  const left = 48;
  const right = 150;
  const top = 24;
  const bottom = 28;
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]).filter((y): y is number => y !== null && Number.isFinite(y)));
  const x0 = xs.length === 0 ? 0 : Math.min(...xs);
  const x1 = xs.length === 0 ? 1 : Math.max(...xs, x0 + 1);
  let y0 = ys.length === 0 ? 0 : Math.min(0, ...ys);
  let y1 = ys.length === 0 ? 1 : Math.max(...ys);
  if (y1 - y0 < 1e-9) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  const w = width - left - right;
  const h = height - top - bottom;
  const X = (x: number) => left + ((x - x0) / (x1 - x0)) * w;
  const Y = (y: number) => top + h - ((y - y0) / (y1 - y0)) * h;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11" role="img" aria-label="${esc(title)}">`);
  parts.push(`<text x="${left}" y="14" font-size="13" font-weight="600">${esc(title)}</text>`);
  for (let k = 0; k <= 4; k++) {
    const y = y0 + ((y1 - y0) * k) / 4;
    parts.push(`<line x1="${left}" x2="${left + w}" y1="${Y(y).toFixed(1)}" y2="${Y(y).toFixed(1)}" stroke="#eee"/><text x="${left - 4}" y="${(Y(y) + 4).toFixed(1)}" text-anchor="end" fill="#555">${fmt(y)}</text>`);
  }
  const ticks = Math.min(10, Math.max(1, Math.round(x1 - x0)));
  for (let k = 0; k <= ticks; k++) {
    const x = Math.round(x0 + ((x1 - x0) * k) / ticks);
    parts.push(`<text x="${X(x).toFixed(1)}" y="${top + h + 16}" text-anchor="middle" fill="#555">${x}</text>`);
  }
  parts.push(`<line x1="${left}" x2="${left + w}" y1="${top + h}" y2="${top + h}" stroke="#999"/><text x="${left + w}" y="${height - 2}" text-anchor="end" fill="#555">step</text>`);
  markers.forEach((m, k) => {
    const x = X(m.x).toFixed(1);
    parts.push(`<line x1="${x}" x2="${x}" y1="${top}" y2="${top + h}" stroke="${SEVERITY[m.severity]}" stroke-dasharray="4 3"/><text x="${x}" y="${top + 10 + 11 * (k % 6)}" fill="${SEVERITY[m.severity]}" dx="3">${esc(m.label)}</text>`);
  });
  series.forEach((s, k) => {
    const color = COLORS[k % COLORS.length] as string;
    let d = '';
    let pen = false;
    for (const [x, y] of s.points) {
      if (y === null || !Number.isFinite(y)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${X(x).toFixed(1)},${Y(y).toFixed(1)}`;
      pen = true;
    }
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.6"/>`);
    parts.push(`<rect x="${left + w + 12}" y="${top + 14 * k}" width="10" height="3" fill="${color}"/><text x="${left + w + 26}" y="${top + 14 * k + 5}">${esc(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
