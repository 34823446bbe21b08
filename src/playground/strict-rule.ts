// Which rule of docs/strict.md makes `strict` score a completion differently from `ra-rft`. The library's
// rewards report numbers, not reasons, so this helper re-derives the reason from the exported strict
// functions (parseStrictSpans, isStrictNil, STRICT_MIN_REFUSAL_WORDS, parseRaRftSpan, formatReward) and
// the two profiles' part values. Pure; used by the playground's one-completion panel.
import { STRICT_RULES as LIBRARY_RULES, STRICT_MIN_REFUSAL_WORDS, type StrictRuleId, isStrictNil, parseRaRftSpan, parseStrictSpans } from '../index.js';
import type { RaRftTarget } from '../types.js';
import { readBlocks } from './blocks.js';

/**
 * The rules of docs/strict.md, by number, with the "Part" names of its table; each rule's stable id comes from
 * the library's own `STRICT_RULES` (the same order), so the two cannot drift apart.
 */
export const STRICT_RULE_PARTS = {
  1: 'answer extraction',
  2: 'refusal (irrelevant target)',
  3: 'span parsing',
  4: 'span score (relevant target)',
  5: 'NIL',
  6: 'correction (irrelevant target)',
  7: 'format',
  8: 'format',
  9: 'prefilled <think>',
} as const;

/** A rule number of docs/strict.md. */
export type StrictRuleNumber = keyof typeof STRICT_RULE_PARTS;

/** The stable id of rule `n` (`single-answer`, `worded-refusal`, …). */
export function strictRuleId(n: StrictRuleNumber): StrictRuleId {
  const rule = LIBRARY_RULES[n - 1];
  if (rule === undefined) throw new Error(`strict rule ${n} is not in STRICT_RULES`);
  return rule.id;
}

/** The parts the two profiles score. */
export type ProfilePart = 'format' | 'refuseIoU' | 'explain' | 'correction';

/** One reason the two profiles differ on one part. */
export interface StrictRuleFired {
  part: ProfilePart;
  rule: StrictRuleNumber;
  /** The rule's stable id in docs/strict.md and `STRICT_RULES`. */
  id: StrictRuleId;
  /** The part it belongs to, as docs/strict.md's table names it. */
  name: (typeof STRICT_RULE_PARTS)[StrictRuleNumber];
  /** What in this completion triggered the rule. */
  detail: string;
}

/** Part values of one profile (as `raRftReward` returns them). */
export type PartValues = Record<ProfilePart, number>;

const PARTS: readonly ProfilePart[] = ['format', 'refuseIoU', 'explain', 'correction'];

function fired(part: ProfilePart, rule: StrictRuleNumber, detail: string): StrictRuleFired {
  return { part, rule, id: strictRuleId(rule), name: STRICT_RULE_PARTS[rule], detail };
}

