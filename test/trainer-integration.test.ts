// The shims in examples/python, called the way each trainer's current release calls rewards (re-enacted in
// test/trainers/*.py, each naming the upstream version and file it follows), from another working directory with
// a clean environment (no PYTHONPATH). Every number must equal the library's on the clean completion.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HiVtgItem, type RaRftRewardResult, type RaRftTarget, hiVtgTargets, raRftRewardBatch, trigramHashEmbedder } from '../src/index.js';
import { type RewardServer, startRewardServer, unitScore } from '../src/server/index.js';
import { readHiVtg, repoRoot } from './helpers/shared.js';

const embedder = trigramHashEmbedder();
const shims = join(repoRoot, 'examples/python');
const TARGET_KEYS = ['relevant', 'span', 'duration', 'answer', 'contrast', 'query'] as const;

interface Case {
  group: string;
  prompt: string;
  clean: string;
  raw: string;
  target: RaRftTarget;
  /** The target as a parquet struct gives it: every key of the file, null where the row has none. */
  struct: Record<string, unknown>;
}

const fmt = (x: number) => x.toFixed(2);

/** A group of G completions of known quality for one target: gold, near miss, miss, refusal, format error. */
function groupFor(target: RaRftTarget, group: string, query: string): Omit<Case, 'prompt'>[] {
  const think = '<think>The video shows the person in the kitchen.</think>\n';
  const texts: string[] = [];
  if (target.relevant) {
    const [s, e] = target.span as [number, number];
    texts.push(
      `${think}<answer>${fmt(s)} to ${fmt(e)}</answer><correction>NIL</correction>`,
      `${think}<answer>${fmt(s + 1)} to ${fmt(e + 1.5)}</answer><correction>NIL</correction>`,
      `${think}<answer>${fmt(e + 2)} to ${fmt(e + 4)}</answer><correction>NIL</correction>`,
      `${think}<answer>This does not happen in the video.</answer><correction>${query}</correction>`,
      `<answer>${fmt(s)} to ${fmt(e)}</answer><correction>NIL</correction>`,
    );
  } else {
    texts.push(
      `${think}<answer>${target.answer ?? ''}</answer><correction>${target.query ?? ''}</correction>`,
      `${think}<answer>No such event is visible in the video.</answer><correction>the person walks away</correction>`,
      `${think}<answer>3.00 to 7.50</answer><correction>NIL</correction>`,
      `${think}<answer>No.</answer><correction>NIL</correction>`,
      `The event does not occur.`,
    );
  }
  const ends = ['<|im_end|>', '<|im_end|><|endoftext|><|endoftext|>', '<|im_end|>\n', '<|im_end|>', ''];
  const struct = Object.fromEntries(TARGET_KEYS.map((key) => [key, target[key] ?? null]));
  return texts.map((clean, i) => ({ group, clean, raw: clean + (ends[i] ?? ''), target, struct }));
}

function buildCases(): Case[] {
  const items = readHiVtg('hi_vtg_tvgbench.json').slice(0, 3) as HiVtgItem[];
  return items.flatMap((item, k) => {
    const { relevant, irrelevant } = hiVtgTargets(item);
    return [relevant, irrelevant].flatMap((target, j) => {
      if (target === undefined) return [];
      const userQuery = target.relevant ? (target.query ?? '') : 'the hard-irrelevant query';
      const prompt = `<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n<|vision_start|><|video_pad|><|vision_end|>When does this happen: ${userQuery}?<|im_end|>\n<|im_start|>assistant\n`;
      return groupFor(target, `g${k}-${j}`, target.query ?? '').map((c) => ({ ...c, prompt }));
    });
  });
}

const cases = buildCases();
let want: RaRftRewardResult[];
let unit: number[];
let server: RewardServer;
let work: string;

beforeAll(async () => {
  server = await startRewardServer({ embedder, port: 0 });
  want = await raRftRewardBatch(cases.map((c) => c.clean), cases.map((c) => c.target), { embedder });
  const toUnit = unitScore('normalized', undefined);
  unit = want.map(toUnit);
  work = mkdtempSync(join(tmpdir(), 'rarft-trainers-'));
  writeFileSync(join(work, 'cases.json'), JSON.stringify({ shims, url: server.url, cases }));
});
afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

/** Runs a re-enactment with python3 from an unrelated folder, with nothing but PATH, HOME and the server URL. */
async function reenact<T>(script: string, extraEnv: Record<string, string> = {}): Promise<T> {
  const { stdout } = await promisify(execFile)('python3', [join(repoRoot, 'test/trainers', script), join(work, 'cases.json')], {
    cwd: work,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? work, RA_RFT_REWARD_URL: server.url, ...extraEnv },
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as T;
}

describe('the cases', () => {
  it('are raw decoded outputs: the reference scores most of them format 0, the clean text differently', async () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    const raw = await raRftRewardBatch(cases.map((c) => c.raw), cases.map((c) => c.target), { embedder });
    const differ = raw.filter((r, i) => r.format !== want[i]?.format).length;
    expect(differ).toBeGreaterThan(cases.length / 2);
    expect(new Set(want.map((r) => r.format))).toEqual(new Set([0, 1]));
  });
});

