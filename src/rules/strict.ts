// The `strict` profile's parsing rules, shared by its format, refuseIoU, explain and correction rewards.
// Each rule closes one weakness of the reference listed in REWARDS.md; docs/strict.md shows a completion
// that the reference rewards and `strict` does not, for every rule.
import { isStrictFormat } from '../internal/format-checks.js';
import { distanceWeightedIoU } from '../internal/iou.js';
import { pyFloatOfDigits, pyStrip } from '../internal/python-text.js';
import type { RaRftTarget, Span } from '../types.js';
import type { AnswerKind, ProfileRules } from './types.js';

/**
 * Content of the single `<tag>…</tag>` block, stripped, or `null` when the tag is missing, repeated
 * (hedging with several answers), unterminated, or opened inside `<think>` (before the last `</think>`).
 */
export function strictTagContent(text: string, open: string, close: string): string | null {
  const openAt = text.indexOf(open);
  if (openAt < 0) return null;
  const closeAt = text.indexOf(close, openAt + open.length);
  if (closeAt < 0) return null;
  if (text.indexOf(open, openAt + open.length) >= 0 || text.indexOf(close, closeAt + close.length) >= 0) return null;
  if (text.indexOf(close) !== closeAt) return null;
  const thinkEnd = text.lastIndexOf('</think>');
  if (thinkEnd >= 0 && openAt < thinkEnd) return null;
  return pyStrip(text.slice(openAt + open.length, closeAt));
}

// A timestamp: seconds with optional decimals, or a clock time (MM:SS, HH:MM:SS, optional decimals), in
// any script's decimal digits (as Python's `\d`, so `８.８７ to １３.５` is a span, as the reference reads it).
// Quantifiers are bounded so the scan stays linear on adversarial text. ASCII text, the common case, takes
// a regex with ASCII digit classes, several times faster than `\p{Nd}`.
function spanPattern(digit: string): RegExp {
  const time = String.raw`(${digit}{1,3}(?::${digit}{1,2}){1,2}(?:\.${digit}{1,6})?|${digit}{1,7}(?:\.${digit}{1,6})?)`;
  const unit = String.raw`(?:\s{0,3}(?:seconds?|secs?|s)(?![\p{L}\p{Nd}]))?`;
  const separator = String.raw`\s{0,3}(?:to|until|till|through|and|-|–|—|~)\s{0,3}`;
  return new RegExp(
    String.raw`(?<![\p{Nd}.:])(?:${time}${unit}${separator}${time}${unit}|[\[(]\s{0,3}${time}${unit}\s{0,3},\s{0,3}${time}${unit}\s{0,3}[\])])(?![\p{Nd}:])`,
    'giu',
  );
}
const ASCII_SPAN = spanPattern('[0-9]');
const UNICODE_SPAN = spanPattern(String.raw`\p{Nd}`);
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;

/** Seconds of a strict-grammar timestamp (`12.5`, `00:12`, `1:02:03.5`, `１３.５`). */
export function strictSeconds(token: string): number {
  let seconds = 0;
  for (const part of token.split(':')) seconds = seconds * 60 + pyFloatOfDigits(part);
  return seconds;
}

/**
 * The spans written in `text` under the strict grammar, at most `limit` of them: `12.5 to 17.8`,
 * `12.5s to 17.8s`, `12.5 - 17.8`, `[12.5, 17.8]`, `00:12 to 00:17`, `from 3 until 5 seconds`…
 *
 * @example
 * parseStrictSpans('from 00:12 to 00:17.5'); // => [[12, 17.5]]
 * parseStrictSpans('[12.5, 17.8] or 20 - 25', 2); // => [[12.5, 17.8], [20, 25]]
 */
export function parseStrictSpans(text: string, limit = Infinity): [number, number][] {
  const spans: [number, number][] = [];
  const pattern = NON_ASCII.test(text) ? UNICODE_SPAN : ASCII_SPAN;
  pattern.lastIndex = 0;
  let match: RegExpExecArray | null;
  while (spans.length < limit && (match = pattern.exec(text)) !== null) {
    const start = match[1] ?? match[3] ?? '';
    const end = match[2] ?? match[4] ?? '';
    spans.push([strictSeconds(start), strictSeconds(end)]);
  }
  return spans;
}

