import type { RaRftRewardOptions, RaRftRewardResult } from '../profiles/ra-rft-reward.js';
import { raRftRewardBatch } from '../profiles/ra-rft-reward.js';
import type { RaRftTarget } from '../types.js';

/** One request's completions and targets. */
export interface ScoreRequest {
  completions: string[];
  targets: RaRftTarget[];
}

/** Options of {@link MicroBatcher}. */
export interface MicroBatcherOptions {
  /** How long the first request of a batch waits for others to join, in ms (default 2). */
  windowMs?: number | undefined;
  /** A batch is scored at once when it reaches this many completions (default 256). */
  maxBatchSize?: number | undefined;
  /** Called with the size of each joint scoring call (for metrics). */
  onBatch?: ((completions: number) => void) | undefined;
}

interface Waiting extends ScoreRequest {
  resolve(results: RaRftRewardResult[]): void;
  reject(error: unknown): void;
}

/**
 * Gathers concurrent small requests (OpenRLHF sends one sample per request) into one
 * {@link raRftRewardBatch} call, so each distinct text is embedded once per batch. Results go back to
 * each request in its own order. If the joint batch fails, each request is scored alone, so one bad
 * request cannot fail its neighbours.
 */
export class MicroBatcher {
  private queue: Waiting[] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly windowMs: number;
  private readonly maxBatchSize: number;
  private readonly onBatch: ((completions: number) => void) | undefined;
  /** Number of scoring calls made, and completions scored: for tests and /healthz. */
  readonly stats = { batches: 0, completions: 0 };

  constructor(
    private readonly options: RaRftRewardOptions,
    batching: MicroBatcherOptions = {},
  ) {
    this.windowMs = batching.windowMs ?? 2;
    this.maxBatchSize = batching.maxBatchSize ?? 256;
    this.onBatch = batching.onBatch;
  }

  /**
   * Scores `request` with the next batch. When `signal` aborts before that batch starts, the request leaves the
   * queue and the promise rejects with the signal's reason: a cancelled request costs no scoring.
   */
  score(request: ScoreRequest, signal?: AbortSignal | undefined): Promise<RaRftRewardResult[]> {
    if (request.completions.length === 0) return Promise.resolve([]);
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const waiting: Waiting = { ...request, resolve, reject };
      this.queue.push(waiting);
      this.queued += request.completions.length;
      signal?.addEventListener(
        'abort',
        () => {
          const at = this.queue.indexOf(waiting);
          if (at === -1) return; // already being scored
          this.queue.splice(at, 1);
          this.queued -= request.completions.length;
          reject(signal.reason);
        },
        { once: true },
      );
      if (this.queued >= this.maxBatchSize) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.windowMs);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue;
    this.queue = [];
    this.queued = 0;
    if (batch.length > 0) void this.run(batch);
  }

  private async run(batch: Waiting[]): Promise<void> {
    this.stats.batches++;
    try {
      const completions = batch.flatMap((r) => r.completions);
      this.onBatch?.(completions.length);
      const results = await raRftRewardBatch(completions, batch.flatMap((r) => r.targets), this.options);
      let offset = 0;
      for (const request of batch) {
        request.resolve(results.slice(offset, offset + request.completions.length));
        offset += request.completions.length;
      }
      this.stats.completions += results.length;
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      for (const request of batch) {
        raRftRewardBatch(request.completions, request.targets, this.options).then(request.resolve, request.reject);
      }
    }
  }
}
