/// <reference lib="dom" />
// The playground's plots: Vega-Lite specs rendered to SVG with vega (the project's charting library), in
// a chunk loaded only when the rollouts panel has data to plot.
import { View, parse } from 'vega';
import { compile } from 'vega-lite';
import type { HistogramBin } from '../rollouts.js';

/**
 * An SVG histogram of one reward part from precomputed bins.
 *
 * @example
 * const svg = await histogramSvg('total', [{ part: 'total', start: 0, end: 1, count: 3 }]);
 * svg.startsWith('<svg'); // => true
 */
export async function histogramSvg(part: string, bins: readonly HistogramBin[]): Promise<string> {
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: part,
    width: 260,
    height: 130,
    data: { values: bins.map((bin) => ({ start: bin.start, end: bin.end, count: bin.count })) },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'start', type: 'quantitative', bin: { binned: true }, title: part },
      x2: { field: 'end' },
      y: { field: 'count', type: 'quantitative', title: 'completions' },
    },
  };
  const view = new View(parse(compile(spec as never).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
