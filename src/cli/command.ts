/** Streams a command writes to; injectable for tests. */
export interface CommandIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream;
}

/** One `ra-rft-rewards <name>` command. */
export interface Command {
  /** One line for the global `--help`. */
  summary: string;
  /** The full `--help` text of the command. */
  help: string;
  /** Runs the command; resolves to the process exit code. */
  run(argv: readonly string[], io: CommandIO): Promise<number>;
}

/**
 * Exit codes of every command:
 * - 0 success;
 * - 1 the work failed (a malformed input line under `--on-error fail`, a failed training run…);
 * - 2 bad usage (unknown command or option, missing argument);
 * - 3 an input or output file could not be read or written.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, io: 3 } as const;

/** Thrown for bad command lines; the dispatcher prints it with the command's help hint and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
