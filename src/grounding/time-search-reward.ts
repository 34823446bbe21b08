import { OptionsError } from '../errors.js';
import { isR1Format } from '../internal/format-checks.js';
import { parseTimeSearchSpan } from '../internal/parsers/parse-time-search-span.js';
import { isPySpace, pyStrip } from '../internal/python-text.js';
import { firstTagContent } from '../internal/tags.js';
import { assertTarget } from '../internal/validate.js';
import type { RaRftTarget, Span } from '../types.js';
import { timeSearchIoU } from './time-search-iou.js';

/** Options of {@link timeSearchReward}: its per-sample inputs. */
export interface TimeSearchRewardOptions {
  /**
   * The answer the model gave from the visual trace alone (the frames its tool calls fetched, without its
   * reasoning), which the trainer generates for the counterfactual reward. Default `"I don't know"`, the
   * trainer's text when a rollout fetched no frame (it scores 0).
   */
  visualTraceAnswer?: string | undefined;
  /** The rollout's earlier assistant turns (its `<think>…</think><tool_call>…</tool_call>` messages), oldest first. Default none. */
  priorTurns?: readonly string[] | undefined;
}

/** TimeSearch-R's reward parts (v7, grounding) and their weighted sum. */
export interface TimeSearchRewardResult {
  /** `1.0·format + 0.5·accuracy + 0.5·counterfactual`, a NaN part counted as 0 (the trainer's `nansum`). */
  total: number;
  /** `multiturn_format_check`: 1 or 0. */
  format: number;
  /** IoU of the single answer's JSON `{"start_time", "end_time"}` with the gold span. */
  accuracy: number;
  /** 1 when the answer and the visual-trace answer both have IoU above 0.5 (each otherwise kept as is), their product. */
  counterfactual: number;
}

/** `re.search("<answer>")` / `<tool_call>`: the tag occurs. */
const hasTag = (text: string, tag: 'answer' | 'tool_call'): boolean => text.includes(`<${tag}>`);

/** `re.fullmatch(r'<think>.*?</think>\s*<tool_call>.*?</tool_call>', text.strip(), re.DOTALL)` */
function isToolCallFormat(text: string): boolean {
  const content = pyStrip(text);
  if (!content.startsWith('<think>') || !content.endsWith('</tool_call>')) return false;
  const close = content.indexOf('</think>', '<think>'.length);
  if (close < 0) return false;
  // The earliest `</think>` followed by `\s*<tool_call>` decides: any later one only narrows the rest.
  for (let at = close; at >= 0; at = content.indexOf('</think>', at + 1)) {
    let i = at + '</think>'.length;
    while (i < content.length && isPySpace(content.charCodeAt(i))) i++;
    if (content.startsWith('<tool_call>', i)) return i + '<tool_call>'.length <= content.length - '</tool_call>'.length;
  }
  return false;
}

/** `multiturn_format_check` over the assistant texts. */
function multiturnFormat(turns: readonly string[]): number {
  let answers = 0;
  for (const text of turns) {
    const answer = hasTag(text, 'answer');
    if (answer && hasTag(text, 'tool_call')) return 0;
    if (answer) {
      answers++;
      if (!isR1Format(text)) return 0;
    } else if (hasTag(text, 'tool_call') && !isToolCallFormat(text)) return 0;
  }
  return answers > 0 ? 1 : 0;
}

/** `general_answer_score(answer, gt, question, 'grounding')`: NaN where Python computes NaN. */
function groundingScore(text: string, gold: Span): number {
  const span = parseTimeSearchSpan(text);
  return span === null ? 0 : timeSearchIoU([span], [gold]);
}

/** The answers (first `<answer>…</answer>` of each turn) and whether a turn mixes an answer and a tool call. */
function answersOf(turns: readonly string[]): string[] | null {
  const answers: string[] = [];
  for (const text of turns) {
    if (hasTag(text, 'answer') && hasTag(text, 'tool_call')) return null;
    const answer = firstTagContent(text, '<answer>', '</answer>');
    if (answer !== null) answers.push(answer);
  }
  return answers;
}

