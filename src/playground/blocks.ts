// Where each profile reads a completion's tag blocks, with character offsets, for the playground's parse
// view and its strict-rule explanation. It mirrors the two documented readings (docs/strict.md rule 1):
// the reference takes the LAST non-overlapping `<tag>…</tag>` block (Python `re.findall(…)[-1]`), strict the
// single block, opened after the last `</think>`. Display only: every reward on the page comes from the
// library itself.

/** One tag block: the offsets of its content (stripped) and the content. */
export interface Block {
  start: number;
  end: number;
  content: string;
}

/** A tag occurrence such as `<answer>` or `</think>`. */
export interface TagMark {
  start: number;
  end: number;
  tag: string;
}

/** The blocks each profile reads, and every tag in the text. */
export interface CompletionBlocks {
  reference: { answer: Block | null; correction: Block | null };
  strict: { answer: Block | null; correction: Block | null };
  tags: TagMark[];
}

const TAG = /<\/?(?:think|answer|correction|time)>/g;

function stripped(text: string, start: number, end: number): Block {
  while (start < end && /\s/.test(text.charAt(start))) start++;
  while (end > start && /\s/.test(text.charAt(end - 1))) end--;
  return { start, end, content: text.slice(start, end) };
}

function lastBlock(text: string, open: string, close: string): Block | null {
  let from = 0;
  let found: Block | null = null;
  for (;;) {
    const openAt = text.indexOf(open, from);
    if (openAt < 0) return found;
    const closeAt = text.indexOf(close, openAt + open.length);
    if (closeAt < 0) return found;
    found = stripped(text, openAt + open.length, closeAt);
    from = closeAt + close.length;
  }
}

function singleBlock(text: string, open: string, close: string): Block | null {
  const openAt = text.indexOf(open);
  if (openAt < 0) return null;
  const closeAt = text.indexOf(close, openAt + open.length);
  if (closeAt < 0 || text.indexOf(open, openAt + open.length) >= 0 || text.indexOf(close, closeAt + close.length) >= 0) return null;
  if (text.indexOf(close) !== closeAt) return null;
  const thinkEnd = text.lastIndexOf('</think>');
  if (thinkEnd >= 0 && openAt < thinkEnd) return null;
  return stripped(text, openAt + open.length, closeAt);
}

/**
 * The `<answer>` and `<correction>` blocks the reference and the strict profile read, and all tags.
 *
 * @example
 * const blocks = readBlocks('<think>t</think><answer>1 to 2</answer><answer>3 to 4</answer>');
 * [blocks.reference.answer?.content, blocks.strict.answer]; // => ['3 to 4', null]
 */
export function readBlocks(completion: string): CompletionBlocks {
  const tags: TagMark[] = [];
  for (const match of completion.matchAll(TAG)) tags.push({ start: match.index, end: match.index + match[0].length, tag: match[0] });
  return {
    reference: { answer: lastBlock(completion, '<answer>', '</answer>'), correction: lastBlock(completion, '<correction>', '</correction>') },
    strict: { answer: singleBlock(completion, '<answer>', '</answer>'), correction: singleBlock(completion, '<correction>', '</correction>') },
    tags,
  };
}
