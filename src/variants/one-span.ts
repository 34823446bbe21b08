import type { Span } from '../types.js';

/**
 * A descriptor's `readSpans` from a parser that reads at most one span: its span as a list, empty when it reads
 * none.
 *
 * @example
 * oneSpan((text) => (text === '' ? null : [1, 2]))('x'); // => [[1, 2]]
 * oneSpan(() => null)('x'); // => []
 */
export function oneSpan(parse: (completion: string) => Span | null): (completion: string) => Span[] {
  return (completion) => {
    const span = parse(completion);
    return span === null ? [] : [span];
  };
}
