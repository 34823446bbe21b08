import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResult } from '../bench-variants.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';

/** Options of {@link writeBenchReport}. */
export interface WriteBenchReportOptions {
  /** Also write report.html (needs vega and vega-lite). Default true. */
  html?: boolean | undefined;
  /** The command that produced the result, printed in the reports. */
  command?: string | undefined;
  onProgress?: ((message: string) => void) | undefined;
}

/**
 * Writes `summary.md`, `results.json` and (by default) the self-contained `report.html` into `outDir`
 * (created when missing). Returns the paths written.
 */
export async function writeBenchReport(result: BenchResult, outDir: string, options?: WriteBenchReportOptions): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  const write = (name: string, text: string): void => {
    const path = join(outDir, name);
    writeFileSync(path, text);
    written.push(path);
  };
  write('summary.md', renderMarkdown(result, { command: options?.command }));
  write('results.json', `${JSON.stringify({ command: options?.command, ...result }, null, 1)}\n`);
  if (options?.html !== false) write('report.html', await renderHtml(result, { command: options?.command, onProgress: options?.onProgress }));
  return written;
}
