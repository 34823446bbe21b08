import { formatSeconds } from '../internal/format-seconds.js';
import type { TrainReport } from './report.js';

/**
 * The before/after table of a run as Markdown: refusal accuracy on hard-irrelevant queries, mIoU and
 * R@0.5 on relevant ones (plus false refusals and the format rate), SFT vs RA-RFT, held-out prompts.
 */
export function beforeAfterTable(report: TrainReport): string {
  const { sft, raRft } = report.beforeAfter;
  const f = (x: number) => x.toFixed(3);
  const d = (a: number, b: number) => `${b - a >= 0 ? '+' : '−'}${Math.abs(b - a).toFixed(3)}`;
  const rows: [string, number, number][] = [
    ['refusal accuracy (hard-irrelevant) ↑', sft.refusalAccuracy, raRft.refusalAccuracy],
    ['mIoU (relevant) ↑', sft.mIoU, raRft.mIoU],
    ['R@0.5 (relevant) ↑', sft.recallAt05, raRft.recallAt05],
    ['false refusals (relevant) ↓', sft.falseRefusalRate, raRft.falseRefusalRate],
    ['format rate ↑', sft.formatRate, raRft.formatRate],
  ];
  return [
    `| held-out (${raRft.relevantCount} relevant, ${raRft.irrelevantCount} hard-irrelevant) | SFT policy | RA-RFT policy | change |`,
    '| --- | ---: | ---: | ---: |',
    ...rows.map(([name, a, b]) => `| ${name} | ${f(a)} | ${f(b)} | ${d(a, b)} |`),
  ].join('\n');
}

/** A Markdown summary of a run: setup, timing, the before/after table and example completions. */
export function runSummary(report: TrainReport, command?: string): string {
  const t = report.timing;
  const c = report.config;
  const lines = [
    '# RA-RFT reference trainer run',
    '',
    ...(command === undefined ? [] : ['```', command, '```', '']),
    `- backend: ${report.backend.name}${report.backend.adapter === undefined ? '' : ` (${report.backend.adapter})`}; policy: ${report.policy.name}, ${report.policy.parameters} parameters`,
    `- machine: ${report.machine.cores} × ${report.machine.cpu}, Node ${report.machine.node}`,
    `- SFT: ${c.sft.steps} steps × ${c.sft.batchSize} relevant demonstrations (${formatSeconds(t.sftSeconds)}, ${t.sftStepsPerSecond} steps/s)`,
    `- GRPO: ${c.grpo.steps} steps × ${c.grpo.promptsPerStep} prompts × G = ${c.grpo.groupSize}, ${c.grpo.updatesPerBatch} updates per batch, ε ${c.grpo.clipEpsilon}, β ${c.grpo.klBeta} (${formatSeconds(t.grpoSeconds)}, ${t.grpoStepsPerSecond} steps/s)`,
    `- total wall time: ${formatSeconds(t.totalSeconds)} (evaluation ${formatSeconds(t.evaluationSeconds)}); seed ${c.seed}`,
    '',
    beforeAfterTable(report),
    '',
    '## Example held-out completions (greedy)',
    '',
    ...report.examples.flatMap((e) => [
      `- ${e.relevant ? 'relevant' : `hard-irrelevant (${e.category})`}: \`${e.prompt}\``,
      `  - SFT: \`${e.sft}\``,
      `  - RA-RFT: \`${e.raRft}\``,
    ]),
    '',
  ];
  return lines.join('\n');
}
