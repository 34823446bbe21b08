// How a completion looks in each method's own output format. The benchmark renders one intended answer
// (a span, a refusal) in the format each variant's policy is prompted for, so that no variant loses
// reward only because it was shown another method's tags.
import { OUTPUT_STYLES } from '../variants/registry.js';
import type { BaseLayout, OutputStyle } from '../variants/types.js';
import type { Span } from '../types.js';

/**
 * The id of an output style (`OutputStyle.id` of the variants layer): how a method's policy is prompted to
 * write. The base layouts are written directly; the others are derived from one of them by the style:
 * `ra-rft`, `r1`, `tvg-r1`, `plain`, then `museg`, `temporal-r1`, `taro`, `open-o3-video`, `timesearch-r`
 * (src/variants/styles.ts).
 */
export type OutputFormat = string;

/** The formats hacks and completions are written in directly. */
export type BaseFormat = BaseLayout;

/** Every base layout. */
export const BASE_FORMATS: readonly BaseFormat[] = ['ra-rft', 'r1', 'tvg-r1', 'plain'];

/** Every built-in output style id, in registry order. */
export const OUTPUT_FORMATS: readonly OutputFormat[] = OUTPUT_STYLES.map((style) => style.id);

/**
 * An `r1` completion rewritten in a derived built-in style (its `derive`): MUSEG's `S-E` with the Python `str`
 * of each timestamp cited in `<think>`, Temporal-R1's JSON, TaRO's `Ss to Es`, Open-o3 Video's `<t>`, TimeSearch-R's JSON.
 *
 * @example
 * deriveFromR1('museg', '<think>ok</think>\n<answer>3 to 9.5</answer>'); // => '<think>ok Seen at 3.0 and 9.5.</think>\n<answer>3-9.5</answer>'
 * deriveFromR1('temporal-r1', '<think>ok</think>\n<answer>3 to 9.5</answer>'); // => '<think>ok</think>\n<answer>{"start_time": "3", "end_time": "9.5"}</answer>'
 */
export function deriveFromR1(format: OutputFormat, r1: string): string {
  const style = OUTPUT_STYLES.find((candidate) => candidate.id === format);
  return style?.derive === undefined ? r1 : style.derive(r1);
}

/**
 * One text per output style: `render` for the base layouts, every other style derived from its base's text
 * (`null` where the base has none). `styles` defaults to the built-in ones; a third-party variant's own
 * style can be added.
 */
export function renderFormats(render: (format: BaseFormat) => string | null, styles: readonly OutputStyle[] = OUTPUT_STYLES): Record<OutputFormat, string | null> {
  const base = Object.fromEntries(BASE_FORMATS.map((format) => [format, render(format)])) as Record<BaseFormat, string | null>;
  const texts: Record<OutputFormat, string | null> = { ...base };
  for (const style of styles) {
    if (style.id in texts) continue;
    const text = base[style.base];
    texts[style.id] = text === null ? null : style.derive === undefined ? text : style.derive(text);
  }
  return texts;
}

/**
 * Ways of writing a span: `to` (`12.5 to 17.8`, the RA-RFT / Time-R1 prompt's), `seconds` (`12.5s to 17.8s`),
 * `dash` (`12.5 - 17.8`), `brackets` (`[12.5, 17.8]`), `clock` (`00:12.50 to 00:17.80`), `fullwidth`
 * (`１２.５ to １７.８`, digits Python's `\d` accepts) and `words` (`twelve to eighteen seconds`, whole seconds).
 */
export type SpanNotation = 'to' | 'seconds' | 'dash' | 'brackets' | 'clock' | 'fullwidth' | 'words';

/** Seconds with at most two decimals, as models write them: `9.3`, `14`, `0.25`. */
export function writeSeconds(seconds: number): string {
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
  const [start, end] = [writeSeconds(span[0]), writeSeconds(span[1])];
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
export function spanAnswer(format: BaseFormat, span: Span): string {
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
export function assemble(format: BaseFormat, parts: CompletionParts): string {
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
export function defectsOf(format: BaseFormat): readonly FormatDefect[] {
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
export function assembleWithDefect(format: BaseFormat, parts: CompletionParts, defect: FormatDefect): string {
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
