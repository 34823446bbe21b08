import { importOptionalPackage } from '../internal/edge/optional-dependency.js';
import { RA_RFT_PARTS } from '../internal/reward-parts.js';
import { renderVegaLiteSvg } from '../internal/edge/vega-svg.js';
import type { TrainReport } from './report.js';

/** The training-curve picture in two formats. */
export interface TrainingCurves {
  /** SVG markup (vega View `toSVG`, renderer `none`). */
  svg: string;
  /** PNG bytes (the SVG rasterised by `@resvg/resvg-js`). */
  png: Uint8Array;
}

/** Options of {@link renderTrainingCurves}. */
export interface RenderCurvesOptions {
  /** Moving-average window over GRPO steps for the sampled-completion curves (default 10). */
  smoothing?: number | undefined;
  /** PNG scale factor (default 2). */
  pngScale?: number | undefined;
}

const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';

/**
 * Draws the GRPO training curves of a run with vega-lite: the RA-RFT reward parts, refusal accuracy on
 * hard-irrelevant prompts, relevant mIoU and the format rate, per step (sampled completions, moving
 * average) with the periodic held-out greedy evaluations as points. Returns SVG and PNG.
 */
export async function renderTrainingCurves(report: TrainReport, options: RenderCurvesOptions = {}): Promise<TrainingCurves> {
  const window = options.smoothing ?? 10;
  const rewardRows = report.grpo.steps.flatMap((s) =>
    (['total', ...RA_RFT_PARTS] as const).map((part) => ({ step: s.step, part, value: s.reward[part] })),
  );
  const metricRows: { step: number; metric: string; value: number; source: string }[] = [];
  for (const s of report.grpo.steps) {
    metricRows.push(
      { step: s.step, metric: 'refusal accuracy (hard-irrelevant)', value: s.refusalRate, source: 'sampled (train)' },
      { step: s.step, metric: 'false refusals (relevant)', value: s.falseRefusalRate, source: 'sampled (train)' },
      { step: s.step, metric: 'mIoU (relevant)', value: s.mIoU, source: 'sampled (train)' },
      { step: s.step, metric: 'format rate', value: s.formatRate, source: 'sampled (train)' },
    );
  }
  for (const e of report.grpo.evaluations) {
    metricRows.push(
      { step: e.step, metric: 'refusal accuracy (hard-irrelevant)', value: e.metrics.refusalAccuracy, source: 'held-out (greedy)' },
      { step: e.step, metric: 'false refusals (relevant)', value: e.metrics.falseRefusalRate, source: 'held-out (greedy)' },
      { step: e.step, metric: 'mIoU (relevant)', value: e.metrics.mIoU, source: 'held-out (greedy)' },
      { step: e.step, metric: 'format rate', value: e.metrics.formatRate, source: 'held-out (greedy)' },
    );
  }
  const smooth = (groupby: string[]) => [
    { window: [{ op: 'mean', field: 'value', as: 'smoothed' }], frame: [-(window - 1), 0], groupby, sort: [{ field: 'step' }] },
  ];
  const panel = (metric: string, title: string) => ({
    title,
    width: 300,
    height: 170,
    data: { values: metricRows },
    transform: [{ filter: { field: 'metric', equal: metric } }],
    encoding: { x: { field: 'step', type: 'quantitative', title: 'GRPO step' } },
    layer: [
      {
        transform: [{ filter: { field: 'source', equal: 'sampled (train)' } }, ...smooth(['metric'])],
        mark: { type: 'line', color: '#4c78a8' },
        encoding: { y: { field: 'smoothed', type: 'quantitative', title: null, scale: { domain: [0, 1] } } },
      },
      {
        transform: [{ filter: { field: 'source', equal: 'held-out (greedy)' } }],
        mark: { type: 'line', point: { color: '#e45756' }, color: '#e45756', strokeDash: [4, 2] },
        encoding: { y: { field: 'value', type: 'quantitative', title: null, scale: { domain: [0, 1] } } },
      },
    ],
  });
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `RA-RFT GRPO on synthetic HI-VTG (${report.backend.name}, ${report.policy.name})`,
      subtitle: 'blue: sampled completions (moving average); red: held-out greedy evaluation',
    },
    config: { font: FONT, view: { stroke: '#ddd' } },
    vconcat: [
      {
        hconcat: [
          {
            title: 'RA-RFT reward parts (sampled, moving average)',
            // As wide as two panels below, so both rows line up.
            width: 560,
            height: 170,
            data: { values: rewardRows },
            transform: smooth(['part']),
            mark: 'line',
            encoding: {
              x: { field: 'step', type: 'quantitative', title: 'GRPO step' },
              y: { field: 'smoothed', type: 'quantitative', title: 'reward' },
              // A legend inside the empty band between total and the parts (labels at the line ends overlap: format and refuseIoU end close).
              color: { field: 'part', type: 'nominal', title: null, sort: ['total', 'format', 'refuseIoU', 'explain', 'correction'], legend: { orient: 'none', legendX: 170, legendY: 80, direction: 'horizontal', columns: 5, columnPadding: 14 } },
            },
          },
          panel('refusal accuracy (hard-irrelevant)', 'refusal accuracy on hard-irrelevant queries'),
        ],
        spacing: 70,
      },
      {
        hconcat: [
          panel('mIoU (relevant)', 'mIoU on relevant queries'),
          panel('false refusals (relevant)', 'false refusals on relevant queries'),
          panel('format rate', 'format rate'),
        ],
      },
    ],
  };
  const install = 'npm install vega vega-lite @resvg/resvg-js';
  const svg = await renderVegaLiteSvg('renderTrainingCurves', spec, install);
  const resvg = await importOptionalPackage<typeof import('@resvg/resvg-js')>('renderTrainingCurves', '@resvg/resvg-js', install);
  const png = new resvg.Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: options.pngScale ?? 2 },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  })
    .render()
    .asPng();
  return { svg, png: new Uint8Array(png) };
}
