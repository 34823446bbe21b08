import type { BenchResult } from '../bench-variants.js';
import { type Table, reportTables } from './tables.js';

/** Escapes a table cell for GitHub Markdown: backslashes, pipes, emphasis characters and angle brackets. */
export function markdownCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/([*_`[\]])/g, '\\$1').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, ' ');
}

/** One table as Markdown, with its title as a level-2 heading. */
export function markdownTable(table: Table): string {
  const lines = [`## ${table.title}`, ''];
  if (table.note !== undefined) lines.push(table.note, '');
  lines.push(`| ${table.headers.map(markdownCell).join(' | ')} |`, `|${table.headers.map(() => '---').join('|')}|`);
  for (const row of table.rows) lines.push(`| ${row.map(markdownCell).join(' | ')} |`);
  return lines.join('\n');
}

/** The run's settings in one paragraph. */
export function runDescription(result: BenchResult, command?: string): string[] {
  const lines: string[] = [];
  if (command !== undefined) lines.push(`Command: \`${command}\``, '');
  const source =
    result.mode === 'model'
      ? `${result.completions.total} model completions for ${result.data.targets.relevant} relevant and ${result.data.targets.irrelevant} irrelevant targets`
      : `${result.completions.total} synthesized completions (+ ${result.completions.groupCompletions} in simulated groups) for ${result.data.targets.relevant} relevant and ${result.data.targets.irrelevant} irrelevant targets, seed ${result.config.seed}, ` +
        `${result.config.itemsPerFile === 0 ? 'all' : result.config.itemsPerFile} items per file, near-miss IoU levels ${result.config.iouLevels.join(', ')}`;
  lines.push(`${source}. Node ${result.machine.node}, ${result.machine.cores} × ${result.machine.cpu}; ${result.elapsedSeconds.toFixed(1)} s in all (completions/s depend on the machine).`);
  return lines;
}

/**
 * The benchmark report as Markdown: the run's settings and every table (summary, reward per kind, hacks,
 * zero-variance groups, variants, data).
 */
export function renderMarkdown(result: BenchResult, options?: { command?: string | undefined; title?: string | undefined }): string {
  return `${[`# ${options?.title ?? 'Reward-variant benchmark'}`, '', ...runDescription(result, options?.command), '', ...reportTables(result).flatMap((table) => [markdownTable(table), ''])].join('\n').trimEnd()}\n`;
}
