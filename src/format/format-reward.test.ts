import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OptionsError } from '../errors.js';
import { pyStrip } from '../internal/python-text.js';
import { formatReward } from './format-reward.js';

const S = String.raw`[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]`;
// The reference regexes, used as oracles on short strings.
const RA_RFT = new RegExp(`^<think>[^]*?</think>${S}*<answer>[^]*?</answer>${S}*<correction>[^]*?</correction>$`);
const R1 = new RegExp(`^<think>[^]*?</think>${S}*<answer>[^]*?</answer>$`);
const TVG_R1 = /^<think>[^]*<\/think>[^]*<time>[^]*<\/time>[^]*$/;

const tags = ['<think>', '</think>', '<answer>', '</answer>', '<correction>', '</correction>', '<time>', '</time>'];
const text = fc
  .array(fc.constantFrom(...tags, ' ', '\n', '\x1c', '\ufeff', 'x', '1 to 2', 'NIL', '<', '>'), { maxLength: 14 })
  .map((parts) => parts.join(''));

describe('formatReward equals the reference regexes', () => {
  it('ra-rft: re.fullmatch(<think>.*?</think>\\s*<answer>.*?</answer>\\s*<correction>.*?</correction>, text.strip())', () => {
    fc.assert(fc.property(text, (input) => {
      expect(formatReward(input)).toBe(RA_RFT.test(pyStrip(input)) ? 1 : 0);
    }), { numRuns: 20000 });
  });

  it('r1 (Time-R1): <think>.*?</think>\\s*<answer>.*?</answer> on the stripped text', () => {
    fc.assert(fc.property(text, (input) => {
      expect(formatReward(input, { profile: 'r1' })).toBe(R1.test(pyStrip(input)) ? 1 : 0);
    }), { numRuns: 20000 });
  });

  it('tvg-r1: <think>.*</think>.*<time>.*</time>.* on the raw text', () => {
    fc.assert(fc.property(text, (input) => {
      expect(formatReward(input, { profile: 'tvg-r1' })).toBe(TVG_R1.test(input) ? 1 : 0);
    }), { numRuns: 20000 });
  });
});

describe('formatReward', () => {
  const good = '<think>the person reads.</think>\n<answer>1 to 2</answer> <correction>NIL</correction>';

  it('accepts the prompted layout in every RA-RFT profile', () => {
    expect(formatReward(good)).toBe(1);
    expect(formatReward(good, { profile: 'strict' })).toBe(1);
  });

  it('scores a completion whose <think> the chat template prefilled', () => {
    const prefilled = good.slice('<think>'.length);
    expect(formatReward(prefilled)).toBe(0);
    expect(formatReward(prefilled, { thinkPrefilled: true })).toBe(1);
    expect(formatReward(prefilled, { profile: 'strict', thinkPrefilled: true })).toBe(1);
    // A model that opens <think> again after the template did has two <think> tags: strict refuses it.
    expect(formatReward(good, { profile: 'strict', thinkPrefilled: true })).toBe(0);
  });

  it('strict refuses tags inside <think>, repeated blocks and trailing text', () => {
    expect(formatReward('<think><answer>1 to 2</answer></think><answer>x</answer><correction>NIL</correction>', { profile: 'strict' })).toBe(0);
    expect(formatReward(`${good}<answer>3 to 4</answer>`, { profile: 'strict' })).toBe(0);
    expect(formatReward(`${good} thanks`, { profile: 'strict' })).toBe(0);
    expect(formatReward('<think>a</think>b<answer>1 to 2</answer><correction>NIL</correction>', { profile: 'strict' })).toBe(0);
  });

  it('strict gives no format point to hollow structure (empty or punctuation-only blocks)', () => {
    const hollow = [
      '<think></think><answer>1 to 2</answer><correction>NIL</correction>',
      '<think> \n </think><answer>1 to 2</answer><correction>NIL</correction>',
      '<think>...</think><answer>1 to 2</answer><correction>NIL</correction>',
      '<think>ok</think><answer></answer><correction>NIL</correction>',
      '<think>ok</think><answer>1 to 2</answer><correction> </correction>',
      '<think>ok</think><answer>?!</answer><correction>—</correction>',
    ];
    for (const text of hollow) {
      expect(formatReward(text), text).toBe(1);
      expect(formatReward(text, { profile: 'strict' }), text).toBe(0);
    }
    // A letter or a digit in any script is content.
    expect(formatReward('<think>見た</think><answer>١ to ٢</answer><correction>NIL</correction>', { profile: 'strict' })).toBe(1);
    expect(formatReward('<think>𝐚</think><answer>x</answer><correction>NIL</correction>', { profile: 'strict' })).toBe(1);
  });

  it('scores non-strings 0 and rejects unknown profiles', () => {
    expect(formatReward(42 as unknown as string)).toBe(0);
    expect(() => formatReward(good, { profile: 'r2' as 'r1' })).toThrow(OptionsError);
    expect(() => formatReward(good, { profile: 'r2' as 'r1' })).toThrow(/formatReward: options\.profile must be one of/);
  });
});
