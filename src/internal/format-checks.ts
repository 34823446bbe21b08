// Linear-time equivalents of the reference format regexes. Lazy `.*?` under `re.fullmatch` only asks
// whether SOME split of the text fits, so taking the earliest occurrence of each delimiter is exact.
import { countOccurrences, hasAt } from './tags.js';
import { PY_SPACE_CLASS, isPySpace, pyStrip, skipPySpace } from './python-text.js';

/** A `close \s* open` joint between two blocks, as a global regex (Python's `\s`). */
export type Joint = RegExp;

function joint(close: string, open: string): Joint {
  return new RegExp(`${close.replace('/', '\\/')}${PY_SPACE_CLASS}*${open}`, 'g');
}

/** `</think>\s*<answer>` */
export const THINK_ANSWER_JOINT = joint('</think>', '<answer>');
/** `</answer>\s*<correction>` */
export const ANSWER_CORRECTION_JOINT = joint('</answer>', '<correction>');

/**
 * Earliest end of the joint at or after `from`, or -1. One native scan: V8 skips to each `<`, and a
 * failed joint backs off only over its whitespace run, so this is linear.
 */
export function endOfJoint(text: string, from: number, joint: Joint): number {
  joint.lastIndex = from;
  return joint.test(text) ? joint.lastIndex : -1;
}

/**
 * `re.fullmatch(r"<think>.*?</think>\s*<answer>.*?</answer>[\s*<correction>.*?</correction>]", text.strip(), re.DOTALL)`
 * with `closing` = `</correction>` (RA-RFT) or `</answer>` (R1). Works on the strip bounds, without copying.
 */
function isThinkAnswerFormat(text: string, withCorrection: boolean): boolean {
  let start = 0;
  let end = text.length;
  while (start < end && isPySpace(text.charCodeAt(start))) start++;
  while (end > start && isPySpace(text.charCodeAt(end - 1))) end--;
  const closing = withCorrection ? '</correction>' : '</answer>';
  const limit = end - closing.length;
  if (limit < start || !hasAt(text, start, '<think>') || !text.endsWith(closing, end)) return false;
  const answerOpenEnd = endOfJoint(text, start + '<think>'.length, THINK_ANSWER_JOINT);
  if (answerOpenEnd < 0 || answerOpenEnd > limit) return false;
  if (!withCorrection) return true;
  const correctionOpenEnd = endOfJoint(text, answerOpenEnd, ANSWER_CORRECTION_JOINT);
  return correctionOpenEnd >= 0 && correctionOpenEnd <= limit;
}

/** `re.fullmatch(r"<think>.*?</think>\s*<answer>.*?</answer>\s*<correction>.*?</correction>", text.strip(), re.DOTALL)` */
export function isRaRftFormat(completion: string): boolean {
  return isThinkAnswerFormat(completion, true);
}

/** `re.fullmatch(r"<think>.*?</think>\s*<answer>.*?</answer>", text.strip(), re.DOTALL)` (DeepSeek-R1 / Time-R1). */
export function isR1Format(completion: string): boolean {
  return isThinkAnswerFormat(completion, false);
}

/** `re.fullmatch(r"<think>.*</think>.*<time>.*</time>.*", text, re.DOTALL)`, no strip (TVG-R1). */
export function isTvgR1Format(completion: string): boolean {
  if (!completion.startsWith('<think>')) return false;
  const thinkClose = completion.indexOf('</think>', '<think>'.length);
  if (thinkClose < 0) return false;
  const timeOpen = completion.indexOf('<time>', thinkClose + '</think>'.length);
  return timeOpen >= 0 && completion.indexOf('</time>', timeOpen + '<time>'.length) >= 0;
}

const STRICT_TAGS = ['<think>', '</think>', '<answer>', '</answer>', '<correction>', '</correction>'] as const;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** Does `text.slice(start, end)` hold a letter or a digit? ASCII is checked without a regex. */
function hasContent(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if ((code >= 0x30 && code <= 0x39) || ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a)) return true;
    if (code > 0x7f && LETTER_OR_DIGIT.test(text.slice(i, i + 2))) return true;
  }
  return false;
}

/**
 * The strict format: exactly one of each tag, in order `<think>…</think> <answer>…</answer>
 * <correction>…</correction>`, only whitespace between the blocks and around them, and no hollow block:
 * each of the three holds at least one letter or digit (an empty `<think></think>`, `<answer> </answer>`
 * or `<correction>…</correction>` of punctuation only is structure without content).
 */
export function isStrictFormat(completion: string): boolean {
  const text = pyStrip(completion);
  let cursor = 0;
  for (let k = 0; k < STRICT_TAGS.length; k++) {
    const tag = STRICT_TAGS[k] as string;
    if (countOccurrences(text, tag, 2) !== 1) return false;
    const at = text.indexOf(tag);
    if (at < cursor) return false;
    // Opening tags of the 2nd and 3rd blocks must follow the previous block after whitespace only.
    if (k % 2 === 0 && skipPySpace(text, cursor) !== at) return false;
    // A closing tag ends a block that must hold content.
    if (k % 2 === 1 && !hasContent(text, cursor, at)) return false;
    cursor = at + tag.length;
  }
  return cursor === text.length;
}
