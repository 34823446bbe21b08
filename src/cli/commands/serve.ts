import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { RewardProfile } from '../../types.js';
import { resolveServerOptions, serverFlagSpecs, serverHelpLines, serverOptionProblem, serverOptionsFromFlags } from '../../server/options.js';
import { END_TOKEN_HELP, END_TOKEN_OPTIONS, choiceOption, endTokensOption, parseCommandArgs } from '../args.js';
import { type Command, type CommandIO, EXIT, UsageError } from '../command.js';
import { EMBEDDER_FLAG_HELP, chooseEmbedder, embedderFlag } from '../embedder-choice.js';
import { parseWeights } from './score.js';

/** Set in a scoring worker's environment: its 1-based id. */
const WORKER_ENV = 'RA_RFT_SCORER_ID';

const help = `Usage: ra-rft-rewards serve [options]

Runs the HTTP reward server until SIGINT/SIGTERM, then drains: it keeps accepting for the grace period, stops
listening, answers every request it accepted, answers later requests 503 (retryable), and exits.
The parent process holds the port and every connection (admission, /healthz, /metrics, the drain); --workers
scoring processes do the scoring. A worker that dies is replaced and its requests get 503 with Retry-After.
Routes:
  POST /get_reward   OpenRLHF remote reward: {"query": [...], "prompts": [...], "labels": [target or JSON, ...]}
                     -> {"rewards": [total...], "scores": [on 0..1...], "extra_logs": {"format": [...], ...}}
  POST /v1/score     {"items": [{"completion", "target"}]} -> {"results": [{"total", "format", ...}], "scores", "embedder"}
  POST /v1/rpc       the Python package's requests (pip install ra-rft-rewards; set RA_RFT_REWARD_URL)
  POST /v1/embeddings OpenAI's embeddings API with this server's embedder (elsewhere: --embedder openai:URL#MODEL)
  GET  /metrics      Prometheus text: requests, latency, batch sizes, cache hit rate, queue depth, rejections
  GET  /healthz      liveness, configuration and workers, from the parent (no token needed: for probes)
Add ?timing=1 to a POST for its scoring time per sample.

Server options (${availableParallelism()} cores here):
${serverHelpLines().join('\n')}

Scoring options:
  --embedder NAME         ${EMBEDDER_FLAG_HELP}
                          (default auto; the choice is printed)
  --profile NAME          ra-rft (default) | strict
  --weights LIST          e.g. format=1,refuseIoU=1,explain=1,correction=1
  --think-prefilled       the chat template opened <think>
${END_TOKEN_HELP}

Exit codes: 0 stopped by a signal, 1 no scoring worker could be kept running, 2 bad usage, 3 the port could
not be bound.
`;

const OPTIONS = {
  ...(serverFlagSpecs() as Record<string, { type: 'string' }>),
  'no-micro-batch': { type: 'boolean' },
  embedder: { type: 'string' },
  profile: { type: 'string' },
  weights: { type: 'string' },
  'think-prefilled': { type: 'boolean' },
  ...END_TOKEN_OPTIONS,
} as const;

/**
 * Resolves when SIGINT or SIGTERM arrives. A second signal, a second or more later, exits at once.
 */
