// The evaluation report as data: tables (summary.md, report.html, stdout) and Vega-Lite chart specs
// (report.html). Rendering lives with the CLI, which draws the charts with the benchmark report's renderer.
import type { EvaluationMetrics, ItemEvaluation } from './types.js';

/** A table: header cells and rows of plain-text cells. */
export interface EvaluationTable {
  title: string;
  note?: string | undefined;
  headers: string[];
  rows: string[][];
}

/** A chart of the report: a Vega-Lite specification with its data inlined. */
export interface EvaluationChart {
  id: string;
  title: string;
  caption: string;
  spec: Record<string, unknown>;
}

/** A fraction as a percentage with one decimal (`83.3`), `n/a` for null. */
export function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? 'n/a' : (value * 100).toFixed(1);
}

const fixed = (value: number | null | undefined, digits = 3): string => (value === null || value === undefined ? 'n/a' : value.toFixed(digits));

/**
 * The headline table in the paper's layout (percentages): relevance accuracy, per-class F1, RA-IoU mean and
 * R@0.3/0.5/0.7 over all items, mIoU and R@0.5 of relevant items, then the explanation similarity and, marked
 * with `*`, the judge-dependent reasoning score (0–5) and RT-IoU.
 *
 * @example
 * const { metrics } = await evaluatePredictions(items);
 * console.log(markdownTable(paperTable(metrics)));
 */
export function paperTable(metrics: EvaluationMetrics): EvaluationTable {
  const { relevance, raIoU, relevantOnly, explanation, judged } = metrics;
  return {
    title: 'Summary (paper layout)',
    note:
      `${metrics.count} items (${relevance.relevant.count} relevant, ${relevance.irrelevant.count} irrelevant). Percentages; R@k over all items counts RA-IoU ≥ k. ` +
      `Sim.: explanation similarity (${explanation === null ? 'no embedder ran' : `embedder ${explanation.embedder}`}). ` +
      `* judge-dependent (${judged === null ? 'no judge ran' : judged.judge}): reasoning 0–5, RT-IoU.`,
    headers: ['Acc', 'F1 rel.', 'F1 irr.', 'RA-mIoU', 'R@0.3', 'R@0.5', 'R@0.7', 'mIoU (rel.)', 'R@0.5 (rel.)', 'Sim.', 'Reason.*', 'RT-IoU*'],
    rows: [
      [
        percent(relevance.accuracy),
        percent(relevance.relevant.f1),
        percent(relevance.irrelevant.f1),
        percent(raIoU.mean),
        percent(raIoU['R@0.3']),
        percent(raIoU['R@0.5']),
        percent(raIoU['R@0.7']),
        percent(relevantOnly.mIoU),
        percent(relevantOnly['R@0.5']),
        explanation === null ? 'n/a' : percent(explanation.mean),
        judged === null ? 'n/a' : fixed(judged.reasoning.mean, 2),
        judged === null ? 'n/a' : percent(judged.rtIoU.mean),
      ],
    ],
  };
}

