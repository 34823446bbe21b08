// How a completion looks in each method's own output format. The benchmark renders one intended answer
// (a span, a refusal) in the format each variant's policy is prompted for, so that no variant loses
// reward only because it was shown another method's tags.
import type { Span } from '../types.js';

/**
 * The completion layouts the built-in variants are trained on:
 * - `ra-rft`: `<think>…</think> <answer>12.5 to 17.8</answer> <correction>NIL</correction>` (RA-RFT, `strict`);
 * - `r1`: `<think>…</think> <answer>12.5 to 17.8</answer>` (Time-R1, TimeZero, VideoChat-R1);
 * - `tvg-r1`: `<think>…</think> <time>[12.5, 17.8]</time>` (TVG-R1);
 * - `plain`: a sentence without tags, `The event happens in 12.5 - 17.8 seconds.` (TimeLens, thinking-free).
 */
export type OutputFormat = 'ra-rft' | 'r1' | 'tvg-r1' | 'plain';

/** Every {@link OutputFormat}. */
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['ra-rft', 'r1', 'tvg-r1', 'plain'];

/**
 * Ways of writing a span: `to` (`12.5 to 17.8`, the RA-RFT / Time-R1 prompt's), `seconds` (`12.5s to 17.8s`),
 * `dash` (`12.5 - 17.8`), `brackets` (`[12.5, 17.8]`), `clock` (`00:12.50 to 00:17.80`), `fullwidth`
 * (`１２.５ to １７.８`, digits Python's `\d` accepts) and `words` (`twelve to eighteen seconds`, whole seconds).
 */
export type SpanNotation = 'to' | 'seconds' | 'dash' | 'brackets' | 'clock' | 'fullwidth' | 'words';

/** Seconds with at most two decimals, as models write them: `9.3`, `14`, `0.25`. */
export function formatSeconds(seconds: number): string {
  return String(Math.round(seconds * 100) / 100);
}

function clock(seconds: number): string {
  const centis = Math.round(seconds * 100);
  const minutes = Math.floor(centis / 6000);
  const rest = (centis - minutes * 6000) / 100;
  return `${String(minutes).padStart(2, '0')}:${rest.toFixed(2).padStart(5, '0')}`;
}

function fullwidth(text: string): string {
  return text.replace(/[0-9]/g, (digit) => String.fromCharCode(0xff10 + Number(digit)));
}

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** English words for a whole number of seconds below 10,000 (`127` → `one hundred twenty-seven`). */
export function numberWords(value: number): string {
  const n = Math.max(0, Math.round(value));
  if (n >= 10_000) return 'many thousand';
  if (n >= 1000) return `${ONES[Math.floor(n / 1000)]} thousand${n % 1000 === 0 ? '' : ` ${numberWords(n % 1000)}`}`;
  if (n >= 100) return `${ONES[Math.floor(n / 100)]} hundred${n % 100 === 0 ? '' : ` ${numberWords(n % 100)}`}`;
  if (n >= 20) return `${TENS[Math.floor(n / 10)]}${n % 10 === 0 ? '' : `-${ONES[n % 10]}`}`;
  return ONES[n] as string;
}

/**
 * A span in a notation.
 *
 * @example
 * writeSpan([9.3, 14.4], 'seconds'); // => '9.3s to 14.4s'
 * writeSpan([65, 70.5], 'clock'); // => '01:05.00 to 01:10.50'
 */
export function writeSpan(span: Span, notation: SpanNotation): string {
  const [start, end] = [formatSeconds(span[0]), formatSeconds(span[1])];
  switch (notation) {
    case 'to':
      return `${start} to ${end}`;
    case 'seconds':
      return `${start}s to ${end}s`;
    case 'dash':
      return `${start} - ${end}`;
    case 'brackets':
      return `[${start}, ${end}]`;
    case 'clock':
      return `${clock(span[0])} to ${clock(span[1])}`;
    case 'fullwidth':
      return fullwidth(`${start} to ${end}`);
    case 'words':
      return `${numberWords(span[0])} to ${numberWords(span[1])} seconds`;
  }
}

