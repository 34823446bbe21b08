// The pip package as a user gets it: the wheel built offline with Debian's Python tools, installed into a fresh
// virtual environment (test/global-setup.ts), run from a folder outside the repository with a clean environment.
// Its own pytest suite (python/tests) runs there; the numbers it gives are compared with the library's here.
import { join } from 'node:path';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizeRun } from '../src/audit/index.js';
import { hiVtgTargets, raRftRewardBatch, refuseIoU, trigramHashEmbedder } from '../src/index.js';
import { type RewardServer, startRewardServer } from '../src/server/index.js';
import { cleanEnv, pythonJson, pythonPackage, runPython } from './helpers/python.js';
import { readHiVtg, repoRoot, sharedPath } from './helpers/shared.js';
import { writeTrlRun } from './helpers/trl-parquet.js';

const describePython = pythonPackage.python === null ? describe.skip : describe;
const embedder = trigramHashEmbedder();

describePython('the wheel', () => {
  it('is one pure py3-none-any wheel under 100 MB that carries the engine and py.typed', async () => {
    const wheel = pythonPackage.wheel as string;
    expect(wheel).toMatch(/ra_rft_rewards-\d+\.\d+\.\d+-py3-none-any\.whl$/);
    expect(statSync(wheel).size).toBeLessThan(100 * 1024 * 1024);
    const names = await pythonJson<string[]>(['-c', `import json, zipfile; print(json.dumps(zipfile.ZipFile(${JSON.stringify(wheel)}).namelist()))`]);
    for (const file of ['ra_rft_rewards/py.typed', 'ra_rft_rewards/_engine/engine.mjs', 'ra_rft_rewards/verl.py', 'ra_rft_rewards/trl.py', 'ra_rft_rewards/easyr1.py', 'ra_rft_rewards/openrlhf.py', 'ra_rft_rewards/prompts/ra_rft.jinja']) {
      expect(names).toContain(file);
    }
    expect(names.some((name) => name.includes('model-embeddings-en'))).toBe(true); // USE-lite, offline
    expect(names).toContain('ra_rft_rewards/_engine/node_modules/hyparquet/src/node.js'); // audit reads TRL's parquet
    expect(names.filter((name) => name.endsWith('.pyc'))).toEqual([]);
    const version = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version as string;
    expect(await pythonJson<string>(['-c', 'import json, ra_rft_rewards; print(json.dumps(ra_rft_rewards.__version__))'])).toBe(version);
  });
});

describePython('typing', () => {
  it('the installed package passes mypy --strict (it ships py.typed)', async () => {
    const has = await runPython(['-c', 'import mypy']);
    if (has.code !== 0) {
      if (process.env.CI === 'true') throw new Error('CI must have mypy (.ci/run installs python3-mypy)');
      console.warn('mypy check SKIPPED: apt-get install python3-mypy');
      return;
    }
    const where = await pythonJson<string>(['-c', 'import json, os, ra_rft_rewards; print(json.dumps(os.path.dirname(ra_rft_rewards.__file__)))']);
    const run = await runPython(['-m', 'mypy', '--strict', '--no-incremental', '--cache-dir', '/dev/null', where], { timeoutMs: 300_000 });
    expect(run.stdout.trim()).toMatch(/^Success: no issues found in \d+ source files$/);
  }, 300_000);
});

describePython('the README', () => {
  it("python -c 'from ra_rft_rewards import refuse_iou; …' prints the TypeScript example's number", async () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const command = /python -c "(from ra_rft_rewards import refuse_iou;[^"]+)"/.exec(readme)?.[1];
    expect(command).toBeDefined();
    const run = await runPython(['-c', command as string]);
    expect(run.stderr).toBe('');
    const want = refuseIoU('<answer>4.88 to 12.68</answer>', { relevant: true, span: [3.1, 10.9], duration: 30.04 });
    expect(run.stdout.trim()).toBe(String(want));
    expect(readme).toContain(`// => ${want}`);
  });
});

