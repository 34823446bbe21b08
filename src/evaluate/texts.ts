import { pyStrip } from '../internal/python-text.js';

const CORRECTION_BLOCK = /<\s*correction\b[^>]*>[\s\S]*?<\s*\/\s*correction\s*>/gi;
const ANY_TAG = /<\s*\/?[a-zA-Z_][a-zA-Z0-9_]*\b[^>]*>/g;
const THINK_OR_ANSWER_TAG = /<\s*\/?(?:think|answer)\b[^>]*>/gi;

/**
 * The model's explanation as the RA-RFT evaluator reads it for similarity and judging: the whole output with
 * every `<correction>…</correction>` block removed, every tag marker removed (their content kept, the
 * `<think>` text included), the `\nNIL\n` marker removed, stripped.
 * Source: JINSUBY/RA-RFT src/llm_eval/utils.py `extract_reasoning_text` (commit 8843cbb).
 *
 * @example
 * explanationText('<think>no dog</think><answer>There is no dog here.</answer><correction>a cat sits.</correction>'); // => 'no dogThere is no dog here.'
 */
export function explanationText(output: string): string {
  return pyStrip(output.replace(CORRECTION_BLOCK, '').replace(ANY_TAG, '').split('\nNIL\n').join(''));
}

/**
 * The ground-truth explanation as the RA-RFT evaluator reads it: `<think>` and `<answer>` tag markers removed
 * (content kept), stripped. Source: JINSUBY/RA-RFT src/llm_eval/utils.py `strip_format_tags` (commit 8843cbb).
 *
 * @example
 * referenceText('<answer>No dog appears.</answer>'); // => 'No dog appears.'
 */
export function referenceText(answer: string): string {
  return pyStrip(answer.replace(THINK_OR_ANSWER_TAG, ''));
}
