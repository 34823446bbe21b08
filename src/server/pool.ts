// Supervised scoring worker processes behind the HTTP front (`serve --workers N`). The parent holds every client
// connection, so a worker that dies costs only its own requests, which get a 503 with Retry-After at once; the
// worker is replaced within a restart budget, and with no worker left and no restart allowed the parent gives up.
import type { ChildProcess } from 'node:child_process';
import type { ScoringAnswer, ScoringExecutor, ScoringJob } from './executor.js';
import type { createRewardApp } from './app.js';
import type { AuditGauge } from '../audit/types.js';
import { renderAuditGauges } from '../engine/online-audit.js';

/** Messages from the parent to a worker. */
export type ToWorker = { type: 'job'; id: number; path: string; body: string } | { type: 'cancel'; id: number } | { type: 'stop' };
/** Messages from a worker to the parent. */
export type FromWorker =
  | { type: 'ready'; embedder: string }
  | { type: 'answer'; id: number; status: number; body: string; retryAfter?: string | undefined; batches: number[]; cache: CacheFigures | null; audit?: AuditGauge[] | undefined };

type CacheFigures = { hits: number; lookups: number; textsEmbedded: number };

/** Options of {@link WorkerPool}. */
export interface WorkerPoolOptions {
  workers: number;
  /** Replacements allowed in any minute. */
  maxRestarts: number;
  /** Completions a worker is given at once (its micro-batch); the rest wait in the front's queue. */
  window: number;
  /** A worker that answered nothing for this long while holding only cancelled work is stuck: it is replaced. */
  stuckMs: number;
  retryAfterSeconds: number;
  /** Starts worker `id` (1-based) with an IPC channel. */
  spawn(id: number): ChildProcess;
  log(line: string): void;
  /** Each scoring call's size, for /metrics. */
  onBatch(size: number): void;
  /** No worker is left and none may be started: the server cannot score. */
  onGiveUp(reason: string): void;
}

interface Running {
  job: ScoringJob;
  resolve(answer: ScoringAnswer): void;
}

interface Slot {
  id: number;
  child: ChildProcess;
  ready: boolean;
  load: number;
  running: Map<number, Running>;
  lastAnswerAt: number;
  served: number;
  cache: CacheFigures | null;
  /** The worker's online-audit gauges, as of its last answer. */
  audit: AuditGauge[];
  stopping: boolean;
}

/** A pool of supervised scoring processes, as the HTTP front's {@link ScoringExecutor}. */
export class WorkerPool implements ScoringExecutor {
  private readonly slots = new Map<number, Slot>();
  private readonly restarts: number[] = [];
  private room: () => void = () => undefined;
  private nextJob = 1;
  private closing = false;
  private embedder = 'starting';
  private readonly watchdog: NodeJS.Timeout;
  /** Resolves when the first worker is ready, or rejects when none could start. */
  readonly ready: Promise<void>;
  private markReady!: () => void;
  private markFailed!: (error: Error) => void;

  constructor(private readonly options: WorkerPoolOptions) {
    this.ready = new Promise((resolve, reject) => {
      this.markReady = resolve;
      this.markFailed = reject;
    });
    for (let id = 1; id <= options.workers; id++) this.start(id);
    this.watchdog = setInterval(() => this.findStuck(), Math.min(1000, options.stuckMs));
    this.watchdog.unref();
  }

  private start(id: number): void {
    const child = this.options.spawn(id);
    const slot: Slot = { id, child, ready: false, load: 0, running: new Map(), lastAnswerAt: Date.now(), served: 0, cache: null, audit: [], stopping: false };
    this.slots.set(id, slot);
    child.on('message', (message: FromWorker) => {
      if (message.type === 'ready') {
        slot.ready = true;
        this.embedder = message.embedder;
        this.markReady();
        this.room();
        return;
      }
      const running = slot.running.get(message.id);
      slot.running.delete(message.id);
      slot.lastAnswerAt = Date.now();
      slot.served++;
      slot.cache = message.cache;
      if (message.audit !== undefined) slot.audit = message.audit;
      for (const size of message.batches) this.options.onBatch(size);
      if (running !== undefined) {
        slot.load -= running.job.completions;
        running.resolve({ status: message.status, body: message.body, headers: message.retryAfter === undefined ? undefined : { 'retry-after': message.retryAfter } });
      }
      this.room();
    });
    child.once('exit', (code, signal) => this.exited(slot, code, signal));
    // An IPC write to a dying worker fails: its exit handler answers the requests.
    child.on('error', () => undefined);
  }