describePython('the package against the library', () => {
  it('scores the HI-VTG example file exactly (every part, both targets of each item)', async () => {
    const items = readHiVtg('hi_vtg_tvgbench.json').slice(0, 40);
    const completions: string[] = [];
    const targets: ReturnType<typeof hiVtgTargets>['relevant'][] = [];
    items.forEach((item, k) => {
      const { relevant, irrelevant } = hiVtgTargets(item);
      if (relevant) completions.push(`<think>x</think><answer>${k % 7} to ${(k % 7) + 4.25}</answer><correction>NIL</correction>`), targets.push(relevant);
      if (irrelevant) completions.push(`<think>x</think><answer>${irrelevant.answer ?? ''}</answer><correction>${irrelevant.query ?? 'NIL'}</correction>`), targets.push(irrelevant);
    });
    const want = await raRftRewardBatch(completions, targets as never, { embedder });
    const code = `import json, sys
import ra_rft_rewards as rr
data = json.load(sys.stdin)
s = rr.score(data["c"], data["t"], embedder="trigram")
print(json.dumps({"rows": s.as_dicts(), "iou": rr.refuse_iou(data["c"], data["t"]), "fmt": rr.format_reward(data["c"])}))`;
    const { execFile } = await import('node:child_process');
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = execFile(pythonPackage.python as string, ['-c', code], { env: cleanEnv(), maxBuffer: 64 << 20 }, (error, out, err) => (error ? reject(new Error(err)) : resolve(out)));
      child.stdin?.end(JSON.stringify({ c: completions, t: targets }));
    });
    const got = JSON.parse(stdout) as { rows: Record<string, number>[]; iou: number[]; fmt: number[] };
    // JSON has no -0: the reference's −0 IoU (a span past the video's end) arrives as 0.0, equal in Python.
    const signless = (x: number) => (x === 0 ? 0 : x);
    const plain = want.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, signless(v)])));
    expect(got.rows.map(({ unit: _, ...rest }) => rest)).toEqual(plain);
    expect(got.iou).toEqual(want.map((r) => signless(r.refuseIoU)));
    expect(got.fmt).toEqual(want.map((r) => r.format));
  }, 120_000);
});

describePython('RA_RFT_REWARD_URL: the same API against a shared server', () => {
  let server: RewardServer;
  beforeAll(async () => {
    server = await startRewardServer({ embedder, embedderName: 'trigram-hash-256', port: 0 });
  });
  afterAll(async () => server.close());

  it('scores through POST /v1/rpc with the same numbers, errors and no child engine', async () => {
    const target = { relevant: true, span: [3.1, 10.9], duration: 30.04, answer: '3.1 to 10.9', contrast: 'No.', query: 'q' };
    const completion = '<think>a</think><answer>4 to 11</answer><correction>NIL</correction>';
    const [want] = await raRftRewardBatch([completion], [target as never], { embedder });
    const code = `import json
import ra_rft_rewards as rr
t = ${JSON.stringify(JSON.stringify(target))}
s = rr.score([${JSON.stringify(completion)}], [json.loads(t)])
out = {"row": s.as_dicts()[0], "iou": rr.refuse_iou(${JSON.stringify(completion)}, json.loads(t)), "transport": type(rr.get_engine()).__name__}
try:
    rr.score(["x"], [{"relevant": True, "answer": "a", "contrast": "b"}])
except rr.TargetError as error:
    out["error"] = [error.field, str(error)]
try:
    rr.score(["x"], [json.loads(t)], embedder="use-lite")
except rr.OptionsError as error:
    out["embedder"] = str(error)
print(json.dumps(out))`;
    const got = await pythonJson<{ row: Record<string, number>; iou: number; transport: string; error: [string, string]; embedder: string }>(['-c', code], { env: cleanEnv({ RA_RFT_REWARD_URL: server.url }) });
    expect(got.transport).toBe('HttpEngine');
    const { unit: _, ...parts } = got.row;
    expect(parts).toEqual(want);
    expect(got.iou).toBe(want?.refuseIoU);
    expect(got.error[0]).toBe('targets[0].span');
    expect(got.embedder).toMatch(/this server scores with trigram-hash-256/);
  });

  it("embedder='openai:URL#MODEL': the child engine embeds through the server's /v1/embeddings, with the same numbers", async () => {
    const target = { relevant: false, duration: 30.04, answer: 'No one drops groceries.', contrast: '3.1 to 10.9', query: 'the person puts the groceries on the table.' };
    const completions = ['<think>a</think><answer>No one drops the groceries.</answer><correction>the person puts groceries on the table</correction>', '<think>b</think><answer>2 to 5</answer><correction>NIL</correction>'];
    const want = await raRftRewardBatch(completions, [target, target] as never, { embedder });
    const code = `import json
import ra_rft_rewards as rr
s = rr.score(${JSON.stringify(completions)}, json.loads(${JSON.stringify(JSON.stringify(target))}), embedder=${JSON.stringify(`openai:${server.url}/v1#trigram-hash-256`)})
print(json.dumps({"rows": s.as_dicts(), "embedder": s.embedder, "transport": type(rr.get_engine()).__name__}))`;
    const got = await pythonJson<{ rows: Record<string, number>[]; embedder: string; transport: string }>(['-c', code]);
    expect(got.transport).toBe('StdioEngine');
    expect(got.embedder).toBe(`openai:${server.url}/v1/embeddings#trigram-hash-256`);
    expect(got.rows.map(({ unit: _, ...parts }) => parts)).toEqual(want);
  });
});

