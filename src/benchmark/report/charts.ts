// Vega-Lite specifications of the report's plots, built from a BenchResult (data inlined: no network).
import type { BenchResult } from '../bench-variants.js';
import { bucketOrder } from './tables.js';

/** A Vega-Lite specification (kept loose: the report only builds, compiles and renders them). */
export type VegaLiteSpec = Record<string, unknown>;

/** A named chart of the report. */
export interface ReportChart {
  id: string;
  title: string;
  caption: string;
  spec: VegaLiteSpec;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const CONFIG = { font: 'sans-serif', view: { stroke: '#ddd' }, axis: { labelLimit: 260 } };

function variantOrder(result: BenchResult): string[] {
  return result.variants.map((variant) => variant.id);
}

/** Box plots (min–max rule, quartile bar, median tick, mean dot) of the reward per kind, one panel per variant. */
export function distributionChart(result: BenchResult): ReportChart {
  const order = bucketOrder(result);
  const values = result.variants.flatMap((variant) =>
    order.flatMap((bucket) => {
      const d = variant.distribution[bucket];
      return d === undefined || d.n === 0 ? [] : [{ variant: variant.id, bucket, min: d.min, q1: d.q1, median: d.median, q3: d.q3, max: d.max, mean: d.mean }];
    }),
  );
  const y = { field: 'bucket', type: 'nominal', sort: order, title: null };
  return {
    id: 'distributions',
    title: 'Reward distribution per completion kind',
    caption: 'Each panel is one variant (its own reward scale). Line: min to max; box: quartiles; tick: median; dot: mean.',
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      data: { values },
      facet: { field: 'variant', type: 'nominal', sort: variantOrder(result), title: null, header: { labelFontSize: 13, labelFontWeight: 'bold' } },
      columns: 3,
      spec: {
        width: 230,
        height: { step: 14 },
        layer: [
          { mark: { type: 'rule', color: '#888' }, encoding: { y, x: { field: 'min', type: 'quantitative', title: 'reward' }, x2: { field: 'max' } } },
          { mark: { type: 'bar', size: 9, color: '#9ecae1' }, encoding: { y, x: { field: 'q1', type: 'quantitative' }, x2: { field: 'q3' } } },
          { mark: { type: 'tick', color: '#08519c', thickness: 2, size: 11 }, encoding: { y, x: { field: 'median', type: 'quantitative' } } },
          { mark: { type: 'point', filled: true, color: '#e6550d', size: 22 }, encoding: { y, x: { field: 'mean', type: 'quantitative' } } },
        ],
      },
      resolve: { scale: { x: 'independent' } },
    },
  };
}

/** ROC curves of good vs bad completions, one line per variant. */
export function rocChart(result: BenchResult): ReportChart {
  const label = (variant: BenchResult['variants'][number]): string => `${variant.id} (AUC ${variant.auc.all?.toFixed(3) ?? 'n/a'})`;
  const values = result.variants.flatMap((variant) => variant.roc.map((point, order) => ({ variant: label(variant), order, ...point })));
  return {
    id: 'roc',
    title: 'ROC: genuine vs bad completions',
    caption: 'Genuine: gold span, genuine refusal. Bad: wrong span, wrong refusal, missed refusal, format error (hacks excluded). The diagonal is chance.',
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      width: 380,
      height: 380,
      layer: [
        { data: { values: [{ x: 0, y: 0, x2: 1, y2: 1 }] }, mark: { type: 'rule', strokeDash: [4, 4], color: '#aaa' }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, x2: { field: 'x2' }, y2: { field: 'y2' } } },
        {
          data: { values },
          mark: { type: 'line', interpolate: 'linear', strokeWidth: 2, opacity: 0.85 },
          encoding: {
            x: { field: 'fpr', type: 'quantitative', title: 'false-positive rate', scale: { domain: [0, 1] } },
            y: { field: 'tpr', type: 'quantitative', title: 'true-positive rate', scale: { domain: [0, 1] } },
            color: { field: 'variant', type: 'nominal', title: 'variant', scale: { domain: result.variants.map(label) }, legend: { labelLimit: 400 } },
            order: { field: 'order', type: 'quantitative' },
          },
        },
      ],
    },
  };
}

