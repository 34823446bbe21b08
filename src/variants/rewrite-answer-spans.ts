// A span as the `to` notation writes it: plain numbers (no clock, no unit) around ` to `.
const TO_SPAN = /(?<![\d.:])(\d+(?:\.\d+)?) to (\d+(?:\.\d+)?)(?![\d:])/g;

/**
 * Rewrites every `S to E` span inside the `<answer>` blocks of an `r1`-style completion with `write(S, E)`
 * (the numbers as written); with `cite`, the text `cite(S, E)` of each rewritten span is added once at the
 * end of `<think>` (methods whose reasoning must quote the timestamps). Other text, refusals included, is
 * kept. The output styles of the built-in variants are made with it.
 *
 * @example
 * rewriteAnswerSpans('<think>ok</think>\n<answer>3 to 9.5</answer>', (s, e) => `${s}s to ${e}s`); // => '<think>ok</think>\n<answer>3s to 9.5s</answer>'
 * rewriteAnswerSpans('<think>ok</think><answer>3 to 9.5</answer>', (s, e) => `${s}-${e}`, (s, e) => `${s} and ${e}`); // => '<think>ok Seen at 3 and 9.5.</think><answer>3-9.5</answer>'
 */
export function rewriteAnswerSpans(text: string, write: (start: string, end: string) => string, cite?: (start: string, end: string) => string): string {
  const cited: string[] = [];
  const rewritten = text.replace(/<answer>([^]*?)<\/answer>/g, (_block, answer: string) => {
    const body = answer.replace(TO_SPAN, (_span, start: string, end: string) => {
      if (cite !== undefined) cited.push(cite(start, end));
      return write(start, end);
    });
    return `<answer>${body}</answer>`;
  });
  if (cited.length === 0) return rewritten;
  const thinkEnd = rewritten.indexOf('</think>');
  return thinkEnd < 0 ? rewritten : `${rewritten.slice(0, thinkEnd)} Seen at ${cited.join(', ')}.${rewritten.slice(thinkEnd)}`;
}
