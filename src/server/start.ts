import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Server as NetServer } from 'node:net';
import { serve } from '@hono/node-server';
import { OptionsError } from '../errors.js';
import { isLoopback, loopbackHosts } from './access.js';
import { type RewardAppOptions, createRewardApp } from './app.js';

/** Options of {@link startRewardServer}. */
export interface RewardServerOptions extends RewardAppOptions {
  /** Interface to bind (default 127.0.0.1). Anything but loopback needs `access.token`. */
  host?: string | undefined;
  /** Port (default 8000; 0 picks a free one). */
  port?: number | undefined;
  /**
   * On close, how long the server still accepts and serves (with `Connection: close`) before it stops listening,
   * in ms (default 1000): requests a client sent just before the shutdown are answered, not reset.
   */
  drainGraceMs?: number | undefined;
  /** On close, the most time given to in-flight requests before every connection is cut, in ms (default 35 s). */
  drainTimeoutMs?: number | undefined;
}

/** A running reward server. */
export interface RewardServer {
  /** e.g. `http://127.0.0.1:8000`. */
  url: string;
  port: number;
  app: ReturnType<typeof createRewardApp>;
  /**
   * Drains and stops: for the grace period it still accepts and serves (with `Connection: close`), then stops
   * listening and answers 503 (retryable) to anything new; in-flight requests finish and answer; idle connections
   * close; after the drain timeout the rest are cut. Resolves when every connection has ended.
   */
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
  const host = options.host ?? '127.0.0.1';
  const loopback = isLoopback(host);
  if (!loopback && (options.access?.token ?? '') === '') {
    throw new OptionsError('startRewardServer', 'access.token', `is required when binding ${host} (not loopback): set a bearer token`);
  }
  // The Host check needs the port, which port 0 only tells after listening: the app reads it from here.
  const hosts: string[] = [];
  const app = createRewardApp({
    ...options,
    access: { ...options.access, allowedHosts: options.access?.allowedHosts ?? (loopback ? hosts : undefined) },
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, hostname: host, port: options.port ?? 8000 }, () => resolve(started as Server));
    started.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  hosts.push(...loopbackHosts(port));
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const grace = options.drainGraceMs ?? 1000;
  const deadline = options.drainTimeoutMs ?? 35_000;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    app,
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        // Grace period: keep accepting and serving (answers carry `Connection: close`), so that connections a
        // client opened just before the signal, still in the listen backlog, are not reset. Then stop listening
        // (net.Server's close: unlike http.Server's since Node 19 it does not cut idle connections at once), answer
        // 503 to anything new, let in-flight requests finish, close idle connections, and cut the rest at the deadline.
        app.state.closing = true;
        const started = Date.now();
        let listening = true;
        const sweep = setInterval(() => {
          const waited = Date.now() - started;
          if (waited < grace) return;
          if (listening) {
            listening = false;
            app.state.draining = true;
            NetServer.prototype.close.call(server, (error?: Error) => (error ? reject(error) : resolve()));
          }
          if (waited >= deadline) for (const socket of sockets) socket.destroy();
          else if (app.state.inFlight === 0) server.closeIdleConnections();
        }, 20);
        server.once('close', () => clearInterval(sweep));
      })),
  };
}