/** Every table of the report: the paper layout, relevance per class, the confusion matrix, hardness levels, categories. */
export function evaluationTables(metrics: EvaluationMetrics): EvaluationTable[] {
  const { relevance } = metrics;
  const { TP, FP, FN, TN } = relevance.confusion;
  const tables: EvaluationTable[] = [
    paperTable(metrics),
    {
      title: 'Relevance per class',
      note: 'Precision, recall, F1 and accuracy within the ground-truth class, as fractions; n/a where the quotient is 0/0 (an empty class). Refusal rate: answers without a span.',
      headers: ['class', 'items', 'decided', 'precision', 'recall', 'F1', 'accuracy', 'refusal rate'],
      rows: (['relevant', 'irrelevant'] as const).map((name) => {
        const c = relevance[name];
        return [name, String(c.count), String(c.predicted), fixed(c.precision), fixed(c.recall), fixed(c.f1), fixed(c.accuracy), fixed(c.refusalRate)];
      }),
    },
    {
      title: 'Confusion matrix',
      note: `Relevant is the positive class. Answers: ${metrics.answers.span} span, ${metrics.answers.refusal} refusal, ${metrics.answers.none} none (no answer: ${metrics.settings.noAnswer === 'wrong' ? 'a wrong decision' : 'decided irrelevant'}). Format rate ${fixed(metrics.formatRate)}.`,
      headers: ['ground truth', 'decided relevant', 'decided irrelevant'],
      rows: [
        ['relevant', `TP ${TP}`, `FN ${FN}`],
        ['irrelevant', `FP ${FP}`, `TN ${TN}`],
      ],
    },
  ];
  const levels = Object.entries(metrics.byHardness);
  if (levels.length > 0) {
    tables.push({
      title: 'By hardness level',
      note: 'Accuracy of the relevance decision and RA-IoU within each level.',
      headers: ['level', 'items', 'relevant', 'irrelevant', 'accuracy', 'RA-mIoU', 'R@0.3', 'R@0.5', 'R@0.7'],
      rows: levels.map(([level, m]) => [level, String(m.count), String(m.relevant), String(m.irrelevant), fixed(m.accuracy), fixed(m.raIoU.mean), fixed(m.raIoU['R@0.3']), fixed(m.raIoU['R@0.5']), fixed(m.raIoU['R@0.7'])]),
    });
  }
  const categories = Object.entries(metrics.byCategory);
  if (categories.length > 0) {
    tables.push({
      title: 'Refusal accuracy by mismatch category',
      note: 'Irrelevant items carrying each ground-truth category (an item with several counts in each); correct = refused.',
      headers: ['category', 'items', 'refused', 'accuracy'],
      rows: categories.map(([label, m]) => [label, String(m.count), String(m.correct), fixed(m.accuracy)]),
    });
  }
  const { explanation, judged } = metrics;
  tables.push({
    title: 'Explanations',
    note: 'Similarity: cosine of the model explanation and the ground-truth refusal, clipped to [0, 1]; "mean" counts a wrong decision as 0 over all irrelevant items with a reference. Judge-dependent rows change with the judge model and its prompts.',
    headers: ['metric', 'value', 'items', 'source'],
    rows: [
      ['similarity (mean)', fixed(explanation?.mean), String(explanation?.count ?? 0), explanation?.embedder ?? 'no embedder ran'],
      ['similarity (correct refusals)', fixed(explanation?.meanCorrectRefusals), String(explanation?.correctRefusals ?? 0), explanation?.embedder ?? 'no embedder ran'],
      ['reasoning 0–5 (mean)*', fixed(judged?.reasoning.mean), String(judged?.reasoning.count ?? 0), judged?.judge ?? 'no judge ran'],
      ['reasoning 0–5 (correct refusals)*', fixed(judged?.reasoning.meanCorrectRefusals), String(judged?.reasoning.scored ?? 0), judged?.judge ?? 'no judge ran'],
      ['RT-IoU (category Jaccard)*', fixed(judged?.rtIoU.mean), String(judged?.rtIoU.count ?? 0), judged?.judge ?? 'no judge ran'],
    ],
  });
  return tables;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const CONFIG = { font: 'sans-serif', view: { stroke: '#ddd' }, axis: { labelLimit: 260 } };

/** The report's charts: confusion matrix, RA-IoU histogram by ground truth, refusal accuracy per category (when any). */
export function evaluationCharts(metrics: EvaluationMetrics, items: readonly Pick<ItemEvaluation, 'gtRelevant' | 'raIoU'>[]): EvaluationChart[] {
  const { TP, FP, FN, TN } = metrics.relevance.confusion;
  const cells = [
    { truth: 'relevant', decision: 'relevant', cell: 'TP', count: TP },
    { truth: 'relevant', decision: 'irrelevant', cell: 'FN', count: FN },
    { truth: 'irrelevant', decision: 'relevant', cell: 'FP', count: FP },
    { truth: 'irrelevant', decision: 'irrelevant', cell: 'TN', count: TN },
  ].map((cell) => ({ ...cell, label: `${cell.cell} ${cell.count}` }));
  const axis = { sort: ['relevant', 'irrelevant'] };
  const charts: EvaluationChart[] = [
    {
      id: 'confusion',
      title: 'Confusion matrix',
      caption: 'Rows: ground truth; columns: the decision read from the answer (a span = relevant, a refusal = irrelevant). Relevant is the positive class.',
      spec: {
        $schema: SCHEMA,
        config: CONFIG,
        data: { values: cells },
        width: 220,
        height: 220,
        encoding: {
          x: { field: 'decision', type: 'nominal', title: 'decision', ...axis, axis: { orient: 'top', labelAngle: 0 } },
          y: { field: 'truth', type: 'nominal', title: 'ground truth', ...axis },
        },
        layer: [
          { mark: { type: 'rect' }, encoding: { color: { field: 'count', type: 'quantitative', title: 'items', scale: { scheme: 'blues' } } } },
          { mark: { type: 'text', fontSize: 14 }, encoding: { text: { field: 'label', type: 'nominal' } } },
        ],
      },
    },
    {
      id: 'ra-iou',
      title: 'RA-IoU histogram',
      caption: 'RA-IoU of each item in bins of 0.1 (the last bin holds 1.0, every correct refusal among them), stacked by ground truth. Dashed: the R@k thresholds.',
      spec: {
        $schema: SCHEMA,
        config: CONFIG,
        width: 420,
        height: 240,
        layer: [
          {
            data: {
              values: items.map((item) => {
                const bin = Math.min(9, Math.floor(item.raIoU * 10));
                return { from: bin / 10, to: (bin + 1) / 10, truth: item.gtRelevant ? 'relevant' : 'irrelevant' };
              }),
            },
            mark: { type: 'bar', binSpacing: 1 },
            encoding: {
              x: { field: 'from', type: 'quantitative', title: 'RA-IoU', scale: { domain: [0, 1] }, bin: { binned: true, step: 0.1 } },
              x2: { field: 'to' },
              y: { aggregate: 'count', type: 'quantitative', title: 'items' },
              color: { field: 'truth', type: 'nominal', title: 'ground truth', scale: { domain: ['relevant', 'irrelevant'] } },
            },
          },
          { data: { values: [{ k: 0.3 }, { k: 0.5 }, { k: 0.7 }] }, mark: { type: 'rule', strokeDash: [4, 4], color: '#555' }, encoding: { x: { field: 'k', type: 'quantitative' } } },
        ],
      },
    },
  ];
  const categories = Object.entries(metrics.byCategory).map(([category, m]) => ({ category, accuracy: m.accuracy, label: `${m.correct}/${m.count}` }));
  if (categories.length > 0) {
    charts.push({
      id: 'categories',
      title: 'Refusal accuracy by mismatch category',
      caption: 'Share of the irrelevant items of each ground-truth category that the model refused (refused / items at the bar end).',
      spec: {
        $schema: SCHEMA,
        config: CONFIG,
        data: { values: categories },
        width: 360,
        height: { step: 18 },
        encoding: { y: { field: 'category', type: 'nominal', title: null, sort: null } },
        layer: [
          { mark: { type: 'bar', color: '#6baed6' }, encoding: { x: { field: 'accuracy', type: 'quantitative', title: 'refusal accuracy', scale: { domain: [0, 1] }, axis: { format: '%' } } } },
          { mark: { type: 'text', align: 'left', dx: 3, fontSize: 10 }, encoding: { x: { field: 'accuracy', type: 'quantitative' }, text: { field: 'label', type: 'nominal' } } },
        ],
      },
    });
  }
  return charts;
}

/** Every numeric leaf of a metrics object as `path → value` (`relevance.confusion.TP`, `raIoU.R@0.5`…). */
export function numericLeaves(value: unknown, prefix = ''): Map<string, number> {
  const out = new Map<string, number>();
  if (typeof value === 'number') out.set(prefix, value);
  else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) for (const [path, number] of numericLeaves(child, prefix === '' ? key : `${prefix}.${key}`)) out.set(path, number);
  }
  return out;
}

