import { existsSync, readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

// The root entry is pure and light; heavy parts are subpath entries whose dependencies are optional peers
// (tsup leaves dependencies and peerDependencies external).
const subpaths: Record<string, string> = {
  index: 'src/index.ts',
  embeddings: 'src/embeddings/index.ts',
  evaluate: 'src/evaluate/index.ts',
  server: 'src/server/index.ts',
  cli: 'src/cli/index.ts',
  benchmark: 'src/benchmark/index.ts',
  trainer: 'src/trainer/index.ts',
  audit: 'src/audit/index.ts',
};
// A subpath whose folder is not written yet is left out rather than failing the whole build.
const entry = Object.fromEntries(Object.entries(subpaths).filter(([, file]) => existsSync(file)));

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
const define = { __VERSION__: JSON.stringify(version) };

export default defineConfig([
  {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    treeshake: true,
    splitting: true,
    // import.meta.url in the CJS build (the embeddings worker path).
    shims: true,
    define,
    // The in-browser playground (src/playground, bundled by esbuild for the browser) ships as dist/playground.
    async onSuccess() {
      const { buildPlayground } = await import('./src/playground/build.js');
      const files = await buildPlayground('dist/playground');
      const kB = (bytes: number) => (bytes / 1024).toFixed(0);
      console.log(`playground: ${files.map((f) => `${f.file} ${kB(f.bytes)} kB (${kB(f.gzipBytes)} kB gzip)`).join(', ')}`);
    },
  },
  {
    entry: { bin: 'src/cli/bin.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    define,
  },
]);