function words(text: string): number {
  return (text.match(/\p{L}[\p{L}\p{M}'’-]*/gu) ?? []).length;
}

function sameSpan(a: readonly [number, number] | null, b: readonly [number, number] | undefined): boolean {
  return a !== null && b !== undefined && a[0] === b[0] && a[1] === b[1];
}

function refuseIoURule(answer: string, target: RaRftTarget): StrictRuleFired {
  const reference = parseRaRftSpan(answer);
  const strict = parseStrictSpans(answer, 2);
  if (!target.relevant) {
    if (reference === null && strict.length > 0) return fired('refuseIoU', 3, `the answer holds a span in another notation (${strict[0]?.join(' to ')}), so it is no refusal`);
    if (reference === null && words(answer) < STRICT_MIN_REFUSAL_WORDS) {
      return fired('refuseIoU', 2, `a refusal needs at least ${STRICT_MIN_REFUSAL_WORDS} words; this answer has ${words(answer)}`);
    }
    return fired('refuseIoU', 3, 'the two span parsers read the answer differently');
  }
  if (strict.length > 1) return fired('refuseIoU', 3, 'more than one span in a relevant answer');
  if (!sameSpan(reference, strict[0])) {
    const seen = strict[0] === undefined ? 'no span' : `${strict[0].join(' to ')}`;
    return fired('refuseIoU', 3, `the reference parser reads ${reference === null ? 'no span' : reference.join(' to ')}, strict reads ${seen}`);
  }
  return fired('refuseIoU', 4, 'the span or the gold span reaches past the video, or the score is outside [0, 1]: strict clamps');
}

function correctionRule(completion: string, target: RaRftTarget): StrictRuleFired {
  const { reference: { correction: reference }, strict: { correction: strict } } = readBlocks(completion);
  if (reference?.content !== strict?.content) return fired('correction', 1, 'strict reads a single <correction> block after </think>; the reference the last one');
  const text = strict?.content ?? '';
  if (text.toUpperCase().includes('NIL') !== isStrictNil(text)) return fired('correction', 5, `"${text.length > 40 ? `${text.slice(0, 40)}…` : text}" contains NIL but is not NIL`);
  if (!target.relevant && text === '') return fired('correction', 6, 'an empty correction earns 0 under strict');
  return fired('correction', 5, 'the NIL check differs');
}

const hasLetterOrDigit = (text: string) => /[\p{L}\p{N}]/u.test(text);

/** Rule 8 when strict reads every block but one of them holds no letter or digit. */
function hollowBlock(completion: string, blocks: ReturnType<typeof readBlocks>): StrictRuleFired | null {
  const { answer, correction } = blocks.strict;
  const think = /<think>([^]*?)<\/think>/.exec(completion)?.[1];
  if (think === undefined || answer === null || correction === null) return null;
  const contents = { think, answer: answer.content, correction: correction.content };
  const hollow = (['think', 'answer', 'correction'] as const).filter((name) => !hasLetterOrDigit(contents[name]));
  return hollow.length === 0 ? null : fired('format', 8, `the ${hollow.join(', ')} block${hollow.length > 1 ? 's hold' : ' holds'} no letter or digit`);
}

/**
 * The docs/strict.md rules that explain each part on which `strict` and `ra-rft` disagree (by more
 * than 1e-12), one per differing part; `[]` when they agree.
 *
 * @example
 * const target = { relevant: false, duration: 30, query: 'q' };
 * const ra = { format: 1, refuseIoU: 1, explain: 0, correction: 0 };
 * strictRulesFired('<think>t</think><answer>No.</answer><correction>q</correction>', target, ra, { ...ra, refuseIoU: 0 }).map((r) => r.rule); // => [2]
 */
export function strictRulesFired(completion: string, target: RaRftTarget, reference: PartValues, strict: PartValues): StrictRuleFired[] {
  const out: StrictRuleFired[] = [];
  const blocks = readBlocks(completion);
  const referenceAnswer = blocks.reference.answer;
  const strictAnswer = blocks.strict.answer;
  const extractionDiffers = referenceAnswer?.content !== strictAnswer?.content;
  for (const part of PARTS) {
    if (Math.abs(reference[part] - strict[part]) <= 1e-12) continue;
    if (part === 'format') out.push(hollowBlock(completion, blocks) ?? fired(part, 7, 'strict wants each of the six tags once, in order, only whitespace between the blocks'));
    else if (part === 'correction') out.push(correctionRule(completion, target));
    else if (extractionDiffers) {
      const why = strictAnswer === null ? 'strict finds no single <answer> block after </think> (several, unterminated, or inside <think>)' : 'the two profiles read different <answer> blocks';
      out.push(fired(part, 1, why));
    } else if (part === 'refuseIoU' && strictAnswer !== null) out.push(refuseIoURule(strictAnswer.content, target));
    else out.push(fired(part, 1, 'the answer blocks differ'));
  }
  return out;
}
