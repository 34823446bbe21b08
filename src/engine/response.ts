/**
 * The assistant headers of common chat templates: the text that opens the model's turn, after which the
 * response starts.
 * - ChatML (Qwen, Qwen2.5-VL, Yi…): `<|im_start|>assistant\n`;
 * - Llama 3: `<|start_header_id|>assistant<|end_header_id|>\n\n`;
 * - Gemma: `<start_of_turn>model\n`;
 * - Phi-3: `<|assistant|>\n`;
 * - DeepSeek-V2/V3/R1: `<｜Assistant｜>`;
 * - Llama 2 / Mistral: `[/INST]`.
 */
export const ASSISTANT_HEADERS: readonly string[] = Object.freeze([
  '<|im_start|>assistant\n',
  '<|start_header_id|>assistant<|end_header_id|>\n\n',
  '<start_of_turn>model\n',
  '<|assistant|>\n',
  '<｜Assistant｜>',
  '[/INST]',
]);

/** How {@link responseOf} found the response. */
export type ResponseCut = 'header' | 'prefix' | 'last-header' | 'none';

function countOf(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) count++;
  return count;
}

/** Index just past the `n`-th (1-based) occurrence of `needle` in `text`, or -1. */
function afterOccurrence(text: string, needle: string, n: number): number {
  let at = -1;
  for (let k = 0; k < n; k++) {
    at = text.indexOf(needle, at === -1 ? 0 : at + needle.length);
    if (at === -1) return -1;
  }
  return at + needle.length;
}

/**
 * The response text of an OpenRLHF query (`query = prompt + response`, decoded with special tokens), robust to
 * VLM prompt expansion: in the decoded query the prompt's one `<|video_pad|>` / `<|image_pad|>` is a run of
 * hundreds, so the query no longer starts with the prompt text.
 *
 * 1. `header`: the prompt holds k assistant headers (usually 1, at its end); the response starts after the k-th
 *    assistant header of the query, less any text the prompt put after its last header (a prefilled `<think>`).
 *    Pad expansion does not move headers, and a header the model wrote in its own response does not count.
 * 2. `prefix`: else, when the query starts with the prompt, what follows it.
 * 3. `last-header`: else (no prompt given, or a prompt without a header that is not a prefix), after the last
 *    assistant header of the query.
 * 4. `none`: else the whole query.
 *
 * @example
 * const prompt = '<|im_start|>user\n<|vision_start|><|video_pad|><|vision_end|>When?<|im_end|>\n<|im_start|>assistant\n';
 * const query = prompt.replace('<|video_pad|>', '<|video_pad|>'.repeat(300)) + '<think>a</think><|im_end|>';
 * responseOf(query, prompt); // => { text: '<think>a</think><|im_end|>', cut: 'header' }
 * responseOf('Q: when? A: 1 to 2', 'Q: when? A:'); // => { text: ' 1 to 2', cut: 'prefix' }
 */
export function responseOf(query: string, prompt: string | undefined): { text: string; cut: ResponseCut } {
  if (prompt !== undefined) {
    for (const header of ASSISTANT_HEADERS) {
      const inPrompt = countOf(prompt, header);
      if (inPrompt === 0) continue;
      const start = afterOccurrence(query, header, inPrompt);
      if (start === -1) continue;
      // Text the prompt put after its last header (a prefilled `<think>`) is the prompt's, not the response's.
      const prefilled = prompt.slice(afterOccurrence(prompt, header, inPrompt));
      const text = query.slice(start);
      return { text: prefilled !== '' && text.startsWith(prefilled) ? text.slice(prefilled.length) : text, cut: 'header' };
    }
    if (query.startsWith(prompt)) return { text: query.slice(prompt.length), cut: 'prefix' };
  }
  let best = -1;
  for (const header of ASSISTANT_HEADERS) {
    const at = query.lastIndexOf(header);
    if (at !== -1 && at + header.length > best) best = at + header.length;
  }
  return best === -1 ? { text: query, cut: 'none' } : { text: query.slice(best), cut: 'last-header' };
}
