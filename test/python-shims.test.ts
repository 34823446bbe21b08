// Runs every Python shim in examples/python with python3 against a live server and checks the numbers.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RaRftTarget, raRftRewardBatch, trigramHashEmbedder } from '../src/index.js';
import { type RewardServer, startRewardServer } from '../src/server/index.js';
import { repoRoot } from './helpers/shared.js';

const embedder = trigramHashEmbedder();
const shims = join(repoRoot, 'examples/python');
const relevant: RaRftTarget = { relevant: true, span: [3.1, 10.9], duration: 30.04, answer: '<answer>3.1 to 10.9</answer>', contrast: '<answer>No one drops groceries.</answer>', query: 'the person puts the groceries on the table.' };
const irrelevant: RaRftTarget = { relevant: false, duration: 30.04, answer: '<answer>No one drops groceries.</answer>', contrast: '<answer>3.1 to 10.9</answer>', query: 'the person puts the groceries on the table.' };
const completions = [
  '<think>seen</think><answer>4 to 11</answer><correction>NIL</correction>',
  '<think>no drop</think><answer>No one drops groceries in the video.</answer><correction>the person puts the groceries on the table.</correction>',
];
const targets = [relevant, irrelevant];

let server: RewardServer;
beforeAll(async () => {
  server = await startRewardServer({ embedder, port: 0 });
});
afterAll(async () => {
  await server.close();
});