/** Mean reward per true-IoU decile, relative to the exact answer's mean reward. */
export function iouChart(result: BenchResult): ReportChart {
  const label = (variant: BenchResult['variants'][number]): string => `${variant.id} (ρ ${variant.spearman?.toFixed(3) ?? 'n/a'})`;
  const values = result.variants.flatMap((variant) => {
    const exact = variant.genuineMean.relevant;
    return exact === null || exact === 0 ? [] : variant.iouCurve.map((point) => ({ variant: label(variant), iou: point.iou, relative: point.mean / exact }));
  });
  return {
    id: 'iou',
    title: 'Reward vs true IoU',
    caption: 'Span answers on relevant targets (gold, near misses, wrong spans), binned by true IoU; the mean reward of each bin divided by the mean reward of the exact answer, so that scales compare.',
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      width: 380,
      height: 300,
      data: { values },
      mark: { type: 'line', point: true, strokeWidth: 2 },
      encoding: {
        x: { field: 'iou', type: 'quantitative', title: 'true IoU (bin centre)', scale: { domain: [0, 1] } },
        y: { field: 'relative', type: 'quantitative', title: 'mean reward ÷ exact answer\'s' },
        color: { field: 'variant', type: 'nominal', title: 'variant', scale: { domain: result.variants.map(label) }, legend: { labelLimit: 400 } },
      },
    },
  };
}

/** Heat map of the mean hack reward relative to the genuine answer's, per hack and variant. */
export function hackChart(result: BenchResult): ReportChart {
  const values = result.variants.flatMap((variant) =>
    variant.hacks.map((hack) => {
      const genuine = hack.targetKind === 'relevant' ? variant.genuineMean.relevant : variant.genuineMean.irrelevant;
      const relative = genuine === null || genuine === 0 ? null : hack.mean / genuine;
      return { variant: variant.id, hack: `${hack.hack} (${hack.targetKind === 'relevant' ? 'rel' : 'irr'})`, relative: hack.counted ? relative : null, label: hack.counted ? (relative === null ? 'n/a' : relative.toFixed(2)) : 'n/c' };
    }),
  );
  return {
    id: 'hacks',
    title: 'Hack reward relative to the genuine answer',
    caption: 'Mean reward of each hack divided by the mean reward of the genuine answer for that target kind (1 = the hack pays as much as doing the task). n/c: not counted, the hack attacks no part the variant scores. Empty: no form in that format.',
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      data: { values },
      width: { step: 70 },
      height: { step: 20 },
      encoding: {
        x: { field: 'variant', type: 'nominal', sort: variantOrder(result), title: null, axis: { orient: 'top', labelAngle: -30, labelAlign: 'left' } },
        y: { field: 'hack', type: 'nominal', sort: null, title: null },
      },
      layer: [
        { mark: { type: 'rect' }, encoding: { color: { field: 'relative', type: 'quantitative', title: 'hack ÷ genuine', scale: { scheme: 'orangered', domain: [0, 1.2], clamp: true } } } },
        { mark: { type: 'text', fontSize: 10 }, encoding: { text: { field: 'label', type: 'nominal' } } },
      ],
    },
  };
}

/** Zero-variance group shares per variant and skill. */
export function zeroVarianceChart(result: BenchResult): ReportChart {
  const values = result.variants.flatMap((variant) =>
    variant.zeroVariance.flatMap((entry) =>
      (['relevant', 'irrelevant'] as const).flatMap((side) => (entry[side] === null ? [] : [{ variant: variant.id, skill: entry.skill === null ? 'data' : `p=${entry.skill}`, side, share: entry[side] }])),
    ),
  );
  return {
    id: 'zero-variance',
    title: `Zero-variance groups (G = ${result.config.groupSize})`,
    caption: 'Share of GRPO groups with no learning signal (all rewards equal), per target kind and policy skill (share of genuine attempts).',
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      data: { values },
      facet: { column: { field: 'side', type: 'nominal', title: null }, row: { field: 'skill', type: 'nominal', title: null } },
      spec: {
        width: 260,
        height: { step: 14 },
        mark: { type: 'bar' },
        encoding: {
          y: { field: 'variant', type: 'nominal', sort: variantOrder(result), title: null },
          x: { field: 'share', type: 'quantitative', title: 'share of groups', scale: { domain: [0, 1] }, axis: { format: '%' } },
          color: { field: 'variant', type: 'nominal', legend: null },
        },
      },
    },
  };
}

/** Every chart of the report, in order. */
export function reportCharts(result: BenchResult): ReportChart[] {
  const charts = [distributionChart(result), rocChart(result), iouChart(result), hackChart(result), zeroVarianceChart(result)];
  return charts.filter((chart) => ((chart.spec.data as { values?: unknown[] } | undefined)?.values?.length ?? 1) > 0);
}
