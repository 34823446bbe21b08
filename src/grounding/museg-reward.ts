import { OptionsError } from '../errors.js';
import { countOccurrences, firstTagContent } from '../internal/tags.js';
import { pyMax, pyMin } from '../internal/iou.js';
import { parseMusegSegments } from '../internal/parsers/parse-museg-segments.js';
import { isPySpace, pyFloatRepr, skipPySpace } from '../internal/python-text.js';
import { assertTarget } from '../internal/validate.js';
import type { RaRftTarget, Span } from '../types.js';

/** Options of {@link musegFormatReward} and {@link musegReward}. */
export interface MusegFormatOptions {
  /** Check that every answered timestamp appears 1–10 times in `<think>` (MUSEG `format`, default true); false is `format_n_timestamp`. */
  timestampReward?: boolean | undefined;
}

/** MUSEG's `^\s*<think>(.*?)</think>\s*<answer>(.*?)</answer>\s*$` with one of each tag: `[thinking, answer]` or null. */
function musegBlocks(completion: string): [string, string] | null {
  for (const tag of ['<think>', '</think>', '<answer>', '</answer>']) if (countOccurrences(completion, tag, 2) !== 1) return null;
  const think = skipPySpace(completion, 0);
  if (!completion.startsWith('<think>', think)) return null;
  const thinkEnd = completion.indexOf('</think>');
  const answer = skipPySpace(completion, thinkEnd + '</think>'.length);
  if (thinkEnd < think || !completion.startsWith('<answer>', answer)) return null;
  const answerEnd = completion.indexOf('</answer>');
  if (answerEnd < answer) return null;
  // `\s*$`: only whitespace after </answer> (`$` also matches before a final newline, which `\s*` eats anyway).
  for (let i = answerEnd + '</answer>'.length; i < completion.length; i++) if (!isPySpace(completion.charCodeAt(i))) return null;
  return [completion.slice(think + '<think>'.length, thinkEnd), completion.slice(answer + '<answer>'.length, answerEnd)];
}

/** `len(re.findall(str(t), thinking, re.DOTALL))`, counted up to 11: the float's repr is used as a regex (`.` is any character). */
function timestampMentions(timestamp: number, thinking: string): number {
  const pattern = new RegExp(pyFloatRepr(timestamp), 'gsu');
  let count = 0;
  while (count <= 10 && pattern.exec(thinking) !== null) count++;
  return count;
}

/**
 * MUSEG's format reward: 0 unless the completion is `<think>…</think> <answer>…</answer>` with exactly one
 * of each tag and only whitespace around the blocks; 0.2 when an answer item is not `start-end` with two
 * numbers; 0.6 when a timestamp (its Python `str`, used as a regex) appears in `<think>` less than once or
 * more than 10 times; else 1. An empty answer has no item and scores 1.
 *
 * Source: MUSEG (THUNLP-MT/MUSEG, src/train.py `_reward_format` via `reward_format`, commit 889565e).
 *
 * @example
 * musegFormatReward('<think>at 3.5 and 9.0 the man waves</think><answer>3.5-9.0</answer>'); // => 1
 * musegFormatReward('<think>the man waves</think><answer>3.5-9.0</answer>'); // => 0.6
 * musegFormatReward('<think>ok</think><answer>3.5 to 9.0</answer>'); // => 0.2
 */
export function musegFormatReward(completion: string, options?: MusegFormatOptions): number {
  const timestampReward = options?.timestampReward ?? true;
  if (typeof timestampReward !== 'boolean') throw new OptionsError('musegFormatReward', 'options.timestampReward', `must be a boolean, got ${String(timestampReward)}`);
  if (typeof completion !== 'string') return 0;
  const blocks = musegBlocks(completion);
  if (blocks === null) return 0;
  const segments = parseMusegSegments(blocks[1]);
  if (segments === null) return 0.2;
  if (timestampReward) {
    for (const segment of segments) {
      for (const timestamp of segment) {
        const mentions = timestampMentions(timestamp, blocks[0]);
        if (mentions < 1 || mentions > 10) return 0.6;
      }
    }
  }
  return 1;
}

/** The segments MUSEG's matching rewards accept: one `<answer>` and one `</answer>`, each item `0 <= start < end`. */
function matchedSegments(completion: string): [number, number][] | null {
  if (countOccurrences(completion, '<answer>', 2) !== 1 || countOccurrences(completion, '</answer>', 2) !== 1) return null;
  const answer = firstTagContent(completion, '<answer>', '</answer>');
  const segments = answer === null ? null : parseMusegSegments(answer);
  if (segments === null) return null;
  for (const [start, end] of segments) if (!(start >= 0 && end >= 0) || !(start < end)) return null;
  return segments;
}

