import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { RewardProfile } from '../../types.js';
import { UNIT_SCORE_SOURCES } from '../../engine/unit-score.js';
import { END_TOKEN_HELP, END_TOKEN_OPTIONS, choiceOption, endTokensOption, numberOption, parseCommandArgs } from '../args.js';
import { type Command, type CommandIO, EXIT, UsageError } from '../command.js';
import { EMBEDDER_CHOICES, chooseEmbedder } from '../embedder-choice.js';
import { parseWeights } from './score.js';

const help = `Usage: ra-rft-rewards serve [options]

Runs the HTTP reward server until SIGINT/SIGTERM, then drains: it stops listening, serves what was already sent,
answers later requests 503 (retryable), lets in-flight requests finish, and exits.
Routes:
  POST /get_reward   OpenRLHF remote reward: {"query": [...], "prompts": [...], "labels": [target or JSON, ...]}
                     -> {"rewards": [total...], "scores": [on 0..1...], "extra_logs": {"format": [...], ...}}
  POST /v1/score     {"items": [{"completion", "target"}]} -> {"results": [{"total", "format", ...}], "scores", "embedder"}
  POST /v1/rpc       the Python package's requests (pip install ra-rft-rewards; set RA_RFT_REWARD_URL)
  GET  /metrics      Prometheus text: requests, latency, batch sizes, cache hit rate, queue depth, rejections
  GET  /healthz      liveness and configuration (no token needed: for load balancer and Kubernetes probes)
Add ?timing=1 to a POST for its scoring time per sample.

Options:
  --host HOST             interface to bind (default 127.0.0.1). Anything but loopback requires a token.
  --port N                port (default 8000)
  --workers N             worker processes sharing the port, each with its own embedder and cache
                          (default: the available cores, ${availableParallelism()} here)
  --token TOKEN           require "Authorization: Bearer TOKEN" (default: $RA_RFT_TOKEN; the Python shims send
                          $RA_RFT_TOKEN); compared in constant time
  --allowed-hosts LIST    Host headers to answer (default on loopback: 127.0.0.1, localhost, [::1] with the port)
  --allowed-origins LIST  browser origins allowed to call (default none: requests with an Origin get 403)
  --embedder NAME         auto | minilm | use-lite | trigram (default auto; the choice is printed)
  --profile NAME          ra-rft (default) | strict
  --weights LIST          e.g. format=1,refuseIoU=1,explain=1,correction=1
  --think-prefilled       the chat template opened <think>
  --no-micro-batch        score each request alone (default: gather concurrent requests)
  --batch-window-ms N     micro-batch window (default 2)
  --max-pending N         completions queued or being scored per worker; past it, 503 with Retry-After at
                          once (default 8192)
  --body-limit-mb N       larger bodies get 413 (default 8)
  --timeout-ms N          slower requests get 503 (default 30000)
  --drain-timeout-ms N    on SIGTERM, the most time in-flight requests get before the process exits (default 35000)
  --scores SOURCE         what /get_reward's "scores" holds, on [0, 1] for OpenRLHF's dynamic filtering:
                          normalized (default: the total mapped from its range [lo, hi] of the weights
                          onto [0, 1]) | format | refuseIoU | explain | correction | explainAndCorrection
${END_TOKEN_HELP}

Exit codes: 0 stopped by a signal, 2 bad usage, 3 the port could not be bound.
`;

const OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  workers: { type: 'string' },
  token: { type: 'string' },
  'allowed-hosts': { type: 'string' },
  'allowed-origins': { type: 'string' },
  embedder: { type: 'string' },
  profile: { type: 'string' },
  weights: { type: 'string' },
  'think-prefilled': { type: 'boolean' },
  'no-micro-batch': { type: 'boolean' },
  'batch-window-ms': { type: 'string' },
  'max-pending': { type: 'string' },
  'body-limit-mb': { type: 'string' },
  'timeout-ms': { type: 'string' },
  'drain-timeout-ms': { type: 'string' },
  scores: { type: 'string' },
  ...END_TOKEN_OPTIONS,
} as const;

const list = (text: string | undefined) => (text === undefined ? undefined : text.split(',').map((item) => item.trim()).filter(Boolean));

/**
 * Resolves when SIGINT or SIGTERM arrives. A second signal, a second or more later, exits at once, except in a
 * cluster worker: a terminal's Ctrl-C reaches the workers both directly and forwarded by the primary, and that
 * must still drain.
 */
