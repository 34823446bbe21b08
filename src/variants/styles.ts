// The output styles of the built-in variants. A style is how a method's policy is prompted to write: the
// benchmark and the corpus render each intended answer in every style, so no variant loses reward only
// because it was shown another method's tags.
import { pyFloatRepr } from '../internal/python-text.js';
import { rewriteAnswerSpans } from './rewrite-answer-spans.js';
import type { OutputStyle } from './types.js';

/** `<think>…</think> <answer>12.5 to 17.8</answer> <correction>NIL</correction>` (RA-RFT, strict). */
export const RA_RFT_STYLE: OutputStyle = { id: 'ra-rft', base: 'ra-rft', example: '<think>…</think>\n<answer>12.5 to 17.8</answer>\n<correction>NIL</correction>' };

/** `<think>…</think> <answer>12.5 to 17.8</answer>` (DeepSeek-R1 layout: Time-R1, TimeZero, VideoChat-R1, Video-R1). */
export const R1_STYLE: OutputStyle = { id: 'r1', base: 'r1', example: '<think>…</think>\n<answer>12.5 to 17.8</answer>' };

/** `<think>…</think> <time>[12.5, 17.8]</time>` (TVG-R1). */
export const TVG_R1_STYLE: OutputStyle = { id: 'tvg-r1', base: 'tvg-r1', example: '<think>…</think> <time>[12.5, 17.8]</time>' };

/** A sentence without tags (TimeLens, thinking-free models). */
export const PLAIN_STYLE: OutputStyle = { id: 'plain', base: 'plain', example: 'The event happens in 12.5 - 17.8 seconds.' };

/** MUSEG: `S-E` items, each timestamp's Python `str` cited in `<think>`, as its prompt asks. */
export const MUSEG_STYLE: OutputStyle = {
  id: 'museg',
  base: 'r1',
  example: '<think>… Seen at 12.5 and 17.8.</think>\n<answer>12.5-17.8</answer>',
  derive: (text) => rewriteAnswerSpans(text, (s, e) => `${s}-${e}`, (s, e) => `${pyFloatRepr(Number(s))} and ${pyFloatRepr(Number(e))}`),
};

/** Temporal-R1: a JSON answer with string timestamps. */
export const TEMPORAL_R1_STYLE: OutputStyle = {
  id: 'temporal-r1',
  base: 'r1',
  example: '<think>…</think>\n<answer>{"start_time": "12.5", "end_time": "17.8"}</answer>',
  derive: (text) => rewriteAnswerSpans(text, (s, e) => `{"start_time": "${s}", "end_time": "${e}"}`),
};

/** TaRO: every timestamp with its unit, `12.5s to 17.8s`. */
export const TARO_STYLE: OutputStyle = {
  id: 'taro',
  base: 'r1',
  example: '<think>…</think>\n<answer>12.5s to 17.8s</answer>',
  derive: (text) => rewriteAnswerSpans(text, (s, e) => `${s}s to ${e}s`),
};

/** Open-o3 Video: timestamps in `<t>…</t>s`, in the answer and cited in the reasoning. */
export const OPEN_O3_VIDEO_STYLE: OutputStyle = {
  id: 'open-o3-video',
  base: 'r1',
  example: '<think>… Seen at <t>12.5</t>s and <t>17.8</t>s.</think>\n<answer><t>12.5</t>s to <t>17.8</t>s</answer>',
  derive: (text) => rewriteAnswerSpans(text, (s, e) => `<t>${s}</t>s to <t>${e}</t>s`, (s, e) => `<t>${s}</t>s and <t>${e}</t>s`),
};

/** TimeSearch-R: a JSON answer with number timestamps. */
export const TIME_SEARCH_STYLE: OutputStyle = {
  id: 'timesearch-r',
  base: 'r1',
  example: '<think>…</think>\n<answer>{"start_time": 12.5, "end_time": 17.8}</answer>',
  derive: (text) => rewriteAnswerSpans(text, (s, e) => `{"start_time": ${s}, "end_time": ${e}}`),
};
