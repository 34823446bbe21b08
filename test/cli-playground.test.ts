// `ra-rft-rewards playground`: --build writes the static page; serving prints a 127.0.0.1 URL that serves it.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/index.js';
import { captureIO } from './helpers/cli-io.js';
import { repoRoot } from './helpers/shared.js';

describe('ra-rft-rewards playground', () => {
  it('--build DIR writes index.html, the app, the worker and the lazy chunks', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'playground-cli-')), 'site');
    const run = captureIO();
    expect(await main(['playground', '--build', out], run.io)).toBe(0);
    expect(run.out()).toContain(`wrote the playground to ${out}`);
    for (const file of ['index.html', 'styles.css', 'app.js', 'rollouts-worker.js', 'charts.js', 'use-lite.js', 'transformers.js']) expect(existsSync(join(out, file)), file).toBe(true);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('<script type="module" src="./app.js">');
    // No CDN: the page references only relative files.
    expect(readFileSync(join(out, 'index.html'), 'utf8')).not.toMatch(/(src|href)="(https?:)?\/\//);
  }, 120_000);

  it('rejects a bad port with exit code 2', async () => {
    const run = captureIO();
    expect(await main(['playground', '--port', 'x'], run.io)).toBe(2);
    expect(run.err()).toMatch(/--port must be an integer/);
  });

  it('serves the page on 127.0.0.1 and prints the URL', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/bin.ts'), 'playground', '--port', '0'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (chunk) => {
          text += chunk;
          const match = /playground: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(text);
          if (match) resolve(match[1] as string);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('ra-rft-rewards playground');
      const app = await fetch(new URL('app.js', url));
      expect(app.headers.get('content-type')).toMatch(/^text\/javascript/);
      // An encoded ../ that would leave the served folder is refused.
      const escaped = await new Promise<number>((resolve, reject) => {
        get({ host: '127.0.0.1', port: new URL(url).port, path: '/..%2f..%2f..%2fpackage.json' }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        }).on('error', reject);
      });
      expect(escaped).toBe(403);
    } finally {
      child.kill('SIGTERM');
    }
  }, 120_000);
});