function stopSignal(log: (line: string) => void, onSecond: () => void = () => process.exit(EXIT.failed)): Promise<string> {
  return new Promise((resolve) => {
    let stopping = false;
    let firstAt = 0;
    const stop = (signal: string) => {
      if (stopping) {
        // The same signal sent to the process and to its group arrives twice at once: only a later one counts.
        if (cluster.isWorker || Date.now() - firstAt < 1000) return;
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

/** The primary of `--workers N`: forks the workers, restarts none, forwards the stop signal, waits for them. */
async function runPrimary(workers: number, log: (line: string) => void): Promise<number> {
  const started: Promise<number>[] = [];
  let listening = 0;
  for (let k = 0; k < workers; k++) {
    const worker = cluster.fork({ RA_RFT_WORKER_ID: String(k + 1) });
    started.push(new Promise((resolve) => worker.once('exit', (code) => resolve(code ?? 0))));
    worker.once('listening', () => {
      if (++listening === workers) log(`ra-rft-rewards serve: ${workers} workers listening`);
    });
  }
  const exited = Promise.all(started);
  const killAll = () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
    process.exit(EXIT.failed);
  };
  const first = await Promise.race([stopSignal(log, killAll), exited.then(() => null)]);
  if (first !== null) for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  const codes = await exited;
  // A worker that could not bind exits 3: so does the whole server.
  return codes.includes(EXIT.io) ? EXIT.io : EXIT.ok;
}

async function runServe(argv: readonly string[], io: CommandIO): Promise<number> {
  const { values } = parseCommandArgs(argv, OPTIONS, false);
  const profile: RewardProfile = choiceOption('profile', values.profile, ['ra-rft', 'strict'] as const, 'ra-rft');
  const port = numberOption('port', values.port, 8000, { min: 0, integer: true });
  const workers = numberOption('workers', values.workers, availableParallelism(), { min: 1, integer: true });
  const weights = parseWeights(values.weights);
  const endTokens = endTokensOption(values);
  const host = values.host ?? '127.0.0.1';
  const token = values.token ?? process.env.RA_RFT_TOKEN;
  const workerId = process.env.RA_RFT_WORKER_ID;
  const prefix = workerId === undefined ? '' : `[worker ${workerId}] `;
  const log = (line: string) => io.stderr.write(`${prefix}${line}\n`);
  const { isLoopback } = await import('../../server/access.js');
  if (!isLoopback(host) && (token ?? '') === '') throw new UsageError(`--host ${host} is not loopback: set --token (or RA_RFT_TOKEN) so that only your trainer can call the server`);
  if (workers > 1 && cluster.isPrimary) return runPrimary(workers, log);

  const chosen = await chooseEmbedder(choiceOption('embedder', values.embedder, EMBEDDER_CHOICES, 'auto'), log);
  const { startRewardServer } = await import('../../server/index.js');
  let server;
  try {
    server = await startRewardServer({
      embedder: chosen.embedder,
      embedderName: chosen.name,
      profile,
      weights,
      thinkPrefilled: values['think-prefilled'] === true,
      microBatch: values['no-micro-batch'] !== true,
      batchWindowMs: numberOption('batch-window-ms', values['batch-window-ms'], 2, { min: 0 }),
      maxPendingCompletions: numberOption('max-pending', values['max-pending'], 8192, { min: 1, integer: true }),
      bodyLimitBytes: numberOption('body-limit-mb', values['body-limit-mb'], 8, { min: 0 }) * 1024 * 1024,
      requestTimeoutMs: numberOption('timeout-ms', values['timeout-ms'], 30_000, { min: 1 }),
      drainTimeoutMs: numberOption('drain-timeout-ms', values['drain-timeout-ms'], 35_000, { min: 0 }),
      scores: choiceOption('scores', values.scores, UNIT_SCORE_SOURCES, 'normalized'),
      endTokens,
      access: { token: token === '' ? undefined : token, allowedHosts: list(values['allowed-hosts']), allowedOrigins: list(values['allowed-origins']) },
      host,
      port,
    });
  } catch (error) {
    log(`ra-rft-rewards serve: cannot listen on ${host}:${port}: ${(error as Error).message}`);
    await (chosen.embedder as { dispose?: () => Promise<void> }).dispose?.();
    return EXIT.io;
  }
  log(
    `ra-rft-rewards serve: listening on ${server.url} (profile ${profile}, micro-batching ${values['no-micro-batch'] === true ? 'off' : 'on'}, ` +
      `end tokens ${endTokens === false ? 'kept' : endTokens === undefined ? 'stripped (defaults)' : `stripped: ${endTokens.join(' ')}`}, ` +
      `auth ${token ? 'bearer token' : 'none (loopback)'})`,
  );
  const signal = await stopSignal(log);
  log(`ra-rft-rewards serve: ${signal}, draining…`);
  await server.close();
  // An embedding still running in a worker thread must not keep the process alive.
  await (chosen.embedder as { dispose?: () => Promise<void> }).dispose?.();
  log('ra-rft-rewards serve: stopped');
  // A cluster worker's IPC channel to the primary would keep it alive.
  cluster.worker?.disconnect();
  return EXIT.ok;
}

export const command: Command = {
  summary: 'run the HTTP reward server (OpenRLHF /get_reward, /v1/score)',
  help,
  run: runServe,
};
