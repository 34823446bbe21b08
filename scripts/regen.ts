// npm run regen: rebuilds the generated docs from the code.
//   - the options tables between <!-- options-table:NAME:start/end --> markers (docs/*.md), from the zod schemas,
//     and the TRAIN_DEFAULTS block of docs/trainer.md;
//   - docs/evaluate/example (ra-rft-rewards evaluate on examples/inference_results.json, trigram embedder);
//   - docs/reports/bench-variants (ra-rft-rewards bench-variants --embeddings);
//   - with --trainer only (5-8 minutes): the trainer's default run, docs/benchmarks/trainer-default-run.json and
//     docs/images/trainer-curves.{svg,png}.
// npm run regen -- --check: writes nothing; exits 1 naming each generated file that is stale. Measured timings
// (completions/s, seconds, the machine) are masked in the comparison: they differ on every run.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withOptionTables } from '../src/cli/option-tables.js';
import { TRAIN_DEFAULTS } from '../src/trainer/defaults.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const withTrainer = process.argv.includes('--trainer');
const stale: string[] = [];

function update(path: string, text: string): void {
  const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
  if (current === text) return;
  if (check) stale.push(path.slice(root.length + 1));
  else writeFileSync(path, text);
}

function optionTables(): void {
  for (const name of readdirSync(join(root, 'docs')).filter((file) => file.endsWith('.md'))) {
    const path = join(root, 'docs', name);
    const text = readFileSync(path, 'utf8');
    // The trainer's TRAIN_DEFAULTS block (docs/trainer.md) is generated too.
    const next = withOptionTables(text, name).replace(/(<!-- TRAIN_DEFAULTS[^>]*-->\s*```json\n)[\s\S]*?(\n```)/, (_whole, head: string, tail: string) => `${head}${JSON.stringify(TRAIN_DEFAULTS, null, 2)}${tail}`);
    update(path, next);
  }
}

/** Runs the CLI in `cwd` (so the command line it records is the documented one). */
function cli(cwd: string, args: string[]): void {
  const result = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(root, 'src/cli/bin.ts'), ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, RA_RFT_SHARED: process.env.RA_RFT_SHARED ?? join(root, '../shared') } });
  if (result.status !== 0) throw new Error(`ra-rft-rewards ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
}

/** Timings and the machine, which differ on every run. */
function maskTimings(text: string): string {
  return text
    .replace(/"completionsPerSecond": [\d.e+-]+/g, '"completionsPerSecond": 0')
    .replace(/Node v[\d.]+, [^;]*; [\d.]+ s in all/g, 'MACHINE')
    .replace(/\| [\d,]+ \(×[\d.]+\) \|/g, '| RATE |')
    .replace(/<td>[\d,]+ \(×[\d.]+\)<\/td>/g, '<td>RATE</td>')
    .replace(/"(seconds|totalSeconds|elapsedSeconds|machine|node|cpus|cpu)": ("[^"]*"|[\d.e+-]+)/g, '"$1": 0');
}

/** Regenerates `folder` (relative to the root) with `args` run in a scratch copy of the inputs. */
function regenerate(folder: string, inputs: string[], args: string[], masked: boolean): void {
  const scratch = mkdtempSync(join(tmpdir(), 'ra-rft-regen-'));
  try {
    for (const input of inputs) cpSync(join(root, input), join(scratch, input), { recursive: true });
    cli(scratch, args);
    for (const file of readdirSync(join(scratch, folder))) {
      const made = readFileSync(join(scratch, folder, file), 'utf8');
      const target = join(root, folder, file);
      const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
      // Only timings changed: keep the committed file (no churn from the machine a regen ran on).
      if ((masked ? maskTimings(made) : made) === (masked ? maskTimings(current) : current)) continue;
      if (check) stale.push(`${folder}/${file}`);
      else {
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, made);
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function trainerRun(): void {
  const scratch = mkdtempSync(join(tmpdir(), 'ra-rft-regen-train-'));
  try {
    cli(scratch, ['train', '--backend', 'wasm', '--out', 'run']);
    if (check) {
      const made = JSON.parse(readFileSync(join(scratch, 'run/report.json'), 'utf8')) as { beforeAfter: unknown; config: unknown };
      const current = JSON.parse(readFileSync(join(root, 'docs/benchmarks/trainer-default-run.json'), 'utf8')) as { beforeAfter: unknown; config: unknown };
      if (JSON.stringify([made.config, made.beforeAfter]) !== JSON.stringify([current.config, current.beforeAfter])) stale.push('docs/benchmarks/trainer-default-run.json');
      return;
    }
    copyFileSync(join(scratch, 'run/report.json'), join(root, 'docs/benchmarks/trainer-default-run.json'));
    for (const file of ['curves.svg', 'curves.png']) if (existsSync(join(scratch, 'run', file))) copyFileSync(join(scratch, 'run', file), join(root, 'docs/images', `trainer-${file}`));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

optionTables();
regenerate('docs/evaluate/example', ['examples/inference_results.json'], ['evaluate', 'examples/inference_results.json', '--out', 'docs/evaluate/example', '--embedder', 'trigram'], false);
regenerate('docs/reports/bench-variants', [], ['bench-variants', '--embeddings', '--out', 'docs/reports/bench-variants'], true);
if (withTrainer) trainerRun();
if (stale.length > 0) {
  process.stderr.write(`regen --check: stale generated files (run npm run regen${withTrainer ? ' -- --trainer' : ''}):\n${stale.map((file) => `  ${file}\n`).join('')}`);
  process.exitCode = 1;
} else process.stderr.write(check ? 'regen --check: generated docs are fresh\n' : 'regen: done\n');
