// The playground in a real browser: Debian's headless Chromium driven by playwright-core. It checks the page
// against the library in Node: public vectors, group advantages, shared links, the corpus, the rollouts
// worker on a large file, and the optional embedders. Skipped (with a message) only when /usr/bin/chromium
// is missing outside CI; under CI=true a missing browser fails (.ci/run installs it).
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Embedder, type RaRftTarget, groupRelativeAdvantage, raRftReward, raRftRewardBatch, stripEndTokens, trigramHashEmbedder } from '../src/index.js';
import { VARIANTS } from '../src/variants/registry.js';
import { buildPlayground } from '../src/playground/build.js';
import { type PlaygroundServer, optionalMounts, startPlaygroundServer } from '../src/playground/serve.js';
import { writeUrlState } from '../src/playground/url-state.js';
import { readPublicVectors, repoRoot } from './helpers/shared.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const inCI = process.env.CI === 'true';
if (!available && !inCI) console.warn(`playground browser tests SKIPPED: ${CHROMIUM} not found (apt-get install -y chromium); CI=true runs them and fails without it`);
// Screenshots go to docs/images with UPDATE_SCREENSHOTS=1, else to a temporary folder.
const shots = process.env.UPDATE_SCREENSHOTS === '1' ? join(repoRoot, 'docs/images') : mkdtempSync(join(tmpdir(), 'playground-shots-'));
// Size of the generated rollouts file; 100 MB by default (PLAYGROUND_ROLLOUTS_MB overrides it).
const ROLLOUTS_MB = Number(process.env.PLAYGROUND_ROLLOUTS_MB ?? 100);

const tmp = mkdtempSync(join(tmpdir(), 'playground-test-'));
let server: PlaygroundServer;
let context: BrowserContext;
const foreignRequests: string[] = [];

