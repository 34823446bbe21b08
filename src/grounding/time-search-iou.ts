import { pyMax } from '../internal/iou.js';
import type { Span } from '../types.js';

/** TimeSearch-R's `merge_intervals`: sorted by start (stable), an interval starting at or before the last end joins it. */
function mergeIntervals(intervals: readonly Span[]): [number, number][] {
  if (intervals.length === 0) return [];
  const sorted = intervals.map((interval, index) => ({ interval, index })).sort((a, b) => (a.interval[0] < b.interval[0] ? -1 : b.interval[0] < a.interval[0] ? 1 : a.index - b.index));
  const first = (sorted[0] as { interval: Span }).interval;
  const merged: [number, number][] = [[first[0], first[1]]];
  for (const { interval } of sorted.slice(1)) {
    const last = merged[merged.length - 1] as [number, number];
    if (interval[0] <= last[1]) last[1] = pyMax(last[1], interval[1]);
    else merged.push([interval[0], interval[1]]);
  }
  return merged;
}

/**
 * TimeSearch-R's IoU of two sets of intervals: each set is merged (overlapping or touching intervals joined),
 * the lengths summed, the intersection walked over both sorted lists, and
 * `IoU = ∩ / (|A| + |B| − ∩)`; an empty union (zero-length intervals only) gives 1, as upstream does.
 * Inputs are numbers, not model text: the grounding reward calls it with one interval per side.
 *
 * Source: TimeSearch-R (Time-Search/TimeSearch-R, time_r1/reward/v7.py `compute_iou`, `merge_intervals`, commit 8d51dbc).
 *
 * @example
 * timeSearchIoU([[0, 3], [2, 4], [22, 25]], [[1, 5], [2, 2], [2, 4]]); // => 0.375
 * timeSearchIoU([[8.2, 13.6]], [[8.2, 13.6]]); // => 1
 * timeSearchIoU([[3, 3]], [[5, 5]]); // => 1
 */
export function timeSearchIoU(a: readonly Span[], b: readonly Span[]): number {
  const mergedA = mergeIntervals(a);
  const mergedB = mergeIntervals(b);
  let lengthA = 0;
  for (const [start, end] of mergedA) lengthA += end - start;
  let lengthB = 0;
  for (const [start, end] of mergedB) lengthB += end - start;
  let intersection = 0;
  let i = 0;
  let j = 0;
  while (i < mergedA.length && j < mergedB.length) {
    const [aStart, aEnd] = mergedA[i] as [number, number];
    const [bStart, bEnd] = mergedB[j] as [number, number];
    const start = pyMax(aStart, bStart);
    const end = bEnd < aEnd ? bEnd : aEnd;
    if (start < end) intersection += end - start;
    if (aEnd < bEnd) i++;
    else j++;
  }
  const union = lengthA + lengthB - intersection;
  return union === 0 ? 1 : intersection / union;
}
