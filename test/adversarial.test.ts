// Guard against catastrophic regex backtracking: every rule reward scores ~1 MB adversarial completions.
// It runs in a worker so that a hang fails the test at the deadline instead of blocking the runner.
// The deadline is generous on purpose (a backtracking regex needs hours here); the actual times are
// measured by `npm run bench` (section core).
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

const DEADLINE_MS = 60_000;

describe('adversarial 1 MB completions', () => {
  it(
    'are all scored by every rule reward without catastrophic backtracking',
    async () => {
      const worker = new Worker(new URL('./helpers/adversarial-worker.mjs', import.meta.url));
      const done: string[] = [];
      const outcome = await new Promise<string>((resolve) => {
        const timer = setTimeout(() => resolve(`deadline passed; last finished input: ${done.at(-1) ?? 'none'}`), DEADLINE_MS);
        worker.on('message', (message: { done?: string; finished?: boolean }) => {
          if (message.done !== undefined) done.push(message.done);
          if (message.finished === true) {
            clearTimeout(timer);
            resolve('finished');
          }
        });
        worker.on('error', (error) => {
          clearTimeout(timer);
          resolve(`worker error: ${error.message}`);
        });
      });
      await worker.terminate();
      expect(outcome).toBe('finished');
      expect(done.length).toBe(26);
    },
    DEADLINE_MS + 10_000,
  );
});
