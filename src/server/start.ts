import { OptionsError } from '../errors.js';
import { isLoopback, loopbackHosts } from './access.js';
import { type RewardAppOptions, checkAccessOptions, createRewardApp } from './app.js';
import { inProcessExecutor } from './executor.js';
import { createFront } from './front.js';
import { type ServerOptionsInput, resolveServerOptions } from './options.js';

/** Options of {@link startRewardServer}: those of {@link RewardAppOptions} and the listening and drain options. */
export interface RewardServerOptions extends RewardAppOptions, Pick<ServerOptionsInput, 'host' | 'port' | 'drainGraceMs' | 'drainTimeoutMs' | 'maxQueueMs'> {}

/** A running reward server. */
export interface RewardServer {
  /** e.g. `http://127.0.0.1:8000`. */
  url: string;
  port: number;
  /** The scoring app behind the front (its micro-batcher's stats). */
  app: ReturnType<typeof createRewardApp>;
  /** The HTTP front: its state (pending completions, queue, drain) and metrics. */
  front: ReturnType<typeof createFront>;
  /**
   * Drains and stops: for the grace period (time the event loop was free) it still accepts and serves (with
   * `Connection: close`), then stops listening and answers 503 (retryable) to anything new; accepted requests
   * finish and answer; idle connections close; after the drain timeout the rest are cut. Resolves when every
   * connection has ended.
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
  const fn = 'startRewardServer';
  const resolved = resolveServerOptions(fn, options);
  checkAccessOptions(fn, options.access);
  const host = resolved.host;
  const loopback = isLoopback(host);
  if (!loopback && (options.access?.token ?? '') === '') {
    throw new OptionsError(fn, 'access.token', `is required when binding ${host} (not loopback): set a bearer token`);
  }
  // The Host check needs the port, which port 0 only tells after listening: the front reads it from here.
  const hosts: string[] = [];
  const access = { ...options.access, allowedHosts: options.access?.allowedHosts ?? (loopback ? hosts : undefined) };
  // The front checks access, limits and admission; the app behind it only scores (no second bound or timeout).
  const app = createRewardApp({ ...options, access: undefined, maxPendingCompletions: 10_000_000, requestTimeoutMs: 3_600_000 });
  const cacheStats = (options.embedder as { stats?: { cacheHits?: number; textsEmbedded?: number } }).stats;
  const front = createFront({
    options: resolved,
    access,
    executor: inProcessExecutor(app, () =>
      typeof cacheStats?.cacheHits === 'number' && typeof cacheStats.textsEmbedded === 'number'
        ? { hits: cacheStats.cacheHits, lookups: cacheStats.cacheHits + cacheStats.textsEmbedded, textsEmbedded: cacheStats.textsEmbedded }
        : null,
    ),
    describe: { embedder: options.embedderName ?? options.embedder.name ?? 'custom', profile: options.profile ?? 'ra-rft' },
  });
  app.onBatch((size) => front.metrics.batch(size));
  const port = await front.listen(host, resolved.port);
  hosts.push(...loopbackHosts(port));
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    app,
    front,
    close: () => front.close(),
  };
}
