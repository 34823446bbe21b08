import { pyFloatOfDigits, pyStrip } from '../python-text.js';
import { firstTagContent } from '../tags.js';

const ANSWER_SPAN = /<t>(\p{Nd}+\.?\p{Nd}*)<\/t>s to <t>(\p{Nd}+\.?\p{Nd}*)<\/t>s/u;

/**
 * Open-o3 Video's answer span: the first `<answer>…</answer>` block, stripped, and in it the first
 * `<t>(\d+\.?\d*)</t>s to <t>(\d+\.?\d*)</t>s` as `[start, end]` (returned even when reversed: the reward
 * then scores 0); `null` when there is none.
 *
 * Source: Open-o3 Video (marinero4972/Open-o3-Video, src/r1-v/src/open_r1/reward_func.py `ans_tiou_reward`, commit 51387ab).
 *
 * @example
 * parseOpenO3VideoSpan('<think>…</think><answer> <t>8.2</t>s to <t>13.6</t>s </answer>'); // => [8.2, 13.6]
 * parseOpenO3VideoSpan('<answer>8.2s to 13.6s</answer>'); // => null
 */
export function parseOpenO3VideoSpan(completion: string): [number, number] | null {
  if (typeof completion !== 'string') return null;
  const answer = firstTagContent(completion, '<answer>', '</answer>');
  const match = answer === null ? null : ANSWER_SPAN.exec(pyStrip(answer));
  return match === null ? null : [pyFloatOfDigits(match[1] as string), pyFloatOfDigits(match[2] as string)];
}