/** `reward_global_matching`: F1 of the overlap of the merged predicted segments with the gold segments (ε 1e-6). */
function globalMatching(segments: readonly [number, number][], gold: readonly Span[]): number {
  // Python's sorted() is stable; the merge repeatedly joins the first overlapping or touching pair.
  const merged = [...segments].map((s) => [s[0], s[1]] as [number, number]).sort((a, b) => a[0] - b[0]);
  for (let i = 0; i < merged.length - 1; ) {
    const a = merged[i] as [number, number];
    const b = merged[i + 1] as [number, number];
    if (a[1] >= b[0]) {
      a[0] = pyMin(a[0], b[0]);
      a[1] = pyMax(a[1], b[1]);
      merged.splice(i + 1, 1);
      i = 0;
    } else i++;
  }
  let allGold = 0;
  for (const g of gold) allGold += g[1] - g[0];
  let allSelected = 0;
  for (const s of merged) allSelected += s[1] - s[0];
  let overlap = 0;
  for (const g of gold) for (const s of merged) overlap += pyMax(0, pyMin(s[1], g[1]) - pyMax(s[0], g[0]));
  const precision = overlap / (allSelected + 1e-6);
  const recall = overlap / (allGold + 1e-6);
  return (2 * precision * recall) / (precision + recall + 1e-6);
}

const PADDING: Span = [1e9, 1e9 + 1];

/** `reward_local_matching`: mean over segment pairs, in written order, of the GIoU mapped to [0, 1]; the shorter list is padded with [1e9, 1e9 + 1]. */
function localMatching(segments: readonly [number, number][], gold: readonly Span[]): number {
  const count = Math.max(segments.length, gold.length);
  let total = 0;
  for (let k = 0; k < count; k++) {
    const g = gold[k] ?? PADDING;
    const s = segments[k] ?? PADDING;
    const intersection = pyMax(0, pyMin(g[1], s[1]) - pyMax(g[0], s[0]));
    const union = g[1] - g[0] + s[1] - s[0] - intersection;
    const enclosure = pyMax(g[1], s[1]) - pyMin(g[0], s[0]);
    total += (1 + intersection / union - (enclosure - union) / enclosure) / 2;
  }
  return total / count;
}

/**
 * MUSEG's `segment_matching` reward on one gold segment (`target.span`, passed as `[[start, end]]`):
 * global matching (F1 of overlaps after merging the predicted segments) + local matching (mean GIoU of
 * the i-th predicted and i-th gold segment, mapped to [0, 1]), 0…2. Each part is 0 when the completion has
 * not exactly one `<answer>` and one `</answer>`, or an item is not `start-end` with `0 <= start < end`.
 * MUSEG never refuses: an irrelevant target → 0. Where upstream computes NaN (an infinite end), 0.
 *
 * Source: MUSEG (THUNLP-MT/MUSEG, src/train.py `reward_segment_matching`, commit 889565e; Python 3.11 `sum`).
 *
 * @example
 * musegSegmentMatching('<answer>3.1-10.9</answer>', { relevant: true, span: [3.1, 10.9], duration: 30 }); // => 1.9999993717951383
 * musegSegmentMatching('<answer>3.1-7 7-10.9</answer>', { relevant: true, span: [3.1, 10.9], duration: 30 }); // => 1.3749993730201382
 */
export function musegSegmentMatching(completion: string, target: RaRftTarget): number {
  assertTarget('musegSegmentMatching', target);
  if (!target.relevant || typeof completion !== 'string') return 0;
  const segments = matchedSegments(completion);
  if (segments === null) return 0;
  const gold = [target.span as Span];
  const reward = globalMatching(segments, gold) + localMatching(segments, gold);
  return Number.isFinite(reward) ? reward : 0;
}

/**
 * MUSEG's training reward: {@link musegFormatReward} + {@link musegSegmentMatching}, 0…3 (the reward
 * functions `format` and `segment_matching`, summed as TRL sums reward functions).
 *
 * Source: MUSEG (THUNLP-MT/MUSEG, src/train.py `reward_funcs_registry`, commit 889565e).
 *
 * @example
 * musegReward('<think>seen from 3.1 to 10.9</think><answer>3.1-10.9</answer>', { relevant: true, span: [3.1, 10.9], duration: 30 }); // => 2.9999993717951385
 */
export function musegReward(completion: string, target: RaRftTarget, options?: MusegFormatOptions): number {
  const segment = musegSegmentMatching(completion, target);
  return musegFormatReward(completion, options) + segment;
}
