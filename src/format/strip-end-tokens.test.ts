import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OptionsError } from '../errors.js';
import { refuseIoU } from '../grounding/refuse-iou.js';
import { formatReward } from './format-reward.js';
import { DEFAULT_END_TOKENS, stripEndTokens } from './strip-end-tokens.js';

const clean = '<think>the man opens the door.</think>\n<answer>3.1 to 10.9</answer><correction>NIL</correction>';
const target = { relevant: true, span: [3, 11] as [number, number], duration: 30 };

describe('stripEndTokens', () => {
  it.each(DEFAULT_END_TOKENS.map((t) => [t]))('removes a trailing %s', (token) => {
    expect(stripEndTokens(clean + token)).toBe(clean);
    expect(formatReward(stripEndTokens(clean + token))).toBe(1);
  });

  it('the reference scores raw decoded text 0 for format, which is why the normalizer exists', () => {
    expect(formatReward(`${clean}<|im_end|>`)).toBe(0);
    expect(formatReward(clean)).toBe(1);
  });

  it('removes runs of end and pad tokens with whitespace between and after them', () => {
    expect(stripEndTokens(`${clean}<|im_end|>\n<|endoftext|><|endoftext|><|endoftext|>  \n`)).toBe(clean);
    expect(stripEndTokens(`${clean}<end_of_turn>\n<eos><pad><pad>`)).toBe(clean);
  });

  it('keeps whitespace before the run, as skip_special_tokens decoding would', () => {
    expect(stripEndTokens('ok \n<|eot_id|>')).toBe('ok \n');
  });

  it('leaves text without a trailing token unchanged, including trailing whitespace', () => {
    for (const text of ['', '   ', `${clean}\n`, 'a <|im_end|> b', '<|im_end', 'im_end|>']) expect(stripEndTokens(text)).toBe(text);
  });

  it('strips text that is only tokens to the empty string', () => {
    expect(stripEndTokens('<|im_end|>')).toBe('');
    expect(stripEndTokens(' \n<|im_end|><|endoftext|>')).toBe(' \n');
  });

  it('takes a replacement list and extra tokens', () => {
    expect(stripEndTokens(`${clean}<|im_end|>`, { tokens: ['[EOS]'] })).toBe(`${clean}<|im_end|>`);
    expect(stripEndTokens(`${clean}[EOS]`, { tokens: ['[EOS]'] })).toBe(clean);
    expect(stripEndTokens(`${clean}<|im_end|>[EOS]`, { extraTokens: ['[EOS]'] })).toBe(clean);
  });

  it('removes the longer of two tokens where one ends with the other', () => {
    expect(stripEndTokens('x ab>', { tokens: ['b>', 'ab>'] })).toBe('x ');
  });

  it('rejects bad token lists with an OptionsError naming the field', () => {
    expect(() => stripEndTokens('x', { tokens: [''] })).toThrow(OptionsError);
    expect(() => stripEndTokens('x', { extraTokens: ['ok', 3 as unknown as string] })).toThrow('stripEndTokens: options.extraTokens[1] must be a non-empty string, got 3');
    expect(() => stripEndTokens('x', { tokens: 'abc' as unknown as string[] })).toThrow('stripEndTokens: options.tokens must be an array of strings');
  });

  it('property: stripping the clean text plus any run of tokens and whitespace gives the clean text, and every reward agrees', () => {
    const tail = fc.array(fc.constantFrom(...DEFAULT_END_TOKENS, ' ', '\n', '\t'), { maxLength: 6 }).map((parts) => parts.join(''));
    const body = fc.string({ maxLength: 30 }).map((s) => `${s}</correction>`);
    fc.assert(
      fc.property(body, tail, (text, run) => {
        const stripped = stripEndTokens(text + run);
        // Every default token starts with '<': whitespace before the first one is kept.
        expect(stripped).toBe(run.includes('<') ? text + run.slice(0, run.indexOf('<')) : text + run);
        expect(refuseIoU(stripped, target)).toBe(refuseIoU(text, target));
        expect(stripEndTokens(stripped)).toBe(stripped);
      }),
      { numRuns: 3000 },
    );
  });
});