describePython("audit of TRL's completions parquet through the package", () => {
  it('python -m ra_rft_rewards audit OUTPUT_DIR reads completions/*.parquet with the hyparquet the wheel ships', async () => {
    const hacked = mkdtempSync(join(tmpdir(), 'rarft-trl-parquet-'));
    writeTrlRun(hacked, synthesizeRun({ steps: 24, prompts: 12, groupSize: 6, hack: 'length-drift', onset: 12 }));
    const out = join(hacked, 'audit');
    const run = await runPython(['-m', 'ra_rft_rewards', 'audit', hacked, '--out', out, '--quiet']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(4);
    expect(run.stdout).toContain('1728 rollouts, 24 steps (trl-parquet)');
    const findings = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as { detector: string; step: number }[];
    expect(findings.map((f) => f.detector)).toEqual(['length-drift']);
    expect(findings[0]?.step).toBeGreaterThanOrEqual(12);
    expect(findings[0]?.step).toBeLessThanOrEqual(16);

    // ra_rft_rewards.audit(path, out) on a clean run's completions/ folder.
    const clean = mkdtempSync(join(tmpdir(), 'rarft-trl-parquet-'));
    const completions = writeTrlRun(clean, synthesizeRun({ steps: 24, prompts: 12, groupSize: 6 }));
    const code = `import json, ra_rft_rewards as rr
r = rr.audit(${JSON.stringify(completions)}, ${JSON.stringify(join(clean, 'audit'))})
print(json.dumps({"findings": r.findings, "failed": r.failed}))`;
    expect(await pythonJson(['-c', code])).toEqual({ findings: [], failed: false });
  }, 120_000);
});

describePython('python/tests (pytest, in the virtual environment, outside the repository)', () => {
  it('passes', async () => {
    const run = await runPython(['-m', 'pytest', '-q', '-p', 'no:cacheprovider', join(repoRoot, 'python/tests')], { env: cleanEnv(), timeoutMs: 600_000 });
    if (run.code !== 0) console.error(run.stdout.slice(-20_000), run.stderr.slice(-5_000));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\d+ passed/);
    expect(run.stdout).not.toMatch(/skipped|failed|error/);
  }, 600_000);
});

void sharedPath;

describePython('a Python callable as the embedder (a torch module, as a trainer has its own model on its GPU)', () => {
  it('scores through the package exactly as the library does with the same vectors', async () => {
    const code = `import json, torch
import ra_rft_rewards as rr
torch.manual_seed(0)

class Encoder(torch.nn.Module):
    """Hashed character trigrams -> a random projection: random weights, a real torch forward pass."""
    def __init__(self):
        super().__init__()
        self.bag = torch.nn.EmbeddingBag(4096, 48, mode="mean")
        self.proj = torch.nn.Linear(48, 32)
    def forward(self, texts):
        ids, offsets = [], []
        for text in texts:
            offsets.append(len(ids))
            grams = [hash(text[i:i + 3]) % 4096 for i in range(max(1, len(text) - 2))]
            ids.extend(grams)
        return torch.tanh(self.proj(self.bag(torch.tensor(ids), torch.tensor(offsets))))

model = Encoder().eval()
seen = {}
def encode(texts):
    with torch.no_grad():
        vectors = model(texts)
    for text, vector in zip(texts, vectors.tolist()):
        seen[text] = vector
    return vectors

data = json.loads(${JSON.stringify(JSON.stringify({ completions: ['<think>seen</think><answer>4 to 11</answer><correction>NIL</correction>', '<think>no</think><answer>No one drops groceries in the video.</answer><correction>the person puts the groceries on the table.</correction>', '<think>x</think><answer>The event is not shown.</answer><correction>a man sings</correction>'], targets: [{ relevant: true, span: [3.1, 10.9], duration: 30.04, answer: '3.1 to 10.9', contrast: 'No one drops groceries.', query: 'the person puts the groceries on the table.' }, { relevant: false, duration: 30.04, answer: 'No one drops groceries.', contrast: '3.1 to 10.9', query: 'the person puts the groceries on the table.' }, { relevant: false, duration: 30.04, answer: 'No one drops groceries.', contrast: '3.1 to 10.9', query: 'the person puts the groceries on the table.' }] }))})
scores = rr.score(data["completions"], data["targets"], embedder=encode)
print(json.dumps({"rows": scores.as_dicts(), "vectors": seen, "data": data}))`;
    const got = await pythonJson<{ rows: Record<string, number>[]; vectors: Record<string, number[]>; data: { completions: string[]; targets: never[] } }>(['-c', code], { env: cleanEnv({ PYTHONHASHSEED: '0' }) });
    // The same vectors, given to the library directly.
    const lookup = { name: 'torch', embed: async (texts: readonly string[]) => texts.map((text) => { const v = got.vectors[text]; if (v === undefined) throw new Error(`not embedded by Python: ${text}`); return v; }) };
    const want = await raRftRewardBatch(got.data.completions, got.data.targets, { embedder: lookup });
    expect(got.rows.map(({ unit: _, ...parts }) => parts)).toEqual(want);
    expect(new Set(want.map((r) => r.explain)).size).toBeGreaterThan(1);
  }, 120_000);
});

