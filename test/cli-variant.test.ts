// `score --variant ID`: a built-in variant instead of the RA-RFT reward, its extra inputs passed by name from each
// line's `extras` object (group variants over consecutive lines with --group-size).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/index.js';
import { VARIANTS_BY_ID } from '../src/variants/registry.js';
import { captureIO } from './helpers/cli-io.js';

const dir = mkdtempSync(join(tmpdir(), 'rarft-cli-variant-'));
const target = { relevant: true, span: [4, 9], duration: 30 };
const completions = ['<think>a</think><answer>4s to 9s</answer>', '<think>b</think><answer>3.5s to 10s</answer>', '<answer>0 to 30</answer>', '<think>c</think><answer>no</answer>'];

async function score(lines: unknown[], args: string[]): Promise<{ code: number; records: Record<string, unknown>[]; err: string }> {
  const input = join(dir, `in-${args.join('_').replace(/\W/g, '')}.jsonl`);
  writeFileSync(input, lines.map((line) => JSON.stringify(line)).join('\n'));
  const out = join(dir, `out-${args.join('_').replace(/\W/g, '')}.jsonl`);
  const captured = captureIO();
  const code = await main(['score', input, '--out', out, '--quiet', ...args], captured.io);
  const records = code === 0 ? readFileSync(out, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>) : [];
  return { code, records, err: captured.err() };
}

describe('score --variant', () => {
  it('scores each line with the variant, its extras passed by name (TaRO diffLogProb)', async () => {
    const taro = VARIANTS_BY_ID.get('taro');
    const lines = completions.map((completion, i) => ({ completion, target, extras: { diffLogProb: 0.5 - i / 10, diffLogProbThresh: 0.2 } }));
    const got = await score(lines, ['--variant', 'taro']);
    expect(got.code, got.err).toBe(0);
    expect(got.records.map((r) => r.reward)).toEqual(lines.map((l) => taro?.score(l.completion, target as never, l.extras)));
    expect(got.records.map((r) => r.variant)).toEqual(new Array(4).fill('taro'));
    // The extra input changes the reward: it really is passed.
    const without = await score(completions.map((completion) => ({ completion, target })), ['--variant', 'taro']);
    expect(without.records.map((r) => r.reward)).not.toEqual(got.records.map((r) => r.reward));
  });

  it('scores a group variant over consecutive lines, its group input from the first line', async () => {
    const tgrpo = VARIANTS_BY_ID.get('video-r1-t-grpo');
    const shuffled = ['<answer>10 to 12</answer>', '<answer>11 to 13</answer>'];
    const lines = completions.map((completion, i) => ({ completion, target, ...(i === 0 ? { extras: { shuffledCompletions: shuffled } } : {}) }));
    const got = await score(lines, ['--variant', 'video-r1-t-grpo', '--group-size', '4']);
    expect(got.code, got.err).toBe(0);
    expect(got.records.map((r) => r.reward)).toEqual(tgrpo?.scoreGroup?.(completions, target as never, { shuffledCompletions: shuffled }));
  });

  it('refuses an unknown variant, a group variant without --group-size, and an input the variant does not take', async () => {
    expect((await score([{ completion: 'x', target }], ['--variant', 'nope'])).err).toMatch(/--variant must be a built-in variant \(ra-rft, .*taro/);
    expect((await score([{ completion: 'x', target }], ['--variant', 'video-r1-t-grpo'])).err).toMatch(/--group-size G/);
    const bad = await score([{ completion: 'x', target, extras: { diffLogprob: 1 } }], ['--variant', 'taro']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/line 1: extras\.diffLogprob is not an input of taro \(diffLogProb, diffLogProbThresh, split\)/);
  });
});