/** A correction counts as "no correction needed" only when it is exactly `NIL` (any case, optional period). */
export function isStrictNil(correction: string): boolean {
  return /^nil\.?$/i.test(correction);
}

/** Counts words (runs of letters) in `text`, stopping at `limit`. */
export function countWords(text: string, limit: number): number {
  const words = /\p{L}[\p{L}\p{M}'’-]*/gu;
  let count = 0;
  while (count < limit && words.exec(text) !== null) count++;
  return count;
}

/** Default minimum words of a `strict` refusal: an empty or one-word answer is no explanation. */
export const STRICT_MIN_REFUSAL_WORDS = 3;



/**
 * The stable names of the strict rules, in the order of the rules table of docs/strict.md (its `id`
 * column): a playground or a report can name the rule that decided a score.
 *
 * @example
 * STRICT_RULES.map((rule) => rule.id).slice(0, 3); // => ['single-answer', 'worded-refusal', 'span-notations']
 */
export const STRICT_RULES = [
  { id: 'single-answer', part: 'answer extraction', rule: 'the single <answer> block, opened after </think>' },
  { id: 'worded-refusal', part: 'refusal', rule: 'no span in any notation and at least minRefusalWords words' },
  { id: 'span-notations', part: 'span parsing', rule: 'spans in every common notation and digit script; exactly one span' },
  { id: 'clamped-span-score', part: 'span score', rule: 'span and gold span clamped to [0, D], reward clamped to [0, 1], reversed span 0' },
  { id: 'whole-nil', part: 'NIL', rule: 'the whole correction is NIL (any case, optional period)' },
  { id: 'empty-correction', part: 'correction', rule: 'an empty correction earns 0' },
  { id: 'exact-format', part: 'format', rule: 'each of the six tags exactly once, in order, only whitespace between the blocks' },
  { id: 'hollow-structure', part: 'format', rule: 'each block holds a letter or a digit: no empty think, answer or correction' },
  { id: 'prefilled-think', part: 'prefilled <think>', rule: 'thinkPrefilled: true prepends <think> before checking (any profile)' },
] as const;

/** One of {@link STRICT_RULES}' ids. */
export type StrictRuleId = (typeof STRICT_RULES)[number]['id'];

function classify(answer: string, minRefusalWords: number): AnswerKind {
  const spans = parseStrictSpans(answer, 2).length;
  if (spans === 1) return 'span';
  return spans === 0 && countWords(answer, minRefusalWords) >= minRefusalWords ? 'refusal' : 'none';
}

function refuseIoU(completion: string, target: RaRftTarget, minRefusalWords: number): number {
  const answer = strictAnswer(completion);
  if (answer === null) return 0;
  const spans = parseStrictSpans(answer, 2);
  if (!target.relevant) return spans.length === 0 && countWords(answer, minRefusalWords) >= minRefusalWords ? 1 : 0;
  const [span] = spans;
  if (span === undefined || spans.length > 1 || span[0] > span[1]) return 0;
  const duration = target.duration as number;
  // Both spans are cut to the video: a prediction past the end means "until the end", and annotations that
  // run past the stated duration (some TVGBench items) are cut the same way, so no overshoot can beat them.
  const clamp = ([start, end]: Span): Span => [Math.min(Math.max(start, 0), duration), Math.min(Math.max(end, 0), duration)];
  return Math.min(1, Math.max(0, distanceWeightedIoU(clamp(span), clamp(target.span as Span), duration)));
}

function strictAnswer(completion: string): string | null {
  return strictTagContent(completion, '<answer>', '</answer>');
}

/** The `strict` rules ({@link STRICT_RULES}, docs/strict.md): the reference's loopholes closed. */
export const strictRules: ProfileRules = {
  profile: 'strict',
  isFormat: isStrictFormat,
  answer: strictAnswer,
  correction: (completion) => strictTagContent(completion, '<correction>', '</correction>'),
  span: (answer) => {
    const spans = parseStrictSpans(answer, 2);
    return spans.length === 1 ? (spans[0] as Span) : null;
  },
  classify,
  refuseIoU,
  isNil: isStrictNil,
  comparesCorrection: (correction) => correction !== '',
  minRefusalWords: STRICT_MIN_REFUSAL_WORDS,
};