/**
 * Two metrics objects side by side: every numeric metric of either, with B − A. Paths present on one side
 * only show `n/a` on the other. Settings (thresholds) are left out.
 *
 * @example
 * compareTable({ count: 2, raIoU: { mean: 0.5 } }, { count: 2, raIoU: { mean: 0.75 } }).rows; // => [['count', '2', '2', '+0'], ['raIoU.mean', '0.5000', '0.7500', '+0.2500']]
 */
export function compareTable(a: unknown, b: unknown, names: readonly [string, string] = ['A', 'B']): EvaluationTable {
  const left = numericLeaves(a);
  const right = numericLeaves(b);
  const paths = [...new Set([...left.keys(), ...right.keys()])].filter((path) => !path.startsWith('settings.'));
  const show = (value: number | undefined) => (value === undefined ? 'n/a' : Number.isInteger(value) ? String(value) : value.toFixed(4));
  return {
    title: 'Comparison',
    note: `${names[0]} → ${names[1]}; Δ = ${names[1]} − ${names[0]}.`,
    headers: ['metric', names[0], names[1], 'Δ'],
    rows: paths.map((path) => {
      const x = left.get(path);
      const y = right.get(path);
      const delta = x === undefined || y === undefined ? 'n/a' : `${y - x >= 0 ? '+' : '−'}${show(Math.abs(y - x))}`;
      return [path, show(x), show(y), delta];
    }),
  };
}