const orZero = (value: number): number => (Number.isNaN(value) ? 0 : value);

/**
 * TimeSearch-R's reward (v7, its training script's) for a grounding sample:
 * `1.0·format + 0.5·accuracy + 0.5·counterfactual`.
 * - format (`multiturn_format_check`) over `[...priorTurns, completion]`: no turn holds both `<answer>` and
 *   `<tool_call>`; each answer turn is `<think>…</think>\s*<answer>…</answer>` (stripped), each tool turn
 *   `<think>…</think>\s*<tool_call>…</tool_call>`; at least one answer turn.
 * - accuracy: with exactly one `<answer>` over the turns (the first of each turn), its text (a leading
 *   `` ```json `` fence removed) must be `json.loads`-able into an object whose `start_time` and `end_time` are
 *   numbers with 0 ≤ start ≤ end; then {@link timeSearchIoU} with the gold span (an empty union gives 1).
 * - counterfactual: the same score of `visualTraceAnswer` (the whole text); each of the two scores above 0.5
 *   becomes 1, and the part is their product.
 * A part Python computes as NaN (`NaN` in the JSON) counts 0, as the trainer's `nansum` does. Never refuses:
 * an irrelevant target scores the format only. In [0, 2].
 *
 * Source: TimeSearch-R (Time-Search/TimeSearch-R, time_r1/reward/v7.py `multiturn_format_reward`,
 * `accuracy_reward`, `counterfactual_reasoning_reward`, `reward_weights`, commit 8d51dbc; v7 is the reward of
 * scripts/train.sh).
 *
 * @example
 * const target = { relevant: true, span: [8.2, 13.6], duration: 16.75 } as const;
 * const completion = '<think>…</think><answer>{"start_time": 8.2, "end_time": 13.6}</answer>';
 * timeSearchReward(completion, target).total; // => 1.5
 * timeSearchReward(completion, target, { visualTraceAnswer: '{"start_time": 8, "end_time": 13}' }).total; // => 2
 * timeSearchReward('<think>…</think><answer>{"start_time": "8.2", "end_time": "13.6"}</answer>', target).accuracy; // => 0
 */
export function timeSearchReward(completion: string, target: RaRftTarget, options?: TimeSearchRewardOptions): TimeSearchRewardResult {
  const fn = 'timeSearchReward';
  assertTarget(fn, target);
  const visualTrace = options?.visualTraceAnswer ?? "I don't know";
  if (typeof visualTrace !== 'string') throw new OptionsError(fn, 'options.visualTraceAnswer', `must be a string, got ${typeof visualTrace}`);
  const prior = options?.priorTurns ?? [];
  if (!Array.isArray(prior) || prior.some((turn) => typeof turn !== 'string')) throw new OptionsError(fn, 'options.priorTurns', 'must be an array of strings');
  if (typeof completion !== 'string') return { total: 0, format: 0, accuracy: 0, counterfactual: 0 };
  const turns = [...prior, completion];
  const format = multiturnFormat(turns);
  let accuracy = 0;
  let counterfactual = 0;
  if (target.relevant) {
    const gold = target.span as Span;
    const answers = answersOf(turns);
    if (answers !== null) {
      const answerScore = answers.length === 1 ? groundingScore(answers[0] as string, gold) : 0;
      accuracy = answerScore;
      const traceScore = groundingScore(visualTrace, gold);
      counterfactual = (answerScore > 0.5 ? 1 : answerScore) * (traceScore > 0.5 ? 1 : traceScore);
    }
  }
  accuracy = orZero(accuracy);
  counterfactual = orZero(counterfactual);
  return { total: 1 * format + 0.5 * accuracy + 0.5 * counterfactual, format, accuracy, counterfactual };
}