  private exited(slot: Slot, code: number | null, signal: NodeJS.Signals | null): void {
    this.slots.delete(slot.id);
    const lost = [...slot.running.values()];
    slot.running.clear();
    // Its requests fail fast with a retryable 503: another worker or replica can score them.
    for (const running of lost) {
      running.resolve({
        status: 503,
        body: running.job.path.startsWith('/v1/rpc')
          ? JSON.stringify({ ok: false, error: { type: 'Overloaded', message: 'the scoring worker stopped; retry', retryable: true } })
          : JSON.stringify({ error: 'the scoring worker stopped; retry', retryable: true }),
        headers: { 'retry-after': String(this.options.retryAfterSeconds) },
      });
    }
    if (this.closing || slot.stopping) return;
    this.options.log(`ra-rft-rewards serve: worker ${slot.id} (pid ${slot.child.pid}) died (${signal ?? `exit code ${code}`}); ${lost.length} request(s) answered 503`);
    const now = Date.now();
    while (this.restarts.length > 0 && (this.restarts[0] as number) < now - 60_000) this.restarts.shift();
    if (this.restarts.length < this.options.maxRestarts) {
      this.restarts.push(now);
      this.options.log(`ra-rft-rewards serve: starting a replacement for worker ${slot.id}`);
      this.start(slot.id);
      return;
    }
    if (this.slots.size === 0) {
      const reason = `no scoring worker left, and ${this.options.maxRestarts} replacements in the last minute were used (--max-restarts)`;
      this.markFailed(new Error(reason));
      this.options.onGiveUp(reason);
    } else {
      this.options.log(`ra-rft-rewards serve: worker ${slot.id} not replaced (restart budget spent); ${this.slots.size} left`);
    }
    this.room();
  }

  /** A worker whose held requests were all cancelled, silent for `stuckMs`: the work cannot be stopped otherwise. */
  private findStuck(): void {
    const now = Date.now();
    for (const slot of this.slots.values()) {
      if (slot.running.size === 0 || slot.stopping) continue;
      const allCancelled = [...slot.running.values()].every((running) => running.job.signal.aborted);
      if (allCancelled && now - slot.lastAnswerAt > this.options.stuckMs) {
        this.options.log(`ra-rft-rewards serve: worker ${slot.id} has been scoring cancelled work for ${now - slot.lastAnswerAt} ms: replacing it`);
        slot.child.kill('SIGKILL');
      }
    }
  }

  onRoom(callback: () => void): void {
    this.room = callback;
  }

  tryStart(job: ScoringJob): Promise<ScoringAnswer> | null {
    let best: Slot | undefined;
    // Ties go round the workers, so light traffic is spread too.
    const slots = [...this.slots.values()];
    const turn = this.nextJob % Math.max(1, slots.length);
    for (const slot of [...slots.slice(turn), ...slots.slice(0, turn)]) {
      if (!slot.ready || slot.stopping) continue;
      if (slot.load > 0 && slot.load + job.completions > this.options.window) continue;
      if (best === undefined || slot.load < best.load) best = slot;
    }
    if (best === undefined) return null;
    const slot = best;
    const id = this.nextJob++;
    slot.load += job.completions;
    return new Promise((resolve) => {
      slot.running.set(id, { job, resolve });
      if (slot.running.size === 1) slot.lastAnswerAt = Date.now();
      slot.child.send({ type: 'job', id, path: job.path, body: job.body } satisfies ToWorker);
      job.signal.addEventListener('abort', () => slot.child.connected && slot.child.send({ type: 'cancel', id } satisfies ToWorker), { once: true });
    });
  }

