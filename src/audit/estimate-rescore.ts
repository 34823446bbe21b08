import type { ProfileRules } from '../rules/types.js';
import type { Embedder } from '../types.js';
import { distinctTextCount, embedParts } from './embed-parts.js';
import type { RolloutDump } from './open-dump.js';
import type { AuditRollout } from './types.js';

/** How long re-scoring a dump with an embedder will take, measured on its first rollouts before it starts. */
export interface RescoreEstimate {
  /** The embedder's name. */
  embedder: string;
  /** Rollouts in the sample, and whether the sample is the whole dump (then the counts are exact). */
  sampleRollouts: number;
  wholeDump: boolean;
  /** Seconds the first call took (loading a model, opening a connection), not counted in the rate. */
  loadSeconds: number;
  /** Distinct texts the sample needed, and how fast the embedder embedded them. */
  sampleTexts: number;
  textsPerSecond: number;
  /** Rollouts and distinct texts expected in the whole dump (from its size in bytes). */
  rollouts: number;
  texts: number;
  /** Seconds expected for the embedding of the whole dump. */
  seconds: number;
}

/** Options of {@link estimateRescore}. */
export interface EstimateRescoreOptions {
  /** Rollouts to embed and time (default 512). */
  sample?: number | undefined;
}

/**
 * Times `embedder` on the first rollouts of `dump` and extrapolates to the whole by its size in bytes: the
 * estimate `audit --embedder` prints before it starts. The first call is timed apart (model load), then the
 * sample's distinct texts are embedded once in one call, as re-scoring embeds them. Reads only the start of
 * the dump (the reader is closed after the sample).
 *
 * @example
 * const estimate = await estimateRescore(openDump('checkpoints/rollouts'), embedder, auditScorer({}, false).rules);
 * console.error(`re-scoring will take about ${Math.round(estimate.seconds)} s`);
 */
export async function estimateRescore(dump: RolloutDump, embedder: Embedder, rules: ProfileRules, options: EstimateRescoreOptions = {}): Promise<RescoreEstimate> {
  const size = options.sample ?? 512;
  const sample: AuditRollout[] = [];
  let sampleBytes = 0;
  let wholeDump = true;
  for await (const batch of dump.batches({ batchSize: size, onBytes: (bytes) => (sampleBytes = bytes) })) {
    sample.push(...batch);
    if (sample.length >= size) {
      // The rest of the batch stays in: its bytes were read with it.
      wholeDump = false;
      break;
    }
  }
  const texts = distinctTextCount(sample, rules);
  const t0 = performance.now();
  await embedder.embed(['ra-rft-rewards audit: warm-up']);
  const loadSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  await embedParts(sample, embedder, rules);
  const sampleSeconds = Math.max(1e-6, (performance.now() - t1) / 1000);
  const textsPerSecond = texts / sampleSeconds;
  // A sample that ended the dump is the dump; otherwise scale by bytes (the reader reports what it read for the sample).
  const rollouts = wholeDump || sampleBytes <= 0 ? sample.length : Math.round((sample.length * dump.bytes) / sampleBytes);
  const perRollout = sample.length === 0 ? 0 : texts / sample.length;
  const total = wholeDump ? texts : Math.round(perRollout * rollouts);
  return {
    embedder: embedder.name ?? 'custom',
    sampleRollouts: sample.length,
    wholeDump,
    loadSeconds,
    sampleTexts: texts,
    textsPerSecond,
    rollouts,
    texts: total,
    seconds: textsPerSecond > 0 ? total / textsPerSecond : 0,
  };
}