// Asynchronous on purpose: the server runs in this process and must keep answering.
async function python(code: string): Promise<unknown> {
  const { stdout } = await promisify(execFile)('python3', ['-c', code], {
    cwd: shims,
    env: { ...process.env, RA_RFT_REWARD_URL: server.url, PYTHONPATH: shims },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return JSON.parse(stdout);
}

const data = () => `import json\ncompletions = json.loads(${JSON.stringify(JSON.stringify(completions))})\ntargets = json.loads(${JSON.stringify(JSON.stringify(targets))})\n`;

describe('Python shims (python3, standard library) against the server', () => {
  it('TRL: plain and conversational completions, dict and JSON-text targets', async () => {
    const want = (await raRftRewardBatch(completions, targets, { embedder })).map((r) => r.total);
    const got = await python(`${data()}from trl_reward import rarft_reward
plain = rarft_reward(prompts=["p", "p"], completions=completions, target=targets)
chat = rarft_reward(prompts=[[], []], completions=[[{"role": "assistant", "content": c}] for c in completions], target=[json.dumps(t) for t in targets])
print(json.dumps([plain, chat]))`) as number[][];
    expect(got).toEqual([want, want]);
  });

  it('verl: compute_score returns the score and every part', async () => {
    const [want] = await raRftRewardBatch([completions[1] as string], [irrelevant], { embedder });
    const got = await python(`${data()}from verl_reward import compute_score
print(json.dumps(compute_score("hi_vtg", completions[1], json.dumps(targets[1]), {})))`);
    const { total, ...parts } = want!;
    expect(got).toEqual({ score: total, ...parts, unit: Math.min(1, Math.max(0, (total + 1) / 5)) });
  });

  it('EasyR1: batch compute_score returns overall and parts per input', async () => {
    const want = await raRftRewardBatch(completions, targets, { embedder });
    const got = await python(`${data()}from easyr1_reward import compute_score
print(json.dumps(compute_score([{"response": c, "response_length": len(c), "ground_truth": json.dumps(t)} for c, t in zip(completions, targets)])))`) as Record<string, number>[];
    expect(got.map((r) => r.overall)).toEqual(want.map((r) => r.total));
    expect(got.map((r) => r.accuracy)).toEqual(want.map((r) => r.refuseIoU));
  });

  it("OpenRLHF: the remote reward request its remote_rm_fn sends", async () => {
    const want = await raRftRewardBatch(completions, targets, { embedder });
    const got = await python(`${data()}import os, urllib.request
prompts = ["<|im_start|>user\\nWhen?<|im_end|>\\n<|im_start|>assistant\\n"] * 2
payload = {"query": [p + c for p, c in zip(prompts, completions)], "prompts": prompts, "labels": [json.dumps(t) for t in targets]}
request = urllib.request.Request(os.environ["RA_RFT_REWARD_URL"] + "/get_reward", data=json.dumps(payload).encode(), headers={"content-type": "application/json"})
print(urllib.request.urlopen(request).read().decode())`) as { rewards: number[]; extra_logs: Record<string, number[]> };
    expect(got.rewards).toEqual(want.map((r) => r.total));
    expect(got.extra_logs.correction).toEqual(want.map((r) => r.correction));
  });

  it('rarft_client: lengths must match, an over-limit body reports the 413, a dead server says so', async () => {
    const small = await startRewardServer({ embedder, port: 0, bodyLimitBytes: 64 * 1024 });
    try {
      const got = await python(`import json, os
from rarft_client import RewardServerError, score
out = {}
try:
    score(["a", "b"], [{"relevant": False, "answer": "x", "contrast": "y"}])
except ValueError as error:
    out["lengths"] = str(error)
os.environ["RA_RFT_REWARD_URL"] = ${JSON.stringify(small.url)}
try:
    score(["x" * 16_000_000], [{"relevant": False, "answer": "x", "contrast": "y"}])
except RewardServerError as error:
    out["big"] = [error.status, str(error)]
os.environ["RA_RFT_REWARD_URL"] = "http://127.0.0.1:9"
os.environ["RA_RFT_RETRIES"] = "0"
try:
    score(["x"], [{"relevant": False, "answer": "x", "contrast": "y"}])
except RewardServerError as error:
    out["dead"] = [error.status, str(error)]
print(json.dumps(out))`) as { lengths: string; big: [number, string]; dead: [number | null, string] };
      expect(got.lengths).toBe('score: 2 completions but 1 targets (they must match one to one)');
      expect(got.big).toEqual([413, expect.stringContaining('HTTP 413: request body is larger than 65536 bytes')]);
      expect(got.dead[0]).toBeNull();
      expect(got.dead[1]).toMatch(/server at http:\/\/127\.0\.0\.1:9 did not answer \(ConnectionRefusedError/);
    } finally {
      await small.close();
    }
  });

  it('rarft_client: end tokens are stripped by default and kept with RA_RFT_KEEP_END_TOKENS=1', async () => {
    const raw = `${completions[0]}<|im_end|>`;
    const code = `import json\nfrom rarft_client import score\nprint(json.dumps(score([${JSON.stringify(raw)}], [json.loads(${JSON.stringify(JSON.stringify(relevant))})])[0]["format"]))`;
    expect(await python(code)).toBe(1);
    expect(await python(`import os\nos.environ["RA_RFT_KEEP_END_TOKENS"] = "1"\n${code}`)).toBe(0);
  });

  it('a bad target comes back as a Python error naming the field', async () => {
    await expect(python(`from rarft_client import score\nscore(["x"], [{"relevant": True, "answer": "a", "contrast": "b"}])`)).rejects.toThrow(/items\[0\]\.target\.span.*is required when relevant is true/);
  });
});

describe('examples/python/hi_vtg_rows.py', () => {
  it('pairs HI-VTG targets exactly as hiVtgTargets does', async () => {
    const { hiVtgTargets } = await import('../src/index.js');
    const { readHiVtg, sharedPath } = await import('./helpers/shared.js');
    const { stdout } = await promisify(execFile)('python3', [join(shims, 'hi_vtg_rows.py'), sharedPath('data/hi-vtg/hi_vtg_tvgbench.json')], { maxBuffer: 64 * 1024 * 1024 });
    const rows = stdout.trim().split('\n').map((line) => JSON.parse(line) as { relevant: boolean; target: RaRftTarget });
    const want = readHiVtg('hi_vtg_tvgbench.json').flatMap((item) => {
      const t = hiVtgTargets(item);
      return [t.relevant, t.irrelevant].filter((x) => x !== undefined);
    });
    expect(rows.map((row) => row.target)).toEqual(want);
  });
});
