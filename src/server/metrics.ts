/** Upper bounds (seconds) of the request-latency histogram buckets. */
export const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;
/** Upper bounds of the scoring-batch-size histogram buckets (completions per scoring call). */
export const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] as const;

class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(readonly bounds: readonly number[]) {
    this.counts = bounds.map(() => 0);
  }
  observe(value: number): void {
    this.sum += value;
    this.count++;
    const at = this.bounds.findIndex((bound) => value <= bound);
    if (at !== -1) this.counts[at] = (this.counts[at] ?? 0) + 1;
  }
  lines(name: string, labels: string): string[] {
    let cumulative = 0;
    const sep = labels === '' ? '' : ',';
    const out = this.bounds.map((bound, i) => {
      cumulative += this.counts[i] ?? 0;
      return `${name}_bucket{${labels}${sep}le="${bound}"} ${cumulative}`;
    });
    out.push(`${name}_bucket{${labels}${sep}le="+Inf"} ${this.count}`, `${name}_sum${labels === '' ? '' : `{${labels}}`} ${this.sum}`, `${name}_count${labels === '' ? '' : `{${labels}}`} ${this.count}`);
    return out;
  }
}

/** Live figures a server reads for the gauges, each call. */
export interface MetricsGauges {
  /** Completions queued or being scored. */
  pendingCompletions(): number;
  /** Requests being handled. */
  inFlightRequests(): number;
  /** Embedding cache hits and lookups, when the embedder is a cached one. */
  cache(): { hits: number; lookups: number; textsEmbedded: number } | null;
}

/**
 * The reward server's counters and histograms, rendered in the Prometheus text exposition format (0.0.4):
 * requests by route and status, request latency, scoring batch sizes, rejected (shed) requests by reason, and the
 * gauges of {@link MetricsGauges}. Hand-written: a dozen series need no client library.
 */
export class ServerMetrics {
  private readonly requests = new Map<string, number>();
  private readonly rejected = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();
  private readonly batches = new Histogram(BATCH_BUCKETS);
  completions = 0;

  constructor(private readonly gauges: MetricsGauges) {}

  request(route: string, status: number, seconds: number): void {
    const key = `route="${route}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    let histogram = this.latency.get(route);
    if (histogram === undefined) this.latency.set(route, (histogram = new Histogram(LATENCY_BUCKETS)));
    histogram.observe(seconds);
  }

  reject(reason: string): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
  }

  batch(size: number): void {
    this.batches.observe(size);
    this.completions += size;
  }

  /** The Prometheus text. */
  render(): string {
    const out: string[] = [];
    const family = (name: string, type: string, help: string, lines: string[]) => out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...lines);
    family('rarft_requests_total', 'counter', 'HTTP requests answered, by route and status.', [...this.requests].map(([labels, n]) => `rarft_requests_total{${labels}} ${n}`));
    family('rarft_request_duration_seconds', 'histogram', 'Request latency, by route.', [...this.latency].flatMap(([route, h]) => h.lines('rarft_request_duration_seconds', `route="${route}"`)));
    family('rarft_rejected_requests_total', 'counter', 'Requests refused before scoring, by reason (overload, auth, host, origin, content-type, draining).', [...this.rejected].map(([reason, n]) => `rarft_rejected_requests_total{reason="${reason}"} ${n}`));
    family('rarft_scoring_batch_size', 'histogram', 'Completions per scoring call (after micro-batching).', this.batches.lines('rarft_scoring_batch_size', ''));
    family('rarft_completions_scored_total', 'counter', 'Completions scored.', [`rarft_completions_scored_total ${this.completions}`]);
    family('rarft_queue_depth', 'gauge', 'Completions queued or being scored.', [`rarft_queue_depth ${this.gauges.pendingCompletions()}`]);
    family('rarft_in_flight_requests', 'gauge', 'Requests being handled.', [`rarft_in_flight_requests ${this.gauges.inFlightRequests()}`]);
    const cache = this.gauges.cache();
    if (cache !== null) {
      family('rarft_embedding_cache_hits_total', 'counter', 'Embedding cache hits.', [`rarft_embedding_cache_hits_total ${cache.hits}`]);
      family('rarft_embedding_cache_lookups_total', 'counter', 'Embedding cache lookups.', [`rarft_embedding_cache_lookups_total ${cache.lookups}`]);
      family('rarft_embedding_cache_hit_ratio', 'gauge', 'Hits over lookups since start.', [`rarft_embedding_cache_hit_ratio ${cache.lookups === 0 ? 0 : cache.hits / cache.lookups}`]);
      family('rarft_texts_embedded_total', 'counter', 'Texts sent to the embedding model.', [`rarft_texts_embedded_total ${cache.textsEmbedded}`]);
    }
    return `${out.join('\n')}\n`;
  }
}
