import { findNumberPairs } from '../number-scan.js';
import { isPySpace, skipPySpace } from '../python-text.js';

const CLOCK = /\b(\d{1,2}:\d{2}:\d{2}(?:\.\d+)?|\d{1,2}:\d{2}(?:\.\d+)?)\b/g;
const BARE_NUMBER = /\b(\d+\.\d+|\d+)\b/g;

function clockSeconds(token: string): number {
  const parts = token.split(':');
  return parts.length === 3
    ? Number(parts[0]) * 3600 + Number(parts[1]) * 60 + Number(parts[2])
    : Number(parts[0]) * 60 + Number(parts[1]);
}

function pairUp(values: number[]): [number, number][] {
  const pairs: [number, number][] = [];
  for (let i = 0; i + 1 < values.length; i += 2) pairs.push([values[i] as number, values[i + 1] as number]);
  return pairs;
}

/** End of `\s*-\s*` at `at`, or -1. */
function dashSeparatorEnd(text: string, at: number): number {
  const dash = skipPySpace(text, at);
  return text.charCodeAt(dash) === 0x2d ? skipPySpace(text, dash + 1) : -1;
}

/** End of `\s+to\s+` (already lower-cased text) at `at`, or -1. */
function toSeparatorEnd(text: string, at: number): number {
  if (!isPySpace(text.charCodeAt(at))) return -1;
  const word = skipPySpace(text, at);
  return text.startsWith('to', word) && isPySpace(text.charCodeAt(word + 2)) ? skipPySpace(text, word + 2) : -1;
}

/**
 * TimeLens' span extraction (`extract_time`), tried in order on the lower-cased text:
 * 1. clock times `HH:MM:SS(.f)` / `MM:SS(.f)`, paired in order;
 * 2. `a - b` pairs, else `a to b` pairs;
 * 3. bare numbers, paired in order.
 * Evaluation scores the first pair. Source: TimeLens (TencentARC/TimeLens, timelens/utils.py; quoted from
 * the derived yiqiu0215/TimeLoc copy). Digits are ASCII here.
 *
 * @example
 * parseTimeLensSpans('From 00:12 to 01:05.5.'); // => [[12, 65.5]]
 * parseTimeLensSpans('18.5 - 23.0'); // => [[18.5, 23]]
 * parseTimeLensSpans('starts at 3 and ends at 7'); // => [[3, 7]]
 */
export function parseTimeLensSpans(text: string): [number, number][] {
  if (typeof text !== 'string') return [];
  const lower = text.toLowerCase();
  const clocks = [...lower.matchAll(CLOCK)].map((match) => clockSeconds(match[1] as string));
  if (clocks.length >= 2) return pairUp(clocks);
  for (const separatorEnd of [dashSeparatorEnd, toSeparatorEnd]) {
    const pairs = findNumberPairs(lower, separatorEnd);
    if (pairs.length > 0) return pairs;
  }
  return pairUp([...lower.matchAll(BARE_NUMBER)].map((match) => Number(match[1])));
}
