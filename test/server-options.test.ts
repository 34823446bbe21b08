// One definition per server option (src/server/options.ts): the library and `serve` refuse the same bad values
// with the same words, and `serve --help` and docs/integration.md's table are derived from the same table.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/index.js';
import { trigramHashEmbedder } from '../src/index.js';
import { SERVER_OPTIONS, resolveServerOptions, serverHelpLines, serverOptionsTable } from '../src/server/options.js';
import { createRewardApp, startRewardServer } from '../src/server/index.js';
import { repoRoot } from './helpers/shared.js';

const embedder = trigramHashEmbedder();
function capture() {
  let out = '';
  let err = '';
  const io = { stdout: { write: (s: string) => ((out += s), true) }, stderr: { write: (s: string) => ((err += s), true) }, stdin: process.stdin } as never;
  return { io, out: () => out, err: () => err };
}

describe('server options', () => {
  it.each([
    ['maxPendingCompletions', Number.NaN, 'max-pending', 'NaN', 'must be an integer from 1 to 10000000'],
    ['maxPendingCompletions', 0, 'max-pending', '0', 'must be an integer from 1 to 10000000'],
    ['requestTimeoutMs', -5, 'timeout-ms', '-5', 'must be an integer from 1 to 3600000'],
    ['batchWindowMs', Number.POSITIVE_INFINITY, 'batch-window-ms', 'Infinity', 'must be a number from 0 to 1000'],
    ['maxBatchSize', 2.5, 'max-batch', '2.5', 'must be an integer from 1 to 65536'],
    ['retryAfterSeconds', -1, 'retry-after-s', '-1', 'must be a number from 0 to 3600'],
    ['port', 70_000, 'port', '70000', 'must be an integer from 0 to 65535'],
  ] as const)('%s = %s: the library and --%s refuse it the same way', async (field, value, flag, text, message) => {
    expect(() => createRewardApp({ embedder, [field]: value })).toThrow(`createRewardApp: ${field} ${message}, got ${String(value)}`);
    await expect(startRewardServer({ embedder, port: 0, [field]: value })).rejects.toThrow(`startRewardServer: ${field} ${message}`);
    const run = capture();
    expect(await main([`serve`, `--${flag}=${text}`], run.io)).toBe(2);
    expect(run.err()).toContain(`--${flag} ${message}, got '${text}'`);
  });

  it('a weak token is refused from --token and from RA_RFT_TOKEN, without echoing it', async () => {
    const run = capture();
    expect(await main(['serve', '--token', 'hunter2'], run.io)).toBe(2);
    expect(run.err()).toMatch(/--token must be at least 16 characters/);
    expect(run.err()).not.toContain('hunter2');
    const saved = process.env.RA_RFT_TOKEN;
    process.env.RA_RFT_TOKEN = '        ';
    try {
      const env = capture();
      expect(await main(['serve'], env.io)).toBe(2);
      expect(env.err()).toMatch(/RA_RFT_TOKEN must not contain whitespace/);
    } finally {
      if (saved === undefined) delete process.env.RA_RFT_TOKEN;
      else process.env.RA_RFT_TOKEN = saved;
    }
  });

  it('defaults are defined once and applied by the resolver', () => {
    const resolved = resolveServerOptions('test', {});
    for (const [name, option] of Object.entries(SERVER_OPTIONS)) expect(resolved[name as keyof typeof resolved], name).toEqual(option.default);
    expect(resolved.maxPendingCompletions).toBe(8192);
  });

  it('serve --help lists every flag with its default, and docs/integration.md holds the generated table', async () => {
    const run = capture();
    expect(await main(['serve', '--help'], run.io)).toBe(0);
    for (const line of serverHelpLines()) expect(run.out()).toContain(line);
    for (const option of Object.values(SERVER_OPTIONS)) if ('flag' in option) expect(run.out()).toContain(`--${option.flag.name}`);
    const docs = readFileSync(join(repoRoot, 'docs/integration.md'), 'utf8');
    // Regenerate with: node --import tsx scripts/server-options-doc.ts
    expect(docs).toContain(`-->\n${serverOptionsTable()}\n<!-- server-options:end -->`);
  });
});
