import { StringDecoder } from 'node:string_decoder';

/**
 * The lines of a JSONL stream, split on `\n` only (a `\r\n` ending loses its `\r`; a lone `\r` stays inside its
 * line: JSON allows it only as whitespace, and inside strings it is escaped). A UTF-8 byte-order mark at the start
 * is dropped. A multi-byte character split across chunks is decoded whole, and a long line costs time linear in
 * its length (each chunk is searched once). Stream errors are thrown to the caller.
 */
export async function* jsonLines(source: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let parts: string[] = [];
  let atStart = true;
  const finish = (last: string): string => {
    let line = parts.length === 0 ? last : parts.join('') + last;
    parts = [];
    if (line.endsWith('\r')) line = line.slice(0, -1);
    return line;
  };
  for await (const chunk of source) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (atStart && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      atStart = false;
    }
    let start = 0;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', start)) {
      yield finish(text.slice(start, at));
      start = at + 1;
    }
    if (start < text.length) parts.push(text.slice(start));
  }
  const tail = decoder.end();
  if (tail !== '') parts.push(tail);
  if (parts.length > 0) yield finish('');
}
