// Runs the installed pip package (built and installed by test/global-setup.ts) as a trainer would: its
// virtual environment's python, from a folder outside the repository, with a clean environment.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';

export const pythonPackage = inject('pythonPackage');

/** A folder outside the repository to run from. */
export const outside = mkdtempSync(join(tmpdir(), 'rarft-py-'));

/** PATH (node is found there), HOME, and what the test adds: nothing else reaches the package. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? outside, PYTHONDONTWRITEBYTECODE: '1', ...extra };
}

export interface PythonRun {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs the venv's python with `args`; resolves with its output and exit code (never rejects on a non-zero exit). */
export function runPython(args: readonly string[], options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {}): Promise<PythonRun> {
  const python = pythonPackage.python;
  if (python === null) throw new Error(pythonPackage.reason ?? 'no python');
  return new Promise((resolve, reject) => {
    execFile(python, [...args], { cwd: options.cwd ?? outside, env: options.env ?? cleanEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: options.timeoutMs ?? 0 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') return reject(error);
      resolve({ stdout, stderr, code: error === null ? 0 : (error.code as number) });
    });
  });
}

/** Runs python and parses its stdout as JSON; a non-zero exit fails with its stderr. */
export async function pythonJson<T>(args: readonly string[], options: Parameters<typeof runPython>[1] = {}): Promise<T> {
  const run = await runPython(args, options);
  if (run.code !== 0) throw new Error(`python ${args.join(' ')} exited ${run.code}:\n${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}
