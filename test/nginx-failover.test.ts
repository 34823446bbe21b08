// deploy/nginx/nginx.conf for real: Debian's nginx in front of two `ra-rft-rewards serve` replicas on loopback.
// Under load, one replica is killed (SIGKILL). Every request must be answered, with its own correct numbers or a
// clear retryable error; none lost, none mixed up. `.ci/run` installs nginx; without it (and outside CI) this skips.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RaRftRewardResult, type RaRftTarget, raRftRewardBatch, trigramHashEmbedder } from '../src/index.js';
import { repoRoot } from './helpers/shared.js';

const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path));
if (nginx === undefined && process.env.CI === 'true') throw new Error('CI must have nginx (.ci/run installs it)');
const suite = nginx === undefined ? describe.skip : describe;
if (nginx === undefined) console.warn('nginx-failover: skipped, nginx is not installed (apt-get install nginx)');

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const children: ChildProcess[] = [];
let prefix: string;
let frontPort: number;

function startReplica(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/bin.ts'), 'serve', '--port', String(port), '--workers', '1', '--embedder', 'trigram', '--allowed-hosts', 'rarft_replicas'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let text = '';
    child.stderr?.on('data', (chunk) => {
      text += chunk;
      if (text.includes('listening on')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`replica exited with ${code}: ${text}`)));
  });
}

beforeAll(async () => {
  if (nginx === undefined) return;
  const [a, b] = [await freePort(), await freePort()];
  frontPort = await freePort();
  await Promise.all([startReplica(a), startReplica(b)]);
  prefix = mkdtempSync(join(tmpdir(), 'rarft-nginx-'));
  for (const dir of ['logs', 'temp']) mkdirSync(join(prefix, dir));
  // The shipped file, with this test's ports and a private prefix (pid, logs, temp files).
  const shipped = readFileSync(join(repoRoot, 'deploy/nginx/nginx.conf'), 'utf8');
  const config = `pid ${prefix}/nginx.pid;\nerror_log ${prefix}/logs/error.log warn;\n${shipped}`
    .replace('server 127.0.0.1:8001', `server 127.0.0.1:${a}`)
    .replace('server 127.0.0.1:8002', `server 127.0.0.1:${b}`)
    .replace('listen 127.0.0.1:8000', `listen 127.0.0.1:${frontPort}`)
    .replace('worker_processes auto;', 'worker_processes 1;')
    .replace('http {', `http {\n  client_body_temp_path ${prefix}/temp/body;\n  proxy_temp_path ${prefix}/temp/proxy;\n  fastcgi_temp_path ${prefix}/temp/fastcgi;\n  uwsgi_temp_path ${prefix}/temp/uwsgi;\n  scgi_temp_path ${prefix}/temp/scgi;`);
  expect(config).toContain(`listen 127.0.0.1:${frontPort}`);
  writeFileSync(join(prefix, 'nginx.conf'), config);
  execFileSync(nginx, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-t'], { stdio: 'pipe' });
  execFileSync(nginx, ['-p', prefix, '-c', join(prefix, 'nginx.conf')], { stdio: 'pipe' });
  for (let i = 0; i < 100; i++) {
    if (await fetch(`http://127.0.0.1:${frontPort}/healthz`).then((r) => r.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('nginx did not come up');
}, 60_000);

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  if (nginx !== undefined && prefix !== undefined) {
    try {
      execFileSync(nginx, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-s', 'stop'], { stdio: 'pipe' });
    } catch {
      // already stopped
    }
    rmSync(prefix, { recursive: true, force: true });
  }
});

const embedder = trigramHashEmbedder();
const target = (i: number): RaRftTarget =>
  i % 2 === 0
    ? { relevant: true, span: [i % 20, (i % 20) + 6], duration: 40, answer: `${i % 20} to ${(i % 20) + 6}`, contrast: 'No such event.', query: `query ${i}` }
    : { relevant: false, duration: 40, answer: `Nobody does thing ${i}.`, contrast: '1 to 4', query: `the person does thing ${i}` };
const completion = (i: number) =>
  i % 2 === 0 ? `<think>${i}</think><answer>${(i % 20) + 1} to ${(i % 20) + 5}</answer><correction>NIL</correction>` : `<think>${i}</think><answer>No thing ${i} happens.</answer><correction>the person does thing ${i}</correction>`;

suite('nginx in front of two replicas (deploy/nginx/nginx.conf)', () => {
  it('loses and mixes up nothing when a replica is killed under load', async () => {
    const requests = 400;
    const perRequest = 4;
    const ids = Array.from({ length: requests }, (_, r) => Array.from({ length: perRequest }, (_, k) => r * perRequest + k));
    const want = await raRftRewardBatch(ids.flat().map(completion), ids.flat().map(target), { embedder });
    let sent = 0;
    const outcomes: { status: number; results?: RaRftRewardResult[]; error?: string }[] = new Array(requests);
    const worker = async () => {
      for (let r = sent++; r < requests; r = sent++) {
        const items = (ids[r] as number[]).map((i) => ({ completion: completion(i), target: target(i) }));
        try {
          const response = await fetch(`http://127.0.0.1:${frontPort}/v1/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items }) });
          const text = await response.text();
          outcomes[r] = response.status === 200 ? { status: 200, results: (JSON.parse(text) as { results: RaRftRewardResult[] }).results } : { status: response.status, error: text.slice(0, 200) };
        } catch (error) {
          outcomes[r] = { status: -1, error: (error as Error).message };
        }
        if (r === 100) children[0]?.kill('SIGKILL'); // a quarter of the way in
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(children[0]?.signalCode).toBe('SIGKILL');
    expect(outcomes.filter((o) => o === undefined)).toHaveLength(0); // none lost
    const failed = outcomes.filter((o) => o.status !== 200);
    // Anything but a 200 must be a clear, retryable gateway answer, never a dropped connection.
    expect(failed.every((o) => [502, 503, 504].includes(o.status)), JSON.stringify(failed.slice(0, 3))).toBe(true);
    expect(failed.length).toBeLessThanOrEqual(requests / 100);
    console.info(`nginx failover: ${requests} requests of ${perRequest}, replica killed after 100: ${requests - failed.length} answered 200, ${failed.length} retryable errors`);
    outcomes.forEach((o, r) => {
      if (o.status === 200) expect(o.results).toEqual(want.slice(r * perRequest, (r + 1) * perRequest)); // none mixed up
    });
  }, 120_000);
});