describe('OpenRLHF v0.11 (SingleTurnAgentExecutor)', () => {
  it('HTTP /get_reward and the reward_func file give the library numbers on expanded VLM queries ending in <|im_end|>', async () => {
    interface One { reward: number; score: number; extra_logs: Record<string, number> }
    const got = await reenact<{ http: One[]; file: One[]; kept: [number, number] }>('openrlhf_v0_11.py');
    for (const mode of [got.http, got.file]) {
      expect(mode.map((r) => r.reward)).toEqual(want.map((r) => r.total));
      expect(mode.map((r) => r.score)).toEqual(unit);
      expect(mode.map((r) => r.extra_logs.format)).toEqual(want.map((r) => r.format));
      expect(mode.map((r) => r.extra_logs.refuseIoU)).toEqual(want.map((r) => r.refuseIoU));
      expect(mode.map((r) => r.extra_logs.correction)).toEqual(want.map((r) => r.correction));
    }
    expect(got.http.every((r) => r.score >= 0 && r.score <= 1)).toBe(true);
    // Dynamic filtering with the default range (0, 1) keeps every mixed group.
    expect(got.kept).toEqual([got.kept[1], 6]);
  }, 120_000);
});

describe('verl 0.7 (reward loop, batch, prime)', () => {
  it('every manager, loaded by path without PYTHONPATH, with struct ground truths holding None and numpy spans', async () => {
    type Dict = Record<string, number>;
    const got = await reenact<{ naive: Dict[]; async: Dict[]; batch: Dict[]; prime: number[] }>('verl_v0_7.py');
    for (const mode of [got.naive, got.async, got.batch]) {
      expect(mode.map((r) => r.score)).toEqual(want.map((r) => r.total));
      expect(mode.map((r) => r.refuseIoU)).toEqual(want.map((r) => r.refuseIoU));
      expect(mode.map((r) => r.explain)).toEqual(want.map((r) => r.explain));
      expect(mode.map((r) => r.unit)).toEqual(unit);
    }
    expect(got.prime).toEqual(want.map((r) => r.total));
  }, 120_000);
});

describe('EasyR1 (AutoRewardManager, REWARD_TYPE)', () => {
  it('batch and sequential modules, with and without skip_special_tokens, and filter keys that keep groups', async () => {
    type Dict = Record<string, number>;
    const got = await reenact<{ kinds: string[]; batch: Dict[]; raw: Dict[]; sequential: Dict[]; kept: Record<string, number>; groups: number }>('easyr1_v0_3.py');
    expect(got.kinds).toEqual(['batch', 'batch', 'sequential']);
    for (const mode of [got.batch, got.raw, got.sequential]) {
      expect(mode.map((r) => r.overall)).toEqual(want.map((r) => r.total));
      expect(mode.map((r) => r.format)).toEqual(want.map((r) => r.format));
      expect(mode.map((r) => r.accuracy)).toEqual(want.map((r) => Math.min(1, Math.max(0, r.refuseIoU))));
      expect(mode.map((r) => r.unit)).toEqual(unit);
    }
    expect(got.groups).toBe(6);
    // The documented settings keep every mixed group; the default filter_key=overall would keep none of them.
    expect(got.kept).toEqual({ overall: 0, accuracy: 6, unit: 6 });
  }, 120_000);
});

describe('TRL 1.9 (GRPOTrainer._calculate_rewards)', () => {
  it('plain, conversational and response-schema completions (reasoning_content), sync and async, None on failure', async () => {
    const got = await reenact<{ plain: number[][]; chat: number[][]; schema: number[][]; names: string[]; lenient: (number | null)[][]; strict_error: string | null }>('trl_v1.py');
    const totals = want.map((r) => r.total);
    expect(got.plain).toEqual([totals, want.map((r) => r.refuseIoU)]);
    expect(got.chat).toEqual([totals]);
    expect(got.schema).toEqual([totals, totals]);
    expect(got.names).toEqual(['rarft_reward', 'rarft_refuseIoU', 'rarft_reward_async']);
    const lenient = [null, ...totals.slice(1)];
    expect(got.lenient).toEqual([lenient, lenient]);
    expect(got.strict_error).toMatch(/HTTP 400: items\[0\]\.target\.span: is required when relevant is true/);
  }, 120_000);
});

describe('openrlhf_train.sh', () => {
  // OpenRLHF renamed its flags to dotted groups in v0.10.2 (openrlhf/cli/train_ppo_ray.py); no old name is accepted.
  const CURRENT = new Set(['--actor.model_name_or_path', '--data.prompt_dataset', '--data.input_key', '--data.label_key', '--data.apply_chat_template', '--reward.remote_url', '--algo.advantage.estimator', '--rollout.n_samples_per_prompt', '--algo.dynamic_filtering_enable', '--algo.dynamic_filtering_range']);
  it('uses only v0.10.2+ flag names', () => {
    const command = readFileSync(join(shims, 'openrlhf_train.sh'), 'utf8').split('\n').filter((line) => !line.trimStart().startsWith('#')).join('\n');
    const flags = command.match(/(?<=\s)--[a-z_.]+/g) ?? [];
    expect(flags.length).toBeGreaterThanOrEqual(8);
    expect(flags.filter((flag) => !CURRENT.has(flag))).toEqual([]);
  });
});
