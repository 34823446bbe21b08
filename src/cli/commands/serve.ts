import type { RewardProfile } from '../../types.js';
import { END_TOKEN_HELP, END_TOKEN_OPTIONS, choiceOption, endTokensOption, numberOption, parseCommandArgs } from '../args.js';
import { type Command, type CommandIO, EXIT } from '../command.js';
import { EMBEDDER_CHOICES, chooseEmbedder } from '../embedder-choice.js';
import { UNIT_SCORE_SOURCES } from '../../server/unit-score.js';
import { parseWeights } from './score.js';

const help = `Usage: ra-rft-rewards serve [options]

Runs the HTTP reward server until SIGINT/SIGTERM, then finishes in-flight requests and exits.
Routes:
  POST /get_reward   OpenRLHF remote reward: {"query": [...], "prompts": [...], "labels": [target or JSON, ...]}
                     -> {"rewards": [total...], "scores": [on 0..1...], "extra_logs": {"format": [...], ...}}
  POST /v1/score     {"items": [{"completion", "target"}]} -> {"results": [{"total", "format", ...}], "embedder"}
  GET  /healthz      liveness and configuration

Options:
  --host HOST             interface to bind (default 127.0.0.1; the server has no authentication)
  --port N                port (default 8000)
  --embedder NAME         auto | minilm | use-lite | trigram (default auto; the choice is printed)
  --profile NAME          ra-rft (default) | strict
  --weights LIST          e.g. format=1,refuseIoU=1,explain=1,correction=1
  --think-prefilled       the chat template opened <think>
  --no-micro-batch        score each request alone (default: gather concurrent requests)
  --batch-window-ms N     micro-batch window (default 2)
  --body-limit-mb N       larger bodies get 413 (default 8)
  --timeout-ms N          slower requests get 503 (default 30000)
  --scores SOURCE         what /get_reward's "scores" holds, on [0, 1] for OpenRLHF's dynamic filtering:
                          normalized (default: the total mapped from its range [lo, hi] of the weights
                          onto [0, 1]) | format | refuseIoU | explain | correction | explainAndCorrection
${END_TOKEN_HELP}

Exit codes: 0 stopped by a signal, 2 bad usage, 3 the port could not be bound.
`;

async function runServe(argv: readonly string[], io: CommandIO): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    {
      host: { type: 'string' },
      port: { type: 'string' },
      embedder: { type: 'string' },
      profile: { type: 'string' },
      weights: { type: 'string' },
      'think-prefilled': { type: 'boolean' },
      'no-micro-batch': { type: 'boolean' },
      'batch-window-ms': { type: 'string' },
      'body-limit-mb': { type: 'string' },
      'timeout-ms': { type: 'string' },
      scores: { type: 'string' },
      ...END_TOKEN_OPTIONS,
    },
    false,
  );
  const profile: RewardProfile = choiceOption('profile', values.profile, ['ra-rft', 'strict'] as const, 'ra-rft');
  const port = numberOption('port', values.port, 8000, { min: 0, integer: true });
  const weights = parseWeights(values.weights);
  const log = (line: string) => io.stderr.write(`${line}\n`);
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
      bodyLimitBytes: numberOption('body-limit-mb', values['body-limit-mb'], 8, { min: 0 }) * 1024 * 1024,
      requestTimeoutMs: numberOption('timeout-ms', values['timeout-ms'], 30_000, { min: 1 }),
      scores: choiceOption('scores', values.scores, UNIT_SCORE_SOURCES, 'normalized'),
      endTokens: endTokensOption(values),
      host: values.host ?? '127.0.0.1',
      port,
    });
  } catch (error) {
    log(`ra-rft-rewards serve: cannot listen on ${values.host ?? '127.0.0.1'}:${port}: ${(error as Error).message}`);
    return EXIT.io;
  }
  const endTokens = endTokensOption(values);
  log(
    `ra-rft-rewards serve: listening on ${server.url} (profile ${profile}, micro-batching ${values['no-micro-batch'] === true ? 'off' : 'on'}, ` +
      `end tokens ${endTokens === false ? 'kept' : endTokens === undefined ? 'stripped (defaults)' : `stripped: ${endTokens.join(' ')}`})`,
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log(`ra-rft-rewards serve: ${signal}, finishing in-flight requests…`);
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await server.close();
  log('ra-rft-rewards serve: stopped');
  return EXIT.ok;
}

export const command: Command = {
  summary: 'run the HTTP reward server (OpenRLHF /get_reward, /v1/score)',
  help,
  run: runServe,
};
