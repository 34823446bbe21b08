/**
 * A text as trainers log it: a string, or a chat (TRL's conversational prompts and completions), whose last
 * message's content is the text; `undefined` for anything else. The audit and the playground's rollouts reader
 * both read logged completions through it.
 *
 * @example
 * loggedText('<answer>1 to 2</answer>'); // => '<answer>1 to 2</answer>'
 * loggedText([{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }]); // => 'a'
 * loggedText(42); // => undefined
 */
export function loggedText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const last = value[value.length - 1] as { content?: unknown } | undefined;
    if (last !== undefined && typeof last.content === 'string') return last.content;
  }
  return undefined;
}
