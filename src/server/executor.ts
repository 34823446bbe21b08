import type { createRewardApp } from './app.js';
import { renderAuditGauges } from '../engine/online-audit.js';

/** One scoring request the HTTP front hands to a scorer: the route, its JSON body, and its size. */
export interface ScoringJob {
  /** The path and query, e.g. `/v1/score?timing=1`. */
  path: string;
  /** The UTF-8-checked body text. */
  body: string;
  /** Completions it holds (0 when unknown): what admission control counts. */
  completions: number;
  /** Aborted when the request times out or its client goes: a scorer drops the work if it has not started. */
  signal: AbortSignal;
}

/** A scorer's answer: status and JSON text. */
export interface ScoringAnswer {
  status: number;
  body: string;
  headers?: Record<string, string> | undefined;
}

/** Where the HTTP front sends scoring work: the app in this process, or a pool of worker processes. */
export interface ScoringExecutor {
  /** Starts `job` when a scorer has room for it, else returns null (the front keeps it queued). */
  tryStart(job: ScoringJob): Promise<ScoringAnswer> | null;
  /** Called by the executor whenever room frees up, so the front can start queued jobs. */
  onRoom(callback: () => void): void;
  /** What /healthz shows about the scorers. */
  health(): Record<string, unknown>;
  /** Embedding cache figures for /metrics, when the embedder keeps them. */
  cache(): { hits: number; lookups: number; textsEmbedded: number } | null;
  /** The online audit's Prometheus text (per worker with workers). */
  audit(): string;
  /** Stops the scorers (after the front has drained). */
  close(): Promise<void>;
}

/** Runs jobs on a {@link createRewardApp} app in this process: scoring shares this process's event loop. */
export function inProcessExecutor(app: ReturnType<typeof createRewardApp>, cache: () => { hits: number; lookups: number; textsEmbedded: number } | null): ScoringExecutor {
  return {
    tryStart: async (job) => {
      const response = await app.fetch(new Request(`http://in-process${job.path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: job.body, signal: job.signal }));
      const retryAfter = response.headers.get('retry-after');
      return { status: response.status, body: await response.text(), headers: retryAfter === null ? undefined : { 'retry-after': retryAfter } };
    },
    onRoom: () => undefined, // never full: the app's micro-batcher takes every job at once
    health: () => ({ microBatch: app.batcher !== null, batches: app.batcher?.stats.batches ?? null }),
    cache,
    audit: () => renderAuditGauges(app.auditGauges()),
    close: async () => undefined,
  };
}