describePython('every built-in variant through the package, extra inputs passed by name', () => {
  it('equals the registry descriptor on the hack corpus and on genuine answers, groups included', async () => {
    const { VARIANTS } = await import('../src/variants/registry.js');
    const corpus = readFileSync(join(repoRoot, 'corpus/reward-hacks.jsonl'), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { completion: string; target: Record<string, unknown> });
    const completions = corpus.map((entry) => entry.completion).slice(0, 64);
    const targets = corpus.map((entry) => entry.target).slice(0, 64);
    const n = completions.length - (completions.length % 8);
    const extrasFor: Record<string, Record<string, unknown[]>> = {
      taro: { diffLogProb: Array.from({ length: n }, (_, i) => (i % 5) / 10 - 0.1), diffLogProbThresh: new Array(n).fill(0.05) },
      'open-o3-video': { stepPercent: Array.from({ length: n }, (_, i) => (i % 4) / 4) },
      'timesearch-r': { visualTraceAnswer: Array.from({ length: n }, (_, i) => (i % 3 === 0 ? "I don't know" : completions[i])) },
      'video-r1-t-grpo': { shuffledCompletions: Array.from({ length: n / 8 }, (_, g) => completions.slice(g * 8, g * 8 + 4)) },
    };
    const code = `import json, sys
import ra_rft_rewards as rr
data = json.load(sys.stdin)
out = {}
for v in rr.variants():
    extras = data["extras"].get(v["id"])
    s = rr.variant_reward(v["id"], data["completions"], data["targets"], extras=extras, group_size=8 if v["group"] else None)
    out[v["id"]] = s.scores
print(json.dumps(out))`;
    const { execFile } = await import('node:child_process');
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = execFile(pythonPackage.python as string, ['-c', code], { env: cleanEnv(), maxBuffer: 64 << 20 }, (error, out, err) => (error ? reject(new Error(err)) : resolve(out)));
      child.stdin?.end(JSON.stringify({ completions: completions.slice(0, n), targets: targets.slice(0, n), extras: extrasFor }));
    });
    const got = JSON.parse(stdout) as Record<string, number[]>;
    expect(Object.keys(got).sort()).toEqual(VARIANTS.map((v) => v.id).sort());
    const signless = (x: number) => (x === 0 ? 0 : x);
    for (const descriptor of VARIANTS) {
      const extras = extrasFor[descriptor.id] ?? {};
      let want: number[];
      if (descriptor.scoreGroup !== undefined) {
        want = [];
        for (let g = 0; g < n / 8; g++) {
          want.push(...descriptor.scoreGroup(completions.slice(g * 8, g * 8 + 8), targets[g * 8] as never, Object.fromEntries(Object.entries(extras).map(([k, v]) => [k, v[g]]))));
        }
      } else {
        want = completions.slice(0, n).map((c, i) => descriptor.score(c, targets[i] as never, Object.fromEntries(Object.entries(extras).map(([k, v]) => [k, v[i]]))));
      }
      expect({ id: descriptor.id, scores: got[descriptor.id] }).toEqual({ id: descriptor.id, scores: want.map(signless) });
    }
  }, 120_000);
});
