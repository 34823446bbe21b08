// Without hyparquet (an optional peer): the package resolves as missing where the library looks for it, and the
// audit of TRL's parquet says what to install, as one line from the CLI (exit 2); the other layouts still work.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type * as NodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openDump, synthesizeRun } from '../src/audit/index.js';
import { main } from '../src/cli/index.js';
import { isOptionalDependencyError } from '../src/errors.js';
import { captureIO } from './helpers/cli-io.js';
import { repoRoot } from './helpers/shared.js';
import { writeTrlRun } from './helpers/trl-parquet.js';

// The one loader (src/internal/edge/optional-dependency.ts) resolves optional peers with createRequire: here
// hyparquet is not found, as when it is not installed.
vi.mock('node:module', async (importOriginal) => {
  const actual = await importOriginal<typeof NodeModule>();
  const createRequire = (from: string | URL) => {
    const require = actual.createRequire(from);
    const resolveMissing = (id: string, options?: { paths?: string[] }) => {
      if (id === 'hyparquet' || id.startsWith('hyparquet/')) throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
      return require.resolve(id, options);
    };
    return Object.assign((id: string) => require(id), require, { resolve: Object.assign(resolveMissing, { paths: require.resolve.paths }) });
  };
  return { ...actual, default: { ...actual, createRequire }, createRequire };
});

const tmp = mkdtempSync(join(tmpdir(), 'ra-rft-audit-no-hyparquet-'));

describe('audit without hyparquet', () => {
  it('reading TRL parquet rejects with an OptionalDependencyError naming the package and the install', async () => {
    const dir = join(tmp, 'run');
    writeTrlRun(dir, synthesizeRun({ steps: 2, prompts: 2, groupSize: 2 }));
    const dump = openDump(dir);
    expect(dump.format).toBe('trl-parquet');
    const error = await dump.batches().next().then(() => null, (caught: unknown) => caught);
    expect(isOptionalDependencyError(error)).toBe(true);
    expect((error as Error).message).toBe("openDump: hyparquet is not installed: npm install hyparquet (it reads TRL's completions_<step>.parquet)");
  });

  it('the CLI exits 2 with that one line; a JSON-lines dump still audits', async () => {
    const dir = join(tmp, 'cli');
    writeTrlRun(dir, synthesizeRun({ steps: 2, prompts: 2, groupSize: 2 }));
    const run = captureIO();
    expect(await main(['audit', dir, '--out', join(tmp, 'out')], run.io)).toBe(2);
    expect(run.err()).toBe("ra-rft-rewards audit: openDump: hyparquet is not installed: npm install hyparquet (it reads TRL's completions_<step>.parquet)\n");
    const jsonl = join(tmp, 'steps', '1.jsonl');
    mkdirSync(dirname(jsonl), { recursive: true });
    writeFileSync(jsonl, `${JSON.stringify({ step: 1, prompt: 'p', completion: '<answer>1 to 2</answer>', score: 1 })}\n`);
    expect(await main(['audit', dirname(jsonl), '--out', join(tmp, 'out2'), '--quiet'], captureIO().io)).toBe(0);
  });

  it('ra-rft-rewards/audit does not import hyparquet when it loads (only the parquet reader does, on use)', () => {
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      // Static `import … from` and `export … from`, not `import type` nor import().
      for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s+(?!type\b)[^'"]*?from\s+'([^']+)'/gm)) {
        if ((specifier as string).startsWith('.')) visit(resolve(dirname(file), (specifier as string).replace(/\.js$/, '.ts')));
        else packages.add(specifier as string);
      }
    };
    visit(join(repoRoot, 'src/audit/index.ts'));
    expect(seen.has(join(repoRoot, 'src/audit/read-parquet.ts'))).toBe(true);
    expect([...packages].filter((name) => name.includes('parquet'))).toEqual([]);
  });
});
