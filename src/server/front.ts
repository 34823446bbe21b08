// The reward server's HTTP front: access, body limits, UTF-8, admission control, timeouts and draining, in front
// of a scoring executor (the app in this process, or supervised worker processes). With workers, the front's
// event loop never scores, so /healthz, shedding, timeouts and the drain keep their timing under any load.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Server as NetServer } from 'node:net';
import { type AccessOptions, checkAccess, corsHeaders, isPreflight, type AccessRequest } from './access.js';
import type { ScoringAnswer, ScoringExecutor, ScoringJob } from './executor.js';
import { ServerMetrics } from './metrics.js';
import { invalidUtf8At } from './utf8.js';
import type { ResolvedServerOptions } from './options.js';

/** The routes the front passes to a scorer. */
const SCORING_ROUTES = new Set(['/get_reward', '/v1/score', '/v1/rpc', '/v1/embeddings']);
const ROUTES = ['POST /get_reward', 'POST /v1/score', 'POST /v1/rpc', 'POST /v1/embeddings', 'GET /metrics', 'GET /healthz'];

/** The front's live counters. */
export interface FrontState {
  inFlight: number;
  served: number;
  /** Completions queued or being scored. */
  pendingCompletions: number;
  /** Requests waiting for a scorer. */
  queued: number;
  /** Set when the server starts closing: answers carry `Connection: close`. */
  closing: boolean;
  /** Set after the grace period: the listener is closed and new requests on open connections get 503. */
  draining: boolean;
}

/** Options of {@link createFront}. */
export interface FrontOptions {
  options: ResolvedServerOptions;
  access: AccessOptions | undefined;
  executor: ScoringExecutor;
  /** Extra /healthz fields (embedder, profile). */
  describe: Record<string, unknown>;
  metrics?: ServerMetrics | undefined;
}

/** The number of completions a scoring body holds, for admission control (0 when it cannot tell). */
function completionsOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const b = value as { completions?: unknown; query?: unknown; items?: unknown; input?: unknown };
  if (typeof b.input === 'string') return 1;
  const list = b.completions ?? b.query ?? b.items ?? b.input;
  return Array.isArray(list) ? list.length : 0;
}

/**
 * The HTTP front of the reward server: answers /healthz and /metrics itself, checks access (CORS preflights
 * included), refuses bodies over the limit from their Content-Length (413, the body is read and dropped so the
 * client sees the answer, not a reset), refuses invalid UTF-8 (400), and admits scoring work: past
 * `maxPendingCompletions` a request gets 503 with Retry-After at once, a request that waited `maxQueueMs` for a
 * scorer gets the same, and one slower than `requestTimeoutMs` gets 503 with Retry-After and its work is
 * cancelled. `close()` drains: every request accepted before the listener closes is answered.
 */
