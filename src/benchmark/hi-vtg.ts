import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { hiVtgTargets } from '../data/hi-vtg-targets.js';
import { OptionsError } from '../errors.js';
import { seededRng } from '../internal/rng.js';
import type { BenchTarget } from './types.js';

/** What was read from one HI-VTG file. */
export interface HiVtgFileSummary {
  file: string;
  /** Items in the file. */
  items: number;
  /** Items {@link hiVtgTargets} accepts (e.g. `ss_vtg_charades.json` has items with an empty timestamp). */
  valid: number;
  /** Items sampled into the benchmark. */
  sampled: number;
  /** The first rejection message, when some items were skipped. */
  firstSkipReason?: string | undefined;
  /** Sampled relevant targets whose gold span ends after the video's duration (a data quirk strict clamping meets). */
  spanPastEnd: number;
  /** … and those whose gold span even starts at or after the duration (no clamped span can overlap them). */
  startPastEnd: number;
}

/** Options of {@link loadHiVtgTargets}. */
export interface LoadHiVtgOptions {
  /** Items sampled per file (seeded); 0 or `Infinity` = all. Default 100. */
  itemsPerFile?: number | undefined;
  /** Sampling seed. Default 7. */
  seed?: number | undefined;
}

/** The JSON files named by `paths`: files as given, folders expanded to their `*.json` files (sorted). */
export function hiVtgFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    if (!existsSync(path)) throw new OptionsError('loadHiVtgTargets', 'data', `has no file or folder ${path}`);
    if (statSync(path).isDirectory()) {
      const found = readdirSync(path).filter((name) => name.endsWith('.json')).sort();
      if (found.length === 0) throw new OptionsError('loadHiVtgTargets', 'data', `folder ${path} holds no .json file`);
      files.push(...found.map((name) => join(path, name)));
    } else files.push(path);
  }
  return files;
}

/**
 * Where the shipped HI-VTG annotations are looked for, in order: `$RA_RFT_SHARED/data/hi-vtg`, then
 * `../shared/data/hi-vtg` relative to the working directory and to the package root (the folder above
 * the running `dist/bin.js`).
 */
export function hiVtgDirCandidates(): string[] {
  const candidates: string[] = [];
  if (process.env.RA_RFT_SHARED) candidates.push(resolve(process.env.RA_RFT_SHARED, 'data/hi-vtg'));
  candidates.push(resolve(process.cwd(), '../shared/data/hi-vtg'));
  const script = process.argv[1];
  if (script !== undefined) candidates.push(resolve(dirname(script), '../../shared/data/hi-vtg'));
  return [...new Set(candidates)];
}

/** The first existing {@link hiVtgDirCandidates} folder, or `null`. */
export function defaultHiVtgDir(): string | null {
  return hiVtgDirCandidates().find((candidate) => existsSync(candidate) && statSync(candidate).isDirectory()) ?? null;
}

/**
 * Reads HI-VTG annotation files and samples items from each (seeded), turning every sampled item into its
 * relevant target (when it has an `r = true` entry) and its irrelevant target (when it has a refusable
 * entry), paired by {@link hiVtgTargets}. Items the schema rejects are skipped and counted.
 *
 * @example
 * const { targets, files } = loadHiVtgTargets(['../shared/data/hi-vtg'], { itemsPerFile: 50 });
 */
export function loadHiVtgTargets(paths: readonly string[], options?: LoadHiVtgOptions): { targets: BenchTarget[]; files: HiVtgFileSummary[] } {
  const perFile = options?.itemsPerFile ?? 100;
  if (!(perFile === Infinity || (Number.isInteger(perFile) && perFile >= 0))) {
    throw new OptionsError('loadHiVtgTargets', 'options.itemsPerFile', `must be a non-negative integer, got ${String(perFile)}`);
  }
  const seed = options?.seed ?? 7;
  const targets: BenchTarget[] = [];
  const files: HiVtgFileSummary[] = [];
  for (const file of hiVtgFiles(paths)) {
    let items: unknown;
    try {
      items = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new OptionsError('loadHiVtgTargets', 'data', `file ${file} is not readable JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!Array.isArray(items)) throw new OptionsError('loadHiVtgTargets', 'data', `file ${file} must hold a JSON array of HI-VTG items`);
    const valid: { index: number; targets: ReturnType<typeof hiVtgTargets> }[] = [];
    let firstSkipReason: string | undefined;
    items.forEach((item, index) => {
      try {
        valid.push({ index, targets: hiVtgTargets(item) });
      } catch (error) {
        firstSkipReason ??= `#${index}: ${error instanceof Error ? error.message : String(error)}`;
      }
    });
    const count = perFile === 0 || perFile === Infinity ? valid.length : Math.min(perFile, valid.length);
    const sampled = seededRng(`${seed}:sample:${basename(file)}`)
      .shuffle(valid)
      .slice(0, count)
      .sort((a, b) => a.index - b.index);
    let spanPastEnd = 0;
    let startPastEnd = 0;
    for (const { index, targets: pair } of sampled) {
      const source = `${basename(file)}#${index}`;
      const { span, duration } = pair.relevant ?? {};
      if (span !== undefined && duration !== undefined && span[1] > duration) spanPastEnd++;
      if (span !== undefined && duration !== undefined && span[0] >= duration) startPastEnd++;
      if (pair.relevant !== undefined) targets.push({ target: pair.relevant, prompt: pair.queries.relevant ?? '', source });
      if (pair.irrelevant !== undefined) targets.push({ target: pair.irrelevant, prompt: pair.queries.irrelevant ?? '', source });
    }
    files.push({ file: basename(file), items: items.length, valid: valid.length, sampled: count, firstSkipReason, spanPastEnd, startPastEnd });
  }
  return { targets, files };
}
