// One lenient reader for the timestamp notations current VTG models write. Display and the strict
// profile's spirit: the published variants keep their own upstream parsers for exactness.
import type { Span } from '../../types.js';

const CLOCK = String.raw`\d{1,2}:\d{1,2}(?::\d{1,2})?(?:\.\d+)?`;
const SECONDS = String.raw`\d+(?:\.\d+)?`;
const UNIT = String.raw`(?:\s?(?:seconds?|secs?|s)(?![\p{L}\d]))?`;
// A time: a clock or seconds (with an optional unit), or either inside <t>…</t> (Open-o3 Video: `<t>12.5</t>s`).
const TIME = String.raw`(?:<t>\s*(?:${CLOCK}|${SECONDS})\s*</t>${UNIT}|(?:${CLOCK}|${SECONDS})${UNIT})`;
const SEPARATOR = String.raw`\s*(?:to|and|until|till|through|-|–|—|~)\s*`;
const PAIR = new RegExp(String.raw`(?<![\d.:])(${TIME})${SEPARATOR}(${TIME})|[\[(]\s*(${TIME})\s*,\s*(${TIME})\s*[\])]`, 'giu');
const JSON_OBJECT = /\{[^{}]*\}/g;

/** Seconds of one time token: `01:02:03.5` → 3723.5, `02:03` → 123, `12.5s` → 12.5, `<t>7</t>s` → 7. */
function seconds(token: string): number {
  const bare = token.replace(/<\/?t>/g, '').replace(/[^\d:.]+/gu, '');
  const parts = bare.split(':').map(Number);
  return parts.reduce((total, part) => total * 60 + part, 0);
}

/** Spans of JSON objects `{"start_time": …, "end_time": …}` (numbers or numeric strings). */
function jsonSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(JSON_OBJECT)) {
    let value: unknown;
    try {
      value = JSON.parse(match[0]);
    } catch {
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    const { start_time: start, end_time: end } = value as Record<string, unknown>;
    const read = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : typeof x === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(x) ? Number(x) : null);
    const [s, e] = [read(start), read(end)];
    if (s !== null && e !== null) spans.push([s, e]);
  }
  return spans;
}

/**
 * Every segment a completion states, in order, whatever the notation current VTG models use: `12.5 to 17.8`,
 * `12.5 and 17.8`, `12.5s - 17.8s` (also `–`, `—`, `~`, `until`, `through`), `[12.5, 17.8]` or `(12.5, 17.8)`,
 * clocks `HH:MM:SS(.ff)` and `MM:SS(.ff)`, JSON objects `{"start_time": 12.5, "end_time": "17.8"}`, and Open-o3
 * Video's `<t>12.5</t>s to <t>17.8</t>s`. JSON objects win when there are any; otherwise pairs are read left
 * to right without overlap. ASCII digits only; a reversed pair is returned as written. Never throws:
 * anything that is not a string reads as `[]`. The published variants keep their own upstream parsers; this
 * reader is for display (the playground shows what it reads) and for new rewards.
 *
 * @example
 * readTimestamps('From 12.5s - 17.8s, then [20, 24.5].'); // => [[12.5, 17.8], [20, 24.5]]
 * readTimestamps('<answer>00:01:05.5 to 00:01:10</answer>'); // => [[65.5, 70]]
 * readTimestamps('{"start_time": "3.1", "end_time": 10.9}'); // => [[3.1, 10.9]]
 * readTimestamps('<t>8.2</t>s to <t>13.6</t>s and 2:03 until 2:10'); // => [[8.2, 13.6], [123, 130]]
 */
export function readTimestamps(text: string): Span[] {
  if (typeof text !== 'string') return [];
  const json = jsonSpans(text);
  if (json.length > 0) return json;
  const spans: Span[] = [];
  for (const match of text.matchAll(PAIR)) {
    const start = match[1] ?? match[3];
    const end = match[2] ?? match[4];
    if (start !== undefined && end !== undefined) spans.push([seconds(start), seconds(end)]);
  }
  return spans;
}
