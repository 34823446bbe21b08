// Builds the pip package once per test run and installs it into a fresh virtual environment (Debian's python3 with
// its build tools, offline), so the Python tests run the installed package exactly as a user's trainer would.
// Without those tools the Python tests skip locally; under CI=true they fail (.ci/run installs them).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

export interface PythonPackageContext {
  /** The virtual environment's python, with the wheel installed; null when it could not be made. */
  python: string | null;
  /** The wheel that was installed. */
  wheel: string | null;
  /** Why there is no python, when there is none. */
  reason: string | null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    pythonPackage: PythonPackageContext;
  }
}

const SYSTEM_PYTHON = process.env.RA_RFT_BUILD_PYTHON ?? '/usr/bin/python3';

function has(module: string): boolean {
  try {
    execFileSync(SYSTEM_PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export default function setup(project: TestProject): () => void {
  const root = join(import.meta.dirname, '..');
  const missing = !existsSync(SYSTEM_PYTHON) ? [SYSTEM_PYTHON] : ['build', 'hatchling', 'venv', 'pytest', 'numpy'].filter((m) => !has(m));
  if (missing.length > 0) {
    const reason = `python package tests need ${SYSTEM_PYTHON} with ${missing.join(', ')} (apt-get install python3-build python3-hatchling python3-venv python3-pytest python3-numpy)`;
    if (process.env.CI === 'true') throw new Error(`CI: ${reason}`);
    console.warn(`SKIPPING the Python package tests: ${reason}`);
    project.provide('pythonPackage', { python: null, wheel: null, reason });
    return () => undefined;
  }
  const started = Date.now();
  const wheel = execFileSync(process.execPath, [join(root, 'scripts/build-python.mjs')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').at(-1) as string;
  const venv = mkdtempSync(join(tmpdir(), 'rarft-venv-'));
  // --system-site-packages: Debian's numpy and torch, as a trainer's environment has them.
  execFileSync(SYSTEM_PYTHON, ['-m', 'venv', '--system-site-packages', venv], { stdio: 'inherit' });
  const python = join(venv, 'bin/python');
  execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--no-index', '--no-deps', '--no-cache-dir', wheel], { stdio: 'inherit', env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1' } });
  console.log(`python package: built and installed ${wheel} into ${venv} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  project.provide('pythonPackage', { python, wheel, reason: null });
  return () => rmSync(venv, { recursive: true, force: true });
}