export function createFront({ options, access, executor, describe, metrics: given }: FrontOptions) {
  const state: FrontState = { inFlight: 0, served: 0, pendingCompletions: 0, queued: 0, closing: false, draining: false };
  const metrics =
    given ??
    new ServerMetrics({ pendingCompletions: () => state.pendingCompletions, inFlightRequests: () => state.inFlight, cache: () => executor.cache() });
  const retryAfter = String(options.retryAfterSeconds);
  const limit = options.bodyLimitBytes;

  interface Queued {
    job: ScoringJob;
    start(answer: Promise<ScoringAnswer>): void;
    expire(): void;
    timer: NodeJS.Timeout;
  }
  const queue: Queued[] = [];
  const pump = () => {
    while (queue.length > 0) {
      const head = queue[0] as Queued;
      const started = executor.tryStart(head.job);
      if (started === null) return;
      queue.shift();
      state.queued--;
      clearTimeout(head.timer);
      head.start(started);
    }
  };
  executor.onRoom(pump);
  const unqueue = (entry: Queued) => {
    const at = queue.indexOf(entry);
    if (at === -1) return false;
    queue.splice(at, 1);
    state.queued--;
    clearTimeout(entry.timer);
    return true;
  };

  const send = (req: IncomingMessage, res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}, type = 'application/json') => {
    if (res.headersSent || res.destroyed) return;
    const view = viewOf(req);
    res.writeHead(status, { 'content-type': type, ...corsHeaders(view, access), ...(state.closing ? { connection: 'close' } : {}), ...headers });
    res.end(body);
  };
  const error = (path: string, status: number, message: string, retryable = false): string => {
    if (path === '/v1/rpc') {
      const type = status === 503 ? 'Overloaded' : status === 413 ? 'PayloadTooLarge' : 'BadRequest';
      return JSON.stringify({ ok: false, error: { type, message, ...(retryable ? { retryable } : {}) } });
    }
    return JSON.stringify({ error: message, ...(retryable ? { retryable } : {}) });
  };
  const shed = (req: IncomingMessage, res: ServerResponse, path: string, reason: string, message: string) => {
    metrics.reject(reason);
    send(req, res, 503, error(path, 503, message, true), { 'retry-after': retryAfter });
  };

  const healthz = () => ({
    status: state.closing ? 'draining' : 'ok',
    pid: process.pid,
    ...describe,
    pendingCompletions: state.pendingCompletions,
    queued: state.queued,
    inFlight: state.inFlight - 1,
    served: state.served,
    ...executor.health(),
  });

  const handle = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const view = viewOf(req);
    const denied = checkAccess(view, access);
    if (denied !== null) {
      metrics.reject(denied.reason);
      return send(req, res, denied.status, error(path, denied.status, denied.message));
    }
    if (isPreflight(view)) return send(req, res, 204, '');
    if (req.method === 'GET' && path === '/healthz') return send(req, res, 200, JSON.stringify(healthz()));
    if (req.method === 'GET' && path === '/metrics') return send(req, res, 200, metrics.render() + executor.audit(), {}, 'text/plain; version=0.0.4; charset=utf-8');
    if (req.method !== 'POST' || !SCORING_ROUTES.has(path)) {
      return send(req, res, 404, JSON.stringify({ error: `no route ${req.method} ${path}`, routes: ROUTES }));
    }
    if (state.draining) return shed(req, res, path, 'draining', 'server is shutting down; retry on another replica');
    const declared = Number(req.headers['content-length'] ?? Number.NaN);
    if (declared > limit) return tooLarge(req, res, path);
    const bytes = await readBody(req, limit);
    if (bytes === null) return tooLarge(req, res, path);
    const bad = invalidUtf8At(bytes);
    if (bad !== -1) {
      const message = `request body is not valid UTF-8 (first bad byte at offset ${bad}): send JSON encoded as UTF-8`;
      return send(req, res, 400, path === '/v1/rpc' ? error(path, 400, message) : JSON.stringify({ error: 'invalid request', issues: [{ path: '(body)', message: `is not valid UTF-8 (first bad byte at offset ${bad})` }] }));
    }
    const body = bytes.toString('utf8');
    let n = 0;
    try {
      n = completionsOf(JSON.parse(body));
    } catch {
      // The scorer answers the 400 with its usual message.
    }
    // Admission: a request that would take the pending completions past the bound is shed at once; one larger
    // than the bound still runs when nothing else is pending, so no request size starves.
    if (state.pendingCompletions > 0 && state.pendingCompletions + n > options.maxPendingCompletions) {
      return shed(req, res, path, 'overload', `server busy: ${state.pendingCompletions} completions pending (limit ${options.maxPendingCompletions}); retry after ${retryAfter} s`);
    }
    state.pendingCompletions += n;
    const controller = new AbortController();
    let settled = false;
    const release = () => {
      if (settled) return;
      settled = true;
      state.pendingCompletions -= n;
    };
    const job: ScoringJob = { path: req.url ?? path, body, completions: n, signal: controller.signal };
    const answer = await new Promise<ScoringAnswer | null>((resolve) => {
      let entry: Queued | undefined;
      const timeout = setTimeout(() => {
        if (entry !== undefined && unqueue(entry)) release();
        controller.abort();
        metrics.reject('timeout');
        resolve({ status: 503, body: error(path, 503, `request timed out after ${options.requestTimeoutMs} ms; its work was cancelled`, true), headers: { 'retry-after': retryAfter } });
      }, options.requestTimeoutMs);
      // A client that goes away cancels its work too.
      res.once('close', () => {
        if (res.writableFinished) return;
        if (entry !== undefined && unqueue(entry)) release();
        controller.abort();
        clearTimeout(timeout);
        resolve(null);
      });
      entry = {
        job,
        timer: setTimeout(() => entry?.expire(), options.maxQueueMs),
        start: (running) => {
          running.then(
            (result) => {
              release();
              clearTimeout(timeout);
              resolve(result);
            },
            (failure: unknown) => {
              release();
              clearTimeout(timeout);
              if (controller.signal.aborted) return resolve(null); // cancelled: already answered, or the client left
              console.error(`ra-rft-rewards server: POST ${path} failed:`, failure);
              resolve({ status: 500, body: error(path, 500, 'internal error') });
            },
          );
        },
        expire: () => {
          if (!unqueue(entry as Queued)) return;
          release();
          clearTimeout(timeout);
          controller.abort();
          metrics.reject('queue-timeout');
          resolve({ status: 503, body: error(path, 503, `server busy: no scorer was free for ${options.maxQueueMs} ms; retry after ${retryAfter} s`, true), headers: { 'retry-after': retryAfter } });
        },
      };
      queue.push(entry);
      state.queued++;
      pump();
    });
    if (answer !== null) send(req, res, answer.status, answer.body, answer.headers);
  };

  /** 413 without a reset: answer, then read and drop the body (bounded), then close the connection. */
  const tooLarge = (req: IncomingMessage, res: ServerResponse, path: string) => {
    metrics.reject('body-limit');
    const socket = req.socket;
    send(req, res, 413, error(path, 413, `request body is larger than ${limit} bytes`));
    let dropped = 0;
    const stop = setTimeout(() => socket.destroy(), 5000);
    stop.unref();
    req.on('data', (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > 64 * 1024 * 1024) socket.destroy();
    });
    req.once('end', () => {
      clearTimeout(stop);
      socket.end();
    });
    req.resume();
  };

  const server: Server = createServer({ keepAlive: true }, (req, res) => {
    const started = performance.now();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    state.inFlight++;
    track(req.socket, +1);
    res.once('close', () => {
      state.inFlight--;
      state.served++;
      track(req.socket, -1);
      metrics.request(SCORING_ROUTES.has(path) || path === '/healthz' || path === '/metrics' ? path : 'other', res.statusCode, (performance.now() - started) / 1000);
    });
    handle(req, res, path).catch((failure: unknown) => {
      console.error(`ra-rft-rewards server: ${req.method} ${path} failed:`, failure);
      send(req, res, 500, error(path, 500, 'internal error'));
    });
  });
  // A burst of connections waits in the kernel's backlog, not refused (the kernel caps it at somaxconn).
  const backlog = 4096;

  // Connections and their requests in progress, for the drain: idle ones are closed, busy ones finish.
  const sockets = new Map<Socket, { busy: number; idleSweeps: number }>();
  server.on('connection', (socket: Socket) => {
    sockets.set(socket, { busy: 0, idleSweeps: 0 });
    socket.once('close', () => sockets.delete(socket));
  });
  function track(socket: Socket, delta: number) {
    const entry = sockets.get(socket);
    if (entry === undefined) return;
    entry.busy += delta;
    entry.idleSweeps = 0;
  }

  let closing: Promise<void> | undefined;
  return {
    server,
    state,
    metrics,
    listen(host: string, port: number): Promise<number> {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host, port, backlog }, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      });
    },
    /**
     * Drains and stops. For the grace period it keeps accepting (answers carry `Connection: close`); the grace
     * counts only time the event loop was free, so a loop blocked by scoring cannot make it end before the
     * connections waiting in the backlog were accepted; the listener closes from a check-phase callback, after a
     * poll phase accepted them. Then new requests get 503, accepted ones finish, idle connections close, and at
     * `drainTimeoutMs` the rest are cut. Resolves when every connection has ended and the executor stopped.
     */
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve, reject) => {
        state.closing = true;
        const begun = Date.now();
        const tick = 20;
        let last = Date.now();
        let graceLeft = options.drainGraceMs;
        let listening = true;
        const sweep = setInterval(() => {
          const now = Date.now();
          // Time the loop was blocked does not count: at most one tick (and a little slack) per sweep.
          graceLeft -= Math.min(now - last, tick * 2);
          const late = now - last > tick * 3;
          last = now;
          if (listening && graceLeft <= 0 && !late) {
            listening = false;
            setImmediate(() => {
              state.draining = true;
              // net.Server's close: http.Server's (Node 19+) would also cut idle connections at once, and a
              // connection just accepted, whose request is not read yet, looks idle.
              NetServer.prototype.close.call(server, (failure?: Error) => {
                clearInterval(sweep);
                if (failure) reject(failure);
                else executor.close().then(resolve, reject);
              });
            });
          }
          if (now - begun >= options.drainTimeoutMs) {
            for (const socket of sockets.keys()) socket.destroy();
            return;
          }
          if (!state.draining || late) return;
          // An idle connection is closed once it has been idle over three sweeps, each after a poll phase that
          // would have read a request waiting on it.
          for (const [socket, entry] of sockets) {
            if (entry.busy > 0) continue;
            if (++entry.idleSweeps >= 3) socket.destroy();
          }
        }, tick);
      });
      return closing;
    },
  };
}

const viewOf = (req: IncomingMessage): AccessRequest => ({
  method: req.method ?? 'GET',
  path: (req.url ?? '/').split('?')[0] ?? '/',
  header: (name) => {
    const value = req.headers[name];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  },
});

/** The body, or null when it passes `limit` bytes (a chunked body has no Content-Length to refuse it by). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}