/** The answer text of a span in a format's own notation (`12.5 to 17.8`, `[12.5, 17.8]`, or TimeLens' sentence). */
export function spanAnswer(format: OutputFormat, span: Span): string {
  if (format === 'tvg-r1') return writeSpan(span, 'brackets');
  if (format === 'plain') return `The event happens in ${writeSpan(span, 'dash')} seconds.`;
  return writeSpan(span, 'to');
}

/** The three parts of a completion before layout. */
export interface CompletionParts {
  think: string;
  answer: string;
  /** Used by the `ra-rft` layout only. */
  correction: string;
}

/**
 * Lays the parts out in a format: `ra-rft` uses all three tags, `r1` drops the correction, `tvg-r1` puts
 * the answer in `<time>`, `plain` is the answer alone.
 *
 * @example
 * assemble('tvg-r1', { think: 'ok', answer: '[1, 2]', correction: 'NIL' }); // => '<think>ok</think> <time>[1, 2]</time>'
 */
export function assemble(format: OutputFormat, parts: CompletionParts): string {
  switch (format) {
    case 'ra-rft':
      return `<think>${parts.think}</think>\n<answer>${parts.answer}</answer>\n<correction>${parts.correction}</correction>`;
    case 'r1':
      return `<think>${parts.think}</think>\n<answer>${parts.answer}</answer>`;
    case 'tvg-r1':
      return `<think>${parts.think}</think> <time>${parts.answer}</time>`;
    case 'plain':
      return parts.answer;
  }
}

/**
 * Format errors a policy makes early in training; content otherwise right:
 * `missing-think`, `missing-correction` (RA-RFT layout only), `unclosed-answer`, `untagged` (prose, no
 * tags), `answer-before-think`.
 */
export type FormatDefect = 'missing-think' | 'missing-correction' | 'unclosed-answer' | 'untagged' | 'answer-before-think';

/** The defects that break a format. `plain` has no format rule: its format errors are the `ra-rft` ones. */
export function defectsOf(format: OutputFormat): readonly FormatDefect[] {
  return format === 'r1' || format === 'tvg-r1'
    ? ['missing-think', 'unclosed-answer', 'untagged', 'answer-before-think']
    : ['missing-think', 'missing-correction', 'unclosed-answer', 'untagged', 'answer-before-think'];
}

/**
 * The parts laid out with one format error. For `plain` (no format rule) the `ra-rft` layout is broken
 * instead: a TimeLens-style reward reads those texts too, and the benchmark shows what it makes of them.
 *
 * @example
 * assembleWithDefect('r1', { think: 't', answer: '1 to 2', correction: 'NIL' }, 'missing-think'); // => '<answer>1 to 2</answer>'
 */
export function assembleWithDefect(format: OutputFormat, parts: CompletionParts, defect: FormatDefect): string {
  const layout = format === 'plain' ? 'ra-rft' : format;
  const { think, answer, correction } = parts;
  const [open, close] = layout === 'tvg-r1' ? ['<time>', '</time>'] : ['<answer>', '</answer>'];
  const tail = layout === 'ra-rft' ? `\n<correction>${correction}</correction>` : '';
  const gap = layout === 'tvg-r1' ? ' ' : '\n';
  switch (defect) {
    case 'missing-think':
      return `${open}${answer}${close}${tail}`;
    case 'missing-correction':
      return layout === 'ra-rft' ? `<think>${think}</think>\n<answer>${answer}</answer>` : `${open}${answer}${close}`;
    case 'unclosed-answer':
      return `<think>${think}</think>${gap}${open}${answer}${tail}`;
    case 'untagged':
      return `${think} So the answer is: ${answer}`;
    case 'answer-before-think':
      return `${open}${answer}${close}${gap}<think>${think}</think>${tail}`;
  }
}
