import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type RewardAppOptions, createRewardApp } from './app.js';

/** Options of {@link startRewardServer}. */
export interface RewardServerOptions extends RewardAppOptions {
  /** Interface to bind (default 127.0.0.1: the server has no authentication). */
  host?: string | undefined;
  /** Port (default 8000; 0 picks a free one). */
  port?: number | undefined;
}

/** A running reward server. */
export interface RewardServer {
  /** e.g. `http://127.0.0.1:8000`. */
  url: string;
  port: number;
  app: ReturnType<typeof createRewardApp>;
  /** Stops accepting connections, lets in-flight requests finish, then closes idle connections. */
  close(): Promise<void>;
}

/**
 * Starts the reward server (see {@link createRewardApp} for the routes) on Node's HTTP server.
 *
 * @example
 * const server = await startRewardServer({ embedder: trigramHashEmbedder(), port: 0 });
 * // POST `${server.url}/get_reward` …
 * await server.close();
 */
export async function startRewardServer(options: RewardServerOptions): Promise<RewardServer> {
  const app = createRewardApp(options);
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, hostname: host, port: options.port ?? 8000 }, () => resolve(started));
    started.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    app,
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        // close() stops new connections and resolves once every open one has ended; in-flight requests
        // finish and answer first, then idle keep-alive connections are dropped.
        server.close((error) => (error ? reject(error) : resolve()));
        const sweep = setInterval(() => {
          if (app.state.inFlight === 0 && 'closeIdleConnections' in server) (server as { closeIdleConnections(): void }).closeIdleConnections();
        }, 20);
        server.once('close', () => clearInterval(sweep));
      })),
  };
}
