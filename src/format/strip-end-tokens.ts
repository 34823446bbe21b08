import { OptionsError } from '../errors.js';

/**
 * The end-of-turn, end-of-text and padding tokens of common chat templates, as they appear in text decoded
 * with special tokens kept (OpenRLHF decodes that way; so do many inference scripts):
 * - Qwen / Qwen2.5-VL (ChatML): `<|im_end|>`, `<|endoftext|>` (also Qwen's pad token);
 * - Llama 3: `<|eot_id|>`, `<|eom_id|>`, `<|end_of_text|>`;
 * - Gemma: `<end_of_turn>`, `<eos>`, `<pad>`;
 * - Llama 2 / Mistral and other SentencePiece models: `</s>`;
 * - Phi-3: `<|end|>`;
 * - DeepSeek-V2/V3/R1: `<｜end▁of▁sentence｜>` (full-width bars, U+2581 between words).
 */
export const DEFAULT_END_TOKENS: readonly string[] = Object.freeze([
  '<|im_end|>',
  '<|endoftext|>',
  '<|eot_id|>',
  '<|eom_id|>',
  '<|end_of_text|>',
  '<end_of_turn>',
  '<eos>',
  '<pad>',
  '</s>',
  '<|end|>',
  '<｜end▁of▁sentence｜>',
]);

/** Options of {@link stripEndTokens}. */
export interface StripEndTokensOptions {
  /** The tokens to remove, replacing {@link DEFAULT_END_TOKENS}. Each must be a non-empty string. */
  tokens?: readonly string[] | undefined;
  /** Tokens removed as well as `tokens` (or the defaults), e.g. a model's own pad token. */
  extraTokens?: readonly string[] | undefined;
}

const isWhitespace = (code: number): boolean =>
  code === 32 || (code >= 9 && code <= 13) || (code > 127 && /\s/.test(String.fromCharCode(code)));

// Longest first, so that where one token ends with another the longer one is removed whole.
const byLengthDescending = (tokens: readonly string[]): readonly string[] => [...tokens].sort((a, b) => b.length - a.length);
const DEFAULT_SORTED = byLengthDescending(DEFAULT_END_TOKENS);

function tokenList(options: StripEndTokensOptions | undefined): readonly string[] {
  if (options?.tokens === undefined && options?.extraTokens === undefined) return DEFAULT_SORTED;
  const check = (field: string, list: readonly string[] | undefined): readonly string[] => {
    if (list === undefined) return [];
    if (!Array.isArray(list)) throw new OptionsError('stripEndTokens', `options.${field}`, 'must be an array of strings');
    list.forEach((token: unknown, i) => {
      if (typeof token !== 'string' || token.length === 0) {
        throw new OptionsError('stripEndTokens', `options.${field}[${i}]`, `must be a non-empty string, got ${JSON.stringify(token)}`);
      }
    });
    return list;
  };
  const base = options.tokens === undefined ? DEFAULT_END_TOKENS : check('tokens', options.tokens);
  return byLengthDescending([...base, ...check('extraTokens', options.extraTokens)]);
}

/**
 * Removes the trailing run of end-of-turn / end-of-text / padding tokens from a decoded completion, so that a
 * completion decoded with special tokens scores as the clean text would. The run may repeat tokens
 * (`<|im_end|><|endoftext|><|endoftext|>`) and hold whitespace between or after them; all of it goes. Text
 * before the run, whitespace included, is kept as it was (what `skip_special_tokens=True` decoding gives, less
 * whitespace after the last token), and a token in the middle of the text is left alone. Text without such a
 * run comes back unchanged.
 *
 * The pure rewards (`formatReward`, `refuseIoU`, …) never call this: they stay exact to the reference, which
 * scores `…</correction><|im_end|>` as format 0. The CLI, the server and the Python shims apply it by default.
 *
 * @example
 * stripEndTokens('<think>a</think><answer>1 to 2</answer><correction>NIL</correction><|im_end|>'); // => '<think>a</think><answer>1 to 2</answer><correction>NIL</correction>'
 * stripEndTokens('ok\n<|eot_id|>\n<|end_of_text|>'); // => 'ok\n'
 * stripEndTokens('a <|im_end|> b'); // => 'a <|im_end|> b'
 * stripEndTokens('done[EOS]', { extraTokens: ['[EOS]'] }); // => 'done'
 */
export function stripEndTokens(completion: string, options?: StripEndTokensOptions): string {
  const tokens = tokenList(options);
  if (typeof completion !== 'string') return completion;
  let keep = completion.length;
  let end = keep;
  for (;;) {
    let at = end;
    while (at > 0 && isWhitespace(completion.charCodeAt(at - 1))) at--;
    const token = tokens.find((t) => t.length <= at && completion.endsWith(t, at));
    if (token === undefined) break;
    end = at - token.length;
    keep = end;
  }
  return keep === completion.length ? completion : completion.slice(0, keep);
}