  health(): Record<string, unknown> {
    return {
      embedder: this.embedder,
      workers: [...this.slots.values()].map((slot) => ({ id: slot.id, pid: slot.child.pid, ready: slot.ready, pendingCompletions: slot.load, served: slot.served })),
      restartsLastMinute: this.restarts.filter((at) => at >= Date.now() - 60_000).length,
    };
  }

  cache(): CacheFigures | null {
    const figures = [...this.slots.values()].map((slot) => slot.cache).filter((c): c is CacheFigures => c !== null);
    if (figures.length === 0) return null;
    return figures.reduce((a, b) => ({ hits: a.hits + b.hits, lookups: a.lookups + b.lookups, textsEmbedded: a.textsEmbedded + b.textsEmbedded }));
  }

  /** The workers' online-audit gauges, labelled by worker (each audits what it scored). */
  audit(): string {
    return [...this.slots.values()].map((slot) => renderAuditGauges(slot.audit, { worker: String(slot.id) })).join('');
  }

  /** Stops every worker: each finishes what it holds, then exits; one that does not within `graceMs` is killed. */
  async close(graceMs = 10_000): Promise<void> {
    this.closing = true;
    clearInterval(this.watchdog);
    await Promise.all(
      [...this.slots.values()].map(
        (slot) =>
          new Promise<void>((resolve) => {
            if (slot.child.exitCode !== null || slot.child.signalCode !== null) return resolve();
            slot.stopping = true;
            const kill = setTimeout(() => slot.child.kill('SIGKILL'), graceMs);
            slot.child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            if (slot.child.connected) slot.child.send({ type: 'stop' } satisfies ToWorker);
            else slot.child.kill('SIGTERM');
          }),
      ),
    );
  }
}

/**
 * The worker side: scores the parent's jobs with `app` (access, limits and admission are the parent's), and
 * exits when told to stop or when the parent is gone. Signals are the parent's to handle: a terminal's Ctrl-C
 * reaches the whole process group, and the parent drains first.
 */
export function runScoringWorker(app: ReturnType<typeof createRewardApp>, embedder: string, cache: () => CacheFigures | null, stop: () => Promise<void>): Promise<void> {
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error('runScoringWorker: this process has no IPC channel to a parent');
  const controllers = new Map<number, AbortController>();
  const batches: number[] = [];
  app.onBatch((size) => batches.push(size));
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => undefined);
  return new Promise((resolve) => {
    let stopping = false;
    const finish = () => {
      if (stopping) return;
      stopping = true;
      const wait = setInterval(() => {
        if (controllers.size > 0) return;
        clearInterval(wait);
        void stop().then(resolve);
      }, 10);
    };
    process.on('disconnect', () => {
      for (const controller of controllers.values()) controller.abort();
      finish();
    });
    process.on('message', (message: ToWorker) => {
      if (message.type === 'stop') return finish();
      if (message.type === 'cancel') return controllers.get(message.id)?.abort();
      const controller = new AbortController();
      controllers.set(message.id, controller);
      void Promise.resolve(
        app.fetch(
          new Request(`http://worker${message.path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: message.body, signal: controller.signal }),
        ),
      )
        .then(async (response: Response) => ({ status: response.status, body: await response.text(), retryAfter: response.headers.get('retry-after') ?? undefined }))
        .catch((error: unknown) => ({ status: 500, body: JSON.stringify({ error: 'internal error' }), retryAfter: undefined, error }))
        .then((answer) => {
          controllers.delete(message.id);
          if (process.connected) {
            send({ type: 'answer', id: message.id, status: answer.status, body: answer.body, retryAfter: answer.retryAfter, batches: batches.splice(0), cache: cache(), audit: app.auditGauges() } satisfies FromWorker);
          }
        });
    });
    send({ type: 'ready', embedder } satisfies FromWorker);
  });
}
