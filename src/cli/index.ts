// ra-rft-rewards/cli: the command-line interface as a library (the `ra-rft-rewards` bin calls `main`).
import { type Command, type CommandIO, EXIT, UsageError } from './command.js';
import { VERSION } from '../version.js';

export { type Command, type CommandIO, EXIT, UsageError } from './command.js';

/** The commands, loaded lazily so `score` never pays for another command's imports. */
export const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  score: () => import('./commands/score.js'),
  serve: () => import('./commands/serve.js'),
  'bench-variants': () => import('./commands/bench-variants.js'),
  train: () => import('./commands/train.js'),
  evaluate: () => import('./commands/evaluate.js'),
  playground: () => import('./commands/playground.js'),
  engine: () => import('./commands/engine.js'),
  audit: () => import('./commands/audit.js'),
};

const SUMMARIES: Record<string, string> = {
  score: 'score a JSONL file of completions with every RA-RFT reward',
  serve: 'run the HTTP reward server (OpenRLHF /get_reward, /v1/score)',
  'bench-variants': 'compare reward variants on HI-VTG data and the reward-hacking corpus',
  train: 'train the reference GRPO policy on the synthetic HI-VTG task (TensorFlow.js)',
  evaluate: "evaluate model outputs with the RA-RFT paper's protocol (relevance, RA-IoU, R@k)",
  playground: 'serve the in-browser reward playground on 127.0.0.1 (or --build DIR)',
  engine: 'the scoring engine over standard input and output (what the Python package runs)',
  audit: 'find reward hacking and dead signal in a run from its rollout dumps (verl, TRL, OpenRLHF, EasyR1)',
};

function globalHelp(): string {
  const width = Math.max(...Object.keys(SUMMARIES).map((name) => name.length));
  return [
    'Usage: ra-rft-rewards <command> [options]',
    '',
    'Commands:',
    ...Object.entries(SUMMARIES).map(([name, summary]) => `  ${name.padEnd(width)}  ${summary}`),
    '',
    'Run `ra-rft-rewards <command> --help` for a command\'s options.',
    'Exit codes: 0 ok, 1 the work failed, 2 bad usage, 3 a file could not be read or written.',
    '',
  ].join('\n');
}

/** Runs `ra-rft-rewards` with `argv` (without the node and script paths); resolves to the exit code. */
export async function main(argv: readonly string[], io: CommandIO = process): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(globalHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  const load = COMMANDS[name];
  if (load === undefined) {
    io.stderr.write(`ra-rft-rewards: unknown command '${name}'\n\n${globalHelp()}`);
    return EXIT.usage;
  }
  const { command } = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.help);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`ra-rft-rewards ${name}: ${error.message}\nRun \`ra-rft-rewards ${name} --help\` for usage.\n`);
      return EXIT.usage;
    }
    // A file or stream error that escaped the command: one line, no stack, exit 3.
    const code = (error as NodeJS.ErrnoException | null)?.code;
    if (error instanceof Error && typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
      io.stderr.write(`ra-rft-rewards ${name}: ${error.message.split('\n')[0] ?? code}\n`);
      return EXIT.io;
    }
    throw error;
  }
}

export { VERSION } from '../version.js';
