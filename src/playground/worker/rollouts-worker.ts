/// <reference lib="dom" />
// The rollouts Web Worker: streams a JSONL file (File.stream(), decoded chunk by chunk, never read whole),
// scores the lines that need it with the library (trigram-hash embedder), and posts progress and the
// summary. The page's main thread only renders what arrives here.
import { type RaRftTarget, type RewardProfile, raRftRewardBatch, stripEndTokens, trigramHashEmbedder } from '../../index.js';
import { type RolloutParts, RolloutStats, readRolloutLine } from '../rollouts.js';

/** A request to the worker. */
export interface RolloutRequest {
  file: Blob;
  profile: RewardProfile;
  stripEndTokens: boolean;
}

/** What the worker posts. */
export type RolloutMessage =
  | { type: 'progress'; bytes: number; total: number; rows: number; errors: number }
  | { type: 'done'; summary: ReturnType<RolloutStats['summary']>; embedder: string; seconds: number; bytes: number }
  | { type: 'failed'; message: string };

interface WorkerScope {
  onmessage: ((event: MessageEvent<RolloutRequest>) => void) | null;
  postMessage(message: RolloutMessage): void;
}
const scope = self as unknown as WorkerScope;
const BATCH = 256;

async function load({ file, profile, stripEndTokens: strip }: RolloutRequest): Promise<void> {
  const started = performance.now();
  const embedder = trigramHashEmbedder();
  const stats = new RolloutStats();
  let pending: { group: string; label: string; completion: string; target: RaRftTarget }[] = [];
  let bytes = 0;
  let lineNumber = 0;
  let lastPost = 0;

  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const completions = batch.map((item) => (strip ? stripEndTokens(item.completion) : item.completion));
    try {
      const results = await raRftRewardBatch(completions, batch.map((item) => item.target), { embedder, profile });
      results.forEach((result, i) => {
        const item = batch[i] as (typeof batch)[number];
        const parts: RolloutParts = { total: result.total, format: result.format, refuseIoU: result.refuseIoU, explain: result.explain, correction: result.correction };
        stats.add(item.group, item.label, parts, item.completion);
      });
    } catch (error) {
      for (const item of batch) stats.error(`${item.label}: ${(error as Error).message}`);
    }
  };
  const handle = async (line: string) => {
    lineNumber++;
    if (line.trim() === '') return;
    const read = readRolloutLine(line, lineNumber);
    if (read.kind === 'error') stats.error(read.message);
    else if (read.kind === 'scored') stats.add(read.group, read.label, read.parts);
    else {
      pending.push(...read.items);
      if (pending.length >= BATCH) await flush();
    }
  };

  const reader = file.stream().pipeThrough(new TextDecoderStream()).getReader();
  let rest = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    // Progress in bytes of the original file: UTF-8 length of the decoded chunk.
    bytes += new TextEncoder().encode(value).length;
    const lines = (rest + value).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) await handle(line);
    const now = performance.now();
    if (now - lastPost > 100) {
      lastPost = now;
      const { rows, errors } = stats.counts;
      scope.postMessage({ type: 'progress', bytes, total: file.size, rows, errors });
    }
  }
  await handle(rest);
  await flush();
  scope.postMessage({ type: 'done', summary: stats.summary(), embedder: embedder.name, seconds: (performance.now() - started) / 1000, bytes: file.size });
}

scope.onmessage = (event) => {
  load(event.data).catch((error: unknown) => scope.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) }));
};
