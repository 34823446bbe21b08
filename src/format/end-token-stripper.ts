import { DEFAULT_END_TOKENS, stripEndTokens } from './strip-end-tokens.js';

/**
 * The normalizer the CLI and the server apply to completions: {@link stripEndTokens} with `tokens` (default
 * {@link DEFAULT_END_TOKENS}), or the identity for `false` (`--keep-end-tokens`).
 *
 * @example
 * endTokenStripper(undefined)('ok<|im_end|>'); // => 'ok'
 * endTokenStripper(false)('ok<|im_end|>'); // => 'ok<|im_end|>'
 */
export function endTokenStripper(tokens: readonly string[] | false | undefined): (completion: string) => string {
  if (tokens === false) return (completion) => completion;
  const list = tokens ?? DEFAULT_END_TOKENS;
  return (completion) => stripEndTokens(completion, { tokens: list });
}
