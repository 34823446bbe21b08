import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The step in a parquet file's name: TRL's `completions_<global_step:05d>.parquet`. */
const STEP_IN_NAME = /(\d+)\.parquet$/;

/** The `.parquet` files directly in `dir` (none when it is not a readable folder), by the step in their name. */
function parquetIn(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => !entry.isDirectory() && entry.name.endsWith('.parquet'))
      .map((entry) => entry.name);
  } catch {
    return [];
  }
  // By the step number (completions_00010 after completions_00009, and 100000 after 99999 where the padding
  // runs out), then by name; files without a number first.
  const step = (name: string) => Number(STEP_IN_NAME.exec(name)?.[1] ?? -1);
  return names.sort((a, b) => step(a) - step(b) || (a < b ? -1 : a > b ? 1 : 0)).map((name) => join(dir, name));
}

/**
 * TRL's completions parquet files under `dir`, in step order, or null when it holds none. `dir` may be the
 * `completions/` folder GRPOTrainer writes `completions_<step>.parquet` into (with `log_completions=True`), the
 * trainer's `output_dir` that holds it, or either with a per-mode `train/` subfolder (the training rollouts;
 * `eval/` is left out): the first of `dir`, `dir/train`, `dir/completions`, `dir/completions/train` that holds
 * `.parquet` files.
 *
 * @example
 * const files = trlParquetFiles('outputs/grpo'); // outputs/grpo/completions/completions_00001.parquet, …
 */
export function trlParquetFiles(dir: string): string[] | null {
  for (const candidate of [dir, join(dir, 'train'), join(dir, 'completions'), join(dir, 'completions', 'train')]) {
    const files = parquetIn(candidate);
    if (files.length > 0) return files;
  }
  return null;
}
