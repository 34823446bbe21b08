// The installed pip package (and the thin files in examples/python over it), called the way each trainer's current
// release calls rewards (re-enacted in test/trainers/*.py, each naming the upstream version and files it follows),
// from a folder outside the repository with a clean environment: nothing on sys.path but the installed package.
// Every number must equal the library's on the clean completion, and the parts must reach the trainer's logging.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, outside, pythonJson, pythonPackage } from './helpers/python.js';
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
const casesFile = join(outside, 'cases.json');
const describePython = pythonPackage.python === null ? describe.skip : describe;

beforeAll(async () => {
  server = await startRewardServer({ embedder, port: 0 });
  want = await raRftRewardBatch(cases.map((c) => c.clean), cases.map((c) => c.target), { embedder });
  const toUnit = unitScore('normalized', undefined);
  unit = want.map(toUnit);
  // verl and EasyR1 pass reward_kwargs to the function: the embedder is chosen there; TRL and OpenRLHF by env.
  writeFileSync(casesFile, JSON.stringify({ shims, url: server.url, cases, reward_kwargs: { embedder: 'trigram' } }));
});
afterAll(async () => {
  await server.close();
});

/** Runs a re-enactment with the venv's python from a folder outside the repository, in a clean environment. */
function reenact<T>(script: string, extraEnv: Record<string, string> = {}): Promise<T> {
  return pythonJson<T>([join(repoRoot, 'test/trainers', script), casesFile], { env: cleanEnv(extraEnv), timeoutMs: 300_000 });
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

describePython('OpenRLHF v0.11 (SingleTurnAgentExecutor)', () => {
  it('the package file (and the examples file) by path, and HTTP /get_reward, give the library numbers; every part reaches train/<part>', async () => {
    interface One { reward: number; score: number; extra_logs: Record<string, number>; tensor?: boolean }
    const got = await reenact<{ http: One[]; file: One[]; legacy: One[]; kept: [number, number] }>('openrlhf_v0_11.py', { RA_RFT_EMBEDDER: 'trigram' });
    expect(got.http.map((r) => r.reward)).toEqual(want.map((r) => r.total));
    expect(got.http.map((r) => r.score)).toEqual(unit);
    for (const mode of [got.file, got.legacy]) {
      // torch (Debian's python3-torch) is there: OpenRLHF gets float32 tensors, as from its own reward models.
      expect(mode.every((r) => r.tensor === true)).toBe(true);
      expect(mode.map((r) => r.reward)).toEqual(want.map((r) => Math.fround(r.total)));
      expect(mode.map((r) => r.score)).toEqual(unit.map(Math.fround));
      for (const part of ['format', 'refuseIoU', 'explain', 'correction', 'explainAndCorrection'] as const) {
        expect(mode.map((r) => r.extra_logs[`train/${part}`])).toEqual(want.map((r) => Math.fround(r[part])));
      }
    }
    // Dynamic filtering with the default range (0, 1) keeps every mixed group.
    expect(got.kept).toEqual([6, 6]);
  }, 300_000);
});

describePython('verl 0.7 (reward loop, batch, prime; main_ppo loads the file twice)', () => {
  it('every manager, loaded by path twice under one generated name, with struct ground truths holding None and numpy spans; prime pickles', async () => {
    type Loop = { scores: number[]; extra: Record<string, number[]> };
    const got = await reenact<{ naive: Loop; async: Loop; batch: Record<string, number>[]; prime: number[]; legacy_prime: number[] }>('verl_v0_7.py');
    for (const mode of [got.naive, got.async]) {
      expect(mode.scores).toEqual(want.map((r) => r.total));
      expect(Object.keys(mode.extra).sort()).toEqual(['correction', 'explain', 'explainAndCorrection', 'format', 'refuseIoU', 'unit']);
      expect(mode.extra.refuseIoU).toEqual(want.map((r) => r.refuseIoU));
      expect(mode.extra.explain).toEqual(want.map((r) => r.explain));
      expect(mode.extra.unit).toEqual(unit);
    }
    expect(got.batch.map((r) => r.score)).toEqual(want.map((r) => r.total));
    expect(got.batch.map((r) => r.correction)).toEqual(want.map((r) => r.correction));
    // The training manager's function after the validation load: it pickles, and no sample is 0 by failure.
    expect(got.prime).toEqual(want.map((r) => r.total));
    expect(got.legacy_prime).toEqual(want.map((r) => r.total));
  }, 300_000);
});

describePython('EasyR1 (AutoRewardManager, REWARD_TYPE)', () => {
  it('batch and sequential files, with and without skip_special_tokens, logged as reward/<part>, and filter keys that keep groups', async () => {
    type Dict = Record<string, number>;
    const got = await reenact<{ kinds: string[]; batch: Dict[]; raw: Dict[]; sequential: Dict[]; legacy: Dict[]; logged: string[]; kept: Record<string, number>; groups: number }>('easyr1_v0_3.py');
    expect(got.kinds).toEqual(['batch', 'batch', 'sequential', 'batch']);
    for (const mode of [got.batch, got.raw, got.sequential, got.legacy]) {
      expect(mode.map((r) => r.overall)).toEqual(want.map((r) => r.total));
      expect(mode.map((r) => r.format)).toEqual(want.map((r) => r.format));
      expect(mode.map((r) => r.accuracy)).toEqual(want.map((r) => Math.min(1, Math.max(0, r.refuseIoU))));
      expect(mode.map((r) => r.unit)).toEqual(unit);
    }
    expect(got.logged).toEqual(['reward/accuracy', 'reward/correction', 'reward/explain', 'reward/explainAndCorrection', 'reward/format', 'reward/overall', 'reward/refuseIoU', 'reward/unit']);
    expect(got.groups).toBe(6);
    // The documented settings keep every mixed group; the default filter_key=overall would keep none of them.
    expect(got.kept).toEqual({ overall: 0, accuracy: 6, unit: 6 });
  }, 300_000);
});

describePython('TRL (GRPOTrainer._calculate_rewards, AsyncGRPOTrainer)', () => {
  it('plain, conversational and response-schema completions, sync and async, None on failure, parts logged, pickled into a spawned worker', async () => {
    interface Logs { extra: Record<string, number[]>; metrics: Record<string, number[]> }
    const got = await reenact<{
      plain: number[][]; chat: number[][]; schema: number[][]; names: string[]; async: boolean[]; logs: Logs;
      lenient: (number | null)[][]; strict_error: string | null;
      async_grpo: { rewards: number[][]; names: string[]; async: boolean[] };
      legacy: number[][]; legacy_names: string[];
    }>('trl_v1.py', { RA_RFT_EMBEDDER: 'trigram' });
    const totals = want.map((r) => r.total);
    expect(got.plain).toEqual([totals, want.map((r) => r.refuseIoU)]);
    expect(got.chat).toEqual([totals]);
    expect(got.schema).toEqual([totals, totals]);
    expect(got.names).toEqual(['rarft_reward', 'rarft_refuse_iou', 'rarft_reward_async']);
    expect(got.async).toEqual([false, false, true]);
    // The total's function sends every part to log_extra (per completion) and log_metric (the mean).
    expect(got.logs.extra['rarft/format']).toEqual(want.map((r) => r.format));
    expect(got.logs.extra['rarft/correction']).toEqual(want.map((r) => r.correction));
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    expect(got.logs.metrics['rarft/refuse_iou']).toEqual([mean(want.map((r) => r.refuseIoU))]);
    expect(Object.keys(got.logs.extra).sort()).toEqual(['rarft/correction', 'rarft/explain', 'rarft/format', 'rarft/refuse_iou']);
    const lenient = [null, ...totals.slice(1)];
    expect(got.lenient).toEqual([lenient, lenient]);
    expect(got.strict_error).toBe('TargetError: targets[0].span: is required when relevant is true');
    expect(got.async_grpo.names).toEqual(['rarft_reward', 'rarft_format_async', 'rarft_refuse_iou']);
    expect(got.async_grpo.async).toEqual([false, true, false]);
    expect(got.async_grpo.rewards).toEqual([totals, want.map((r) => r.format), want.map((r) => r.refuseIoU)]);
    expect(got.legacy).toEqual([totals, want.map((r) => r.refuseIoU), totals]);
    expect(got.legacy_names).toEqual(['rarft_reward', 'rarft_refuseIoU', 'rarft_reward']);
  }, 300_000);
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