async function openPage(query = '', hash = ''): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${server.url}${query}${hash}`);
  await page.waitForSelector('#panel-one [data-reward="ra-rft.format"]', { state: 'attached' });
  return { page, errors };
}

async function rewards(page: Page, scope: string): Promise<Record<string, number>> {
  const pairs = await page.locator(`${scope} [data-reward]`).evaluateAll((els) => els.map((el) => [el.getAttribute('data-reward') as string, el.textContent as string] as const));
  return Object.fromEntries(pairs.map(([hook, text]) => [hook, Number(text)]));
}

/** What the one-completion panel must show, computed in Node with the library. */
async function expected(completion: string, target: RaRftTarget, embedder: Embedder): Promise<Record<string, number>> {
  const text = stripEndTokens(completion);
  const out: Record<string, number> = {};
  for (const profile of ['ra-rft', 'strict'] as const) {
    const r = await raRftReward(text, target, { embedder, profile });
    for (const part of ['format', 'refuseIoU', 'explain', 'correction', 'total'] as const) out[`${profile}.${part}`] = r[part];
  }
  // Every other variant of the registry, with the parts it has: a variant missing from the page fails here.
  for (const variant of VARIANTS) {
    if (variant.id === 'ra-rft' || variant.id === 'strict') continue;
    const parts = variant.parts(text, target);
    if (parts.format !== null) out[`${variant.id}.format`] = parts.format;
    if (parts.iou !== null) out[`${variant.id}.iou`] = parts.iou;
    out[`${variant.id}.total`] = parts.total;
  }
  return out;
}

describe.skipIf(!available && !inCI)('playground in headless Chromium', () => {
  beforeAll(async () => {
    if (!available) throw new Error(`CI=true but ${CHROMIUM} is missing: .ci/run must apt-get install -y chromium`);
    const root = join(tmp, 'site');
    await buildPlayground(root);
    server = await startPlaygroundServer({ root, mounts: { ...optionalMounts(), '/fixtures/': join(repoRoot, 'test/fixtures') } });
    context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1440, height: 900 },
    });
    // Fully offline: every request must go to the playground's own server.
    context.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(server.url) && !url.startsWith('data:') && !url.startsWith('blob:')) foreignRequests.push(url);
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('loads with no console errors and no request off its own server', async () => {
    const { page, errors } = await openPage();
    await page.waitForSelector('html[data-ready=true]');
    await page.locator('#rewards-card').waitFor();
    expect(await page.locator('[data-embedder]').first().textContent()).toBe('trigram-hash-256');
    await page.screenshot({ path: join(shots, 'playground-one.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await page.close();
  });

  it('shows the library’s numbers for a sample of the public vectors (opened as shared links)', async () => {
    const vectors = readPublicVectors().filter((_, i) => i % 24 === 0);
    expect(vectors.length).toBeGreaterThanOrEqual(20);
    const embedder = trigramHashEmbedder();
    const { page, errors } = await openPage();
    for (const vector of vectors) {
      await page.goto(`${server.url}${writeUrlState({ completion: vector.completion, target: vector.target, profile: 'ra-rft' })}`);
      await page.waitForSelector('#panel-one [data-reward="strict.total"]');
      const want = await expected(vector.completion, vector.target, embedder);
      expect(await rewards(page, '#panel-one'), vector.id).toEqual(want);
    }
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('names the strict rule that fired, with docs/strict.md’s rule names', async () => {
    const completion = '<think>The person places groceries on the table.</think><answer>No.</answer><correction>the person puts the groceries on the table.</correction>';
    const target = { relevant: false, duration: 30.04, query: 'the person puts the groceries on the table.', answer: 'No one drops groceries.', contrast: '3.1 to 10.9' };
    const { page } = await openPage(writeUrlState({ completion, target, profile: 'strict' }));
    const rule = page.locator('#strict-card [data-strict-rule]').first();
    expect(await rule.getAttribute('data-strict-rule')).toBe('2');
    expect(await rule.textContent()).toContain('refusal (irrelevant target)');
    await page.locator('#strict-card').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'playground-strict.png'), fullPage: true });
    await page.close();
  });

  it('marks in the parse view the span each profile read', async () => {
    const target = { relevant: true, span: [3.1, 10.9] as [number, number], duration: 30.04, answer: '3.1 to 10.9', contrast: 'No such event.' };
    const { page } = await openPage(writeUrlState({ completion: '<think>t</think><answer>3.1s to 10.9s</answer><correction>NIL</correction>', target, profile: 'strict' }));
    expect(await page.locator('#parse-card pre .span-strict').allTextContents()).toEqual(['3.1s to 10.9s']);
    expect(await page.locator('#parse-card pre .span-ra').count()).toBe(0);
    expect(await page.locator('#strict-card [data-strict-rule]').first().getAttribute('data-strict-rule')).toBe('3');
    await page.goto(`${server.url}${writeUrlState({ completion: '<think>t</think><answer>from 3.1 to 10.9</answer><correction>NIL</correction>', target, profile: 'ra-rft' })}`);
    await page.waitForSelector('#panel-one [data-reward="strict.total"]', { state: 'attached' });
    expect(await page.locator('#parse-card pre .span-ra').allTextContents()).toEqual(['3.1 to 10.9']);
    expect(await page.locator('#parse-card pre .span-strict').allTextContents()).toEqual(['3.1 to 10.9']);
    await page.close();
  });

  it('reproduces a case from its shared URL, after edits made with the keyboard', async () => {
    const { page } = await openPage();
    await page.locator('#completion').fill('<think>t</think><answer>8 to 14</answer><correction>NIL</correction><|im_end|>');
    await page.locator('#target-duration').fill('20');
    await page.locator('#target-duration').press('Tab');
    await page.locator('#profile').selectOption('strict');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('profile') === 'strict' && (new URLSearchParams(location.search).get('completion') ?? '').includes('8 to 14') && (new URLSearchParams(location.search).get('target') ?? '').includes('"duration":20'));
    await page.waitForFunction(() => document.querySelector('#panel-one [data-reward="strict.total"]') !== null);
    const shared = page.url();
    const before = await rewards(page, '#panel-one');
    const { page: other } = await openPage(new URL(shared).search);
    expect(await other.locator('#completion').inputValue()).toBe('<think>t</think><answer>8 to 14</answer><correction>NIL</correction><|im_end|>');
    expect(await other.locator('#profile').inputValue()).toBe('strict');
    expect(JSON.parse(await other.locator('#target-json').inputValue())).toMatchObject({ relevant: true, duration: 20 });
    expect(await rewards(other, '#panel-one')).toEqual(before);
    const target = JSON.parse(new URLSearchParams(new URL(shared).search).get('target') as string) as RaRftTarget;
    expect(before).toEqual(await expected('<think>t</think><answer>8 to 14</answer><correction>NIL</correction><|im_end|>', target, trigramHashEmbedder()));
    // Tabs move with the arrow keys.
    await other.locator('#tab-one').focus();
    await other.keyboard.press('ArrowRight');
    expect(await other.locator('#tab-group').getAttribute('aria-selected')).toBe('true');
    await page.close();
    await other.close();
  });

  it('group advantages equal groupRelativeAdvantage under each convention, and zero variance is flagged', async () => {
    const { page } = await openPage();
    await page.locator('#tab-group').click();
    await page.waitForSelector('#panel-group [data-advantage="rloo"]');
    const read = async () => {
      const rows = page.locator('#panel-group tbody tr');
      const n = await rows.count();
      const out = { completions: [] as string[], totals: [] as number[], adv: {} as Record<string, number[]> };
      for (let i = 0; i < n; i++) {
        const row = rows.nth(i);
        out.completions.push(await row.locator('textarea').inputValue());
        out.totals.push(Number(await row.locator('[data-reward="ra-rft.total"]').textContent()));
        for (const id of ['trl', 'verl', 'dr-grpo', 'rloo']) (out.adv[id] ??= []).push(Number(await row.locator(`[data-advantage="${id}"]`).textContent()));
      }
      return out;
    };
    const group = await read();
    // The page writes its state into the URL after a 250 ms debounce: wait for it before reading the target.
    await page.waitForFunction(() => new URLSearchParams(location.search).has('target'));
    const target = JSON.parse(new URLSearchParams(new URL(page.url()).search).get('target') as string) as RaRftTarget;
    const want = (await raRftRewardBatch(group.completions.map((c) => stripEndTokens(c)), target, { embedder: trigramHashEmbedder() })).map((r) => r.total);
    expect(group.totals).toEqual(want);
    const G = want.length;
    expect(group.adv.trl).toEqual([...groupRelativeAdvantage(want, { groupSize: G })]);
    expect(group.adv.verl).toEqual([...groupRelativeAdvantage(want, { groupSize: G, epsilon: 1e-6 })]);
    expect(group.adv['dr-grpo']).toEqual([...groupRelativeAdvantage(want, { groupSize: G, scale: 'none' })]);
    expect(group.adv.rloo).toEqual([...groupRelativeAdvantage(want, { groupSize: G, baseline: 'leave-one-out', scale: 'none' })]);
    expect(new Set(want).size).toBeGreaterThan(1);
    expect(await page.locator('[data-zero-variance]').count()).toBe(0);
    await page.screenshot({ path: join(shots, 'playground-group.png'), fullPage: true });
    await page.locator('#group-same').click();
    await page.waitForSelector('[data-zero-variance=true]');
    const same = await read();
    expect(same.adv.trl?.every((a) => a === 0)).toBe(true);
    await page.close();
  });

  it('lists the whole hack corpus with the documented rewards, and filters it', async () => {
    const corpus = readFileSync(join(repoRoot, 'corpus/reward-hacks.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { id: string; why: string; completion: string; rewards: Record<string, unknown> });
    const { page } = await openPage('', '#corpus');
    await page.waitForSelector('#panel-corpus [data-corpus-id]');
    expect(await page.locator('#panel-corpus [data-corpus-id]').count()).toBe(corpus.length);
    for (const entry of corpus) {
      const got = await rewards(page, `#panel-corpus [data-corpus-id="${entry.id}"]`);
      const r = entry.rewards as { 'ra-rft': Record<string, number>; strict: Record<string, number> } & Record<string, number>;
      for (const part of ['format', 'refuseIoU', 'explain', 'correction', 'total']) {
        expect(got[`ra-rft.${part}`], `${entry.id} ra-rft.${part}`).toBe(r['ra-rft'][part]);
        expect(got[`strict.${part}`], `${entry.id} strict.${part}`).toBe(r.strict[part]);
      }
      for (const variant of VARIANTS.filter((v) => v.id !== 'ra-rft' && v.id !== 'strict')) expect(got[`${variant.id}.total`], `${entry.id} ${variant.id}`).toBe(r[variant.id]);
    }
    await page.screenshot({ path: join(shots, 'playground-corpus.png') });
    await page.locator('#corpus-search').fill('hedg');
    const matching = corpus.filter((e) => `${e.id} ${e.why} ${e.completion}`.toLowerCase().includes('hedg')).length;
    await page.waitForFunction((n) => document.querySelectorAll('#panel-corpus [data-corpus-id]').length === n, matching);
    expect(matching).toBeGreaterThan(0);
    expect(matching).toBeLessThan(corpus.length);
    await page.locator('#corpus-search').fill('');
    await page.locator('#corpus-differ').check();
    const differing = corpus.filter((e) => (e.rewards as { 'ra-rft': { total: number }; strict: { total: number } })['ra-rft'].total !== (e.rewards as { strict: { total: number } }).strict.total).length;
    await page.waitForFunction((n) => document.querySelectorAll('#panel-corpus [data-corpus-id]').length === n, differing);
    await page.close();
  });

  it(`loads a ${ROLLOUTS_MB} MB rollouts file in the worker while the page keeps answering`, async () => {
    // TRL-style rows (prompt, completion, target) from the public vectors, repeated to the size.
    const vectors = readPublicVectors();
    const rows = vectors.map((v, i) => JSON.stringify({ prompt: `prompt ${i % 60}`, completion: v.completion, target: v.target }));
    const file = join(tmp, 'rollouts.jsonl');
    const out = createWriteStream(file);
    let bytes = 0;
    let lines = 0;
    const counts = new Array<number>(rows.length).fill(0);
    while (bytes < ROLLOUTS_MB * 1e6) {
      const i = lines % rows.length;
      const line = `${rows[i]}\n`;
      if (!out.write(line)) await once(out, 'drain');
      bytes += Buffer.byteLength(line);
      counts[i]!++;
      lines++;
    }
    out.end();
    await once(out, 'finish');
    const totals = (await raRftRewardBatch(vectors.map((v) => v.completion), vectors.map((v) => v.target), { embedder: trigramHashEmbedder() })).map((r) => r.total);
    const wantMean = totals.reduce((sum, t, i) => sum + t * (counts[i] as number), 0) / lines;

    const { page, errors } = await openPage('', '#rollouts');
    // A probe on the main thread while the file loads: the longest delay of a 20 ms timer and the longest
    // gap between animation frames (reported, not asserted: timings are for the bench, not for tests).
    await page.evaluate(() => {
      const w = window as unknown as { probe: { timer: number; frame: number } };
      w.probe = { timer: 0, frame: 0 };
      const loading = () => document.querySelector('[data-loading=true]') !== null;
      let lastTimer = performance.now();
      setInterval(() => {
        const now = performance.now();
        if (loading()) w.probe.timer = Math.max(w.probe.timer, now - lastTimer - 20);
        lastTimer = now;
      }, 20);
      let lastFrame = performance.now();
      const frame = (now: number) => {
        if (loading()) w.probe.frame = Math.max(w.probe.frame, now - lastFrame);
        lastFrame = now;
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    const started = Date.now();
    await page.locator('#rollouts-file').setInputFiles(file);
    await page.waitForSelector('[data-loading=true]');
    // While the worker reads, the page takes input and scores a new completion in panel 1.
    await page.locator('#tab-one').click();
    await page.locator('#completion').fill('<think>t</think><answer>1 to 2</answer><correction>NIL</correction>');
    await page.waitForFunction(() => document.querySelector('#panel-one [data-reward="ra-rft.refuseIoU"]')?.textContent !== null);
    const stillLoading = await page.locator('[data-loading=true]').count();
    await page.locator('#tab-rollouts').click();
    await page.waitForSelector('[data-rollouts-done=true]', { timeout: 600_000 });
    const seconds = (Date.now() - started) / 1000;
    const probe = await page.evaluate(() => (window as unknown as { probe: { timer: number; frame: number } }).probe);
    console.log(`rollouts: ${(bytes / 1e6).toFixed(1)} MB, ${lines} lines in ${seconds.toFixed(1)} s; main thread longest timer delay ${probe.timer.toFixed(0)} ms, longest frame gap ${probe.frame.toFixed(0)} ms`);
    expect(stillLoading).toBe(1);
    const summary = await page.locator('#rollouts-summary').textContent();
    expect(summary).toContain(`${lines} completions in 60 groups`);
    expect(summary).toContain('0 unreadable lines');
    const meanTotal = Number(await page.locator('#rollouts-summary [data-reward="ra-rft.total"]').textContent());
    expect(meanTotal).toBeCloseTo(wantMean, 9);
    await page.waitForSelector('[data-chart=total] svg');
    expect(await page.locator('.chart svg').count()).toBe(5);
    await page.screenshot({ path: join(shots, 'playground-rollouts.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 900_000);

  /**
   * Picks an embedder in the page, waits until the rewards card shows numbers under a name starting with
   * `prefix`, and returns the name, the page's values, and the library's values in Node with `node`.
   */
  async function withEmbedder(kind: string, configure: (page: Page) => Promise<void>, prefix: string, node: () => Promise<Embedder & { dispose?: () => Promise<void> }>) {
    const { page, errors } = await openPage();
    await page.locator('.embedder-picker summary').click();
    await page.locator('#embedder-kind').selectOption(kind);
    await configure(page);
    await page.locator('#embedder-load').click();
    await page.waitForFunction((p) => document.querySelector('#rewards-card [data-embedder]')?.textContent?.startsWith(p), prefix, { timeout: 240_000 });
    const name = await page.locator('#rewards-card [data-embedder]').textContent();
    const got = await rewards(page, '#panel-one');
    const completion = stripEndTokens(await page.locator('#completion').inputValue());
    const target = JSON.parse(await page.locator('#target-json').inputValue()) as RaRftTarget;
    const embedder = await node();
    const want = await raRftReward(completion, target, { embedder });
    await embedder.dispose?.();
    const trigram = await raRftReward(completion, target, { embedder: trigramHashEmbedder() });
    await page.close();
    return { name, got, want, trigram, errors };
  }

  it('scores with a transformers.js model from a URL (tiny-bert fixture, wasm) and names it', async () => {
    const { transformersEmbedder } = await import('../src/embeddings/index.js');
    const { name, got, want, trigram, errors } = await withEmbedder('transformers', (page) => page.locator('#model-url').fill('./fixtures/tiny-bert/'), 'tiny-bert', () =>
      transformersEmbedder({ model: join(repoRoot, 'test/fixtures/tiny-bert'), offline: true, dtype: 'fp32' }),
    );
    expect(name).toMatch(/^tiny-bert \(fp32, (wasm|webgpu)\)$/);
    // Against the Node embedder on the same files (onnxruntime-node there, onnxruntime-web here: float32 noise).
    expect(got['ra-rft.explain']).toBeCloseTo(want.explain, 4);
    expect(got['ra-rft.correction']).toBeCloseTo(want.correction, 4);
    expect(got['ra-rft.explain']).not.toBe(trigram.explain);
    expect(errors).toEqual([]);
  }, 180_000);

  it('scores with USE-lite on TensorFlow.js (the installed model files) and names it', async () => {
    const { useLiteEmbedder } = await import('../src/embeddings/index.js');
    const { name, got, want, trigram, errors } = await withEmbedder('use-lite', (page) => page.locator('#use-lite-backend').selectOption('cpu').then(() => undefined), 'universal-sentence-encoder-lite', useLiteEmbedder);
    expect(name).toBe('universal-sentence-encoder-lite (tfjs cpu)');
    // tfjs 4.22 cpu in the page, @energetic-ai/core's tfjs 4.5 wasm in Node: float32 rounding apart.
    expect(got['ra-rft.explain']).toBeCloseTo(want.explain, 6);
    expect(got['ra-rft.correction']).toBeCloseTo(want.correction, 6);
    expect(got['ra-rft.explain']).not.toBe(trigram.explain);
    expect(errors).toEqual([]);
  }, 300_000);
});
