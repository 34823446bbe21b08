import type { ProfileRules } from '../rules/types.js';
import type { Embedder } from '../types.js';
import { distinctTextCount, embedParts } from './embed-parts.js';
import type { RolloutDump } from './open-dump.js';
import type { AuditRollout } from './types.js';

/** How long re-scoring a dump with an embedder will take, measured on its first rollouts before it starts. */
export interface RescoreEstimate {
  /** The embedder's name. */
  embedder: string;
  /** Rollouts timed (the second sample batch; the first when the dump has one), and whether the samples are the whole dump. */
  sampleRollouts: number;
  wholeDump: boolean;
  /** Seconds the first call took (loading a model, opening a connection), not counted in the rate. */
  loadSeconds: number;
  /** Distinct texts the timed batch needed, and how fast the embedder embedded them. */
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
  /** Rollouts in a sample batch (default 512): re-scoring's batch size. */
  sample?: number | undefined;
}

/**
 * Times `embedder` on the first rollouts of `dump` as re-scoring will run it, and extrapolates to the whole by its
 * size in bytes: the estimate `audit --embedder` prints before it starts. The first call is timed apart (model
 * load); then two batches are re-scored in turn and the second is timed, so that the rate includes what the
 * embedder's cache saves on texts that repeat from batch to batch (a group's references, a prompt's query), and
 * a warm runtime. Reads only the start of the dump (the reader is closed after the samples).
 *
 * @example
 * const estimate = await estimateRescore(openDump('checkpoints/rollouts'), embedder, auditScorer({}, false).rules);
 * console.error(`re-scoring will take about ${Math.round(estimate.seconds)} s`);
 */
export async function estimateRescore(dump: RolloutDump, embedder: Embedder, rules: ProfileRules, options: EstimateRescoreOptions = {}): Promise<RescoreEstimate> {
  const size = options.sample ?? 512;
  const samples: AuditRollout[][] = [];
  let sampleBytes = 0;
  let wholeDump = true;
  let current: AuditRollout[] = [];
  for await (const batch of dump.batches({ batchSize: size, onBytes: (bytes) => (sampleBytes = bytes) })) {
    current.push(...batch);
    if (current.length >= size) {
      samples.push(current);
      current = [];
      if (samples.length === 2) {
        // The rest of a batch stays in its sample: its bytes were read with it.
        wholeDump = false;
        break;
      }
    }
  }
  if (current.length > 0) samples.push(current);
  const t0 = performance.now();
  await embedder.embed(['ra-rft-rewards audit: warm-up']);
  const loadSeconds = (performance.now() - t0) / 1000;
  let timed: AuditRollout[] = [];
  let seconds = 0;
  let elapsedAll = 0;
  for (const sample of samples) {
    const t = performance.now();
    await embedParts(sample, embedder, rules);
    seconds = Math.max(1e-6, (performance.now() - t) / 1000);
    elapsedAll += seconds;
    timed = sample;
  }
  const read = samples.reduce((sum, sample) => sum + sample.length, 0);
  const texts = distinctTextCount(timed, rules);
  // Samples that ended the dump are the dump; otherwise scale by bytes (the reader reports what it read for them).
  const rollouts = wholeDump || sampleBytes <= 0 ? read : Math.round((read * dump.bytes) / sampleBytes);
  const perRollout = timed.length === 0 ? 0 : texts / timed.length;
  return {
    embedder: embedder.name ?? 'custom',
    sampleRollouts: timed.length,
    wholeDump,
    loadSeconds,
    sampleTexts: texts,
    textsPerSecond: texts / seconds,
    rollouts,
    texts: wholeDump ? distinctTextCount(samples.flat(), rules) : Math.round(perRollout * rollouts),
    seconds: wholeDump ? elapsedAll : timed.length === 0 ? 0 : (rollouts * seconds) / timed.length,
  };
}
