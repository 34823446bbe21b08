// Builds the playground's static files with esbuild (a devDependency: `npm run build` runs this from
// tsup.config.ts into dist/playground, which the package ships; `ra-rft-rewards playground` only copies
// or serves those files). Node only.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Options of {@link buildPlayground}. */
export interface BuildPlaygroundOptions {
  /** Minify (default true). */
  minify?: boolean | undefined;
}

/** One file written, with its size in bytes and gzipped. */
export interface BuiltFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}

// zod's namespace object (`import { z } from 'zod'`) carries every locale; the library's messages are
// English, so the page gets the English one only (about 200 kB less).
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build: { onResolve: (o: { filter: RegExp }, f: (a: { path: string; resolveDir: string }) => { path: string; namespace: string; pluginData: string }) => void; onLoad: (o: { filter: RegExp; namespace: string }, f: (a: { pluginData: string }) => { contents: string; resolveDir: string }) => void }) {
    build.onResolve({ filter: /locales\/index\.js$/ }, (args) => ({ path: 'zod-locales', namespace: 'zod-locales', pluginData: args.resolveDir }));
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({ contents: "export { default as en } from '../locales/en.js';", resolveDir: args.pluginData }));
  },
};

const here = dirname(fileURLToPath(import.meta.url));

/** The entry points: the page, the rollouts worker, and the lazily loaded optional parts. */
export const PLAYGROUND_ENTRIES: Record<string, string> = {
  app: join(here, 'app/main.ts'),
  'rollouts-worker': join(here, 'worker/rollouts-worker.ts'),
  charts: join(here, 'lazy/charts.ts'),
  'use-lite': join(here, 'lazy/use-lite.ts'),
  transformers: join(here, 'lazy/transformers.ts'),
};

/**
 * Writes the playground (index.html, styles.css, app.js, rollouts-worker.js and the lazy charts, use-lite
 * and transformers chunks) into `outDir`, replacing it. Resolves to the files and their sizes.
 */
export async function buildPlayground(outDir: string, options?: BuildPlaygroundOptions): Promise<BuiltFile[]> {
  const esbuild = await import('esbuild');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await esbuild.build({
    entryPoints: PLAYGROUND_ENTRIES,
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: options?.minify !== false,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [zodEnglishOnly],
    // @energetic-ai/embeddings calls TensorFlow.js through @energetic-ai/core (a Node build of tfjs 4.5);
    // in the browser the same API comes from @tensorflow/tfjs.
    alias: { '@energetic-ai/core': '@tensorflow/tfjs' },
    define: { 'process.env.NODE_ENV': '"production"' },
    // transformers.js mentions Node modules behind runtime checks it never takes in a browser.
    external: ['fs', 'path', 'url', 'sharp', 'onnxruntime-node', 'node:*'],
  });
  for (const file of ['index.html', 'styles.css']) copyFileSync(join(here, 'static', file), join(outDir, file));
  return readdirSync(outDir)
    .sort()
    .map((file) => ({ file, bytes: statSync(join(outDir, file)).size, gzipBytes: gzipSync(readFileSync(join(outDir, file))).length }));
}