function stopSignal(log: (line: string) => void, onSecond: () => void = () => process.exit(EXIT.failed)): Promise<string> {
  return new Promise((resolve) => {
    let stopping = false;
    let firstAt = 0;
    const stop = (signal: string) => {
      if (stopping) {
        // The same signal sent to the process and to its group arrives twice at once: only a later one counts.
        if (Date.now() - firstAt < 1000) return;
        log(`ra-rft-rewards serve: second ${signal}, exiting now`);
        onSecond();
        return;
      }
      stopping = true;
      firstAt = Date.now();
      resolve(signal);
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
}

async function runServe(argv: readonly string[], io: CommandIO): Promise<number> {
  const { values } = parseCommandArgs(argv, OPTIONS, false);
  const flags = serverOptionsFromFlags(values as Record<string, string | boolean | undefined>, (message) => new UsageError(message));
  const envToken = process.env.RA_RFT_TOKEN;
  if (flags.token === undefined && envToken !== undefined && envToken !== '') {
    const problem = serverOptionProblem('token', envToken);
    if (problem !== null) throw new UsageError(`RA_RFT_TOKEN ${problem}`);
    flags.token = envToken;
  }
  const options = resolveServerOptions('serve', flags);
  const profile: RewardProfile = choiceOption('profile', values.profile, ['ra-rft', 'strict'] as const, 'ra-rft');
  const weights = parseWeights(values.weights);
  const endTokens = endTokensOption(values);
  const embedderChoice = embedderFlag(values.embedder, 'auto');
  const workerId = process.env[WORKER_ENV];
  const log = (line: string) => io.stderr.write(`${workerId === undefined ? '' : `[worker ${workerId}] `}${line}\n`);
  const { isLoopback } = await import('../../server/access.js');
  if (!isLoopback(options.host) && options.token === undefined) {
    throw new UsageError(`--host ${options.host} is not loopback: set --token (or RA_RFT_TOKEN) so that only your trainer can call the server`);
  }
  const scoring = { profile, weights, thinkPrefilled: values['think-prefilled'] === true, endTokens, microBatch: options.microBatch, batchWindowMs: options.batchWindowMs, maxBatchSize: options.maxBatchSize, scores: options.scores, maxIssues: options.maxIssues };

  if (workerId !== undefined && process.send !== undefined) {
    // A scoring worker: no port, no access checks; the parent admits, times out and drains.
    const chosen = await chooseEmbedder(embedderChoice, log);
    const { createRewardApp } = await import('../../server/app.js');
    const { runScoringWorker } = await import('../../server/pool.js');
    const app = createRewardApp({ ...scoring, embedder: chosen.embedder, embedderName: chosen.name, maxPendingCompletions: 10_000_000, requestTimeoutMs: 3_600_000 });
    const stats = (chosen.embedder as { stats?: { cacheHits?: number; textsEmbedded?: number } }).stats;
    await runScoringWorker(
      app,
      chosen.name,
      () => (typeof stats?.cacheHits === 'number' && typeof stats.textsEmbedded === 'number' ? { hits: stats.cacheHits, lookups: stats.cacheHits + stats.textsEmbedded, textsEmbedded: stats.textsEmbedded } : null),
      // An embedding still running in a worker thread must not keep the process alive.
      async () => void (await (chosen.embedder as { dispose?: () => Promise<void> }).dispose?.()),
    );
    process.disconnect?.();
    return EXIT.ok;
  }

  const { WorkerPool } = await import('../../server/pool.js');
  const { createFront } = await import('../../server/front.js');
  const { loopbackHosts } = await import('../../server/access.js');
  const workers = options.workers ?? availableParallelism();
  let giveUp: (reason: string) => void = () => undefined;
  const gaveUp = new Promise<string>((resolve) => (giveUp = resolve));
  const script = process.argv[1] as string;
  let front: ReturnType<typeof createFront> | undefined;
  const pool = new WorkerPool({
    workers,
    maxRestarts: options.maxRestarts,
    window: options.maxBatchSize,
    stuckMs: options.requestTimeoutMs,
    retryAfterSeconds: options.retryAfterSeconds,
    // The same command line in a child with an IPC channel: it sees WORKER_ENV and becomes a scorer.
    spawn: (id) => fork(script, process.argv.slice(2), { execArgv: process.execArgv, env: { ...process.env, [WORKER_ENV]: String(id) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
    log,
    onBatch: (size) => front?.metrics.batch(size),
    onGiveUp: giveUp,
  });
  try {
    await Promise.race([pool.ready, gaveUp.then((reason) => Promise.reject(new Error(reason)))]);
  } catch (error) {
    log(`ra-rft-rewards serve: no scoring worker could start: ${(error as Error).message}`);
    await pool.close(1000);
    return EXIT.failed;
  }
  const hosts: string[] = [];
  const loopback = isLoopback(options.host);
  front = createFront({
    options,
    access: { token: options.token, allowedHosts: options.allowedHosts ?? (loopback ? hosts : undefined), allowedOrigins: options.allowedOrigins },
    executor: pool,
    describe: { profile, workersWanted: workers },
  });
  let port: number;
  try {
    port = await front.listen(options.host, options.port);
  } catch (error) {
    log(`ra-rft-rewards serve: cannot listen on ${options.host}:${options.port}: ${(error as Error).message}`);
    await pool.close(1000);
    return EXIT.io;
  }
  hosts.push(...loopbackHosts(port));
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  log(
    `ra-rft-rewards serve: listening on ${url} (${workers} worker${workers === 1 ? '' : 's'}, profile ${profile}, micro-batching ${options.microBatch ? 'on' : 'off'}, ` +
      `end tokens ${endTokens === false ? 'kept' : endTokens === undefined ? 'stripped (defaults)' : `stripped: ${endTokens.join(' ')}`}, ` +
      `auth ${options.token === undefined ? 'none (loopback)' : 'bearer token'})`,
  );
  const killAll = () => {
    for (const pid of (pool.health().workers as { pid?: number }[]).map((w) => w.pid)) if (pid !== undefined) process.kill(pid, 'SIGKILL');
    process.exit(EXIT.failed);
  };
  const first = await Promise.race([stopSignal(log, killAll).then((signal) => ({ signal })), gaveUp.then((reason) => ({ reason }))]);
  if ('reason' in first) {
    log(`ra-rft-rewards serve: giving up: ${first.reason}`);
    front.server.closeAllConnections();
    front.server.close();
    await pool.close(1000);
    return EXIT.failed;
  }
  log(`ra-rft-rewards serve: ${first.signal}, draining…`);
  await front.close();
  log('ra-rft-rewards serve: stopped');
  return EXIT.ok;
}

export const command: Command = {
  summary: 'run the HTTP reward server (OpenRLHF /get_reward, /v1/score)',
  help,
  run: runServe,
};
