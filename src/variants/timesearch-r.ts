import { timeSearchReward } from '../grounding/time-search-reward.js';
import { parseTimeSearchSpan } from '../internal/parsers/parse-time-search-span.js';
import { firstTagContent } from '../internal/tags.js';
import type { RaRftTarget } from '../types.js';
import { defineVariant } from './define-variant.js';
import { neverRefuses } from './never-refuses.js';
import { TIME_SEARCH_STYLE } from './styles.js';
import type { VariantExtras, VariantParts } from './types.js';
import { oneSpan } from './one-span.js';

function timeSearchParts(completion: string, target: RaRftTarget, extras?: VariantExtras): VariantParts {
  const result = timeSearchReward(completion, target, { visualTraceAnswer: extras?.visualTraceAnswer as string | undefined, priorTurns: extras?.priorTurns as string[] | undefined });
  return { format: result.format, iou: result.accuracy, total: result.total };
}

/**
 * TimeSearch-R (v7): `1.0·format + 0.5·IoU + 0.5·counterfactual`, the IoU over merged intervals of a JSON
 * answer, the counterfactual part paying only when the answer from the visual trace alone is right too;
 * 0 to 2. Restates {@link timeSearchReward}.
 *
 * Source: TimeSearch-R (Time-Search/TimeSearch-R, time_r1/reward/v7.py, commit 8d51dbc).
 *
 * @example
 * const completion = '<think>t</think><answer>{"start_time": 8.2, "end_time": 13.6}</answer>';
 * timeSearchVariant.score(completion, { relevant: true, span: [8.2, 13.6], duration: 16.75 }, { visualTraceAnswer: '{"start_time": 8, "end_time": 14}' }); // => 2
 */
export const timeSearchVariant = defineVariant({
  id: 'timesearch-r',
  name: 'TimeSearch-R (v7)',
  source: 'TimeSearch-R (Time-Search/TimeSearch-R, time_r1/reward/v7.py, commit 8d51dbc)',
  upstream: [{ repo: 'Time-Search/TimeSearch-R', path: 'time_r1/reward/v7.py', commit: '8d51dbc', symbol: 'multiturn_format_reward, accuracy_reward, counterfactual_reasoning_reward, compute_iou' }],
  formula: '1.0·format + 0.5·IoU (merged intervals) + 0.5·[IoU > 0.5 or IoU]·[trace IoU > 0.5 or trace IoU]',
  parser: 'exactly one first-<answer> over the turns; json.loads → {"start_time", "end_time"} numbers, 0 ≤ start ≤ end',
  output: TIME_SEARCH_STYLE,
  scores: ['format', 'span'],
  extras: [
    { name: 'visualTraceAnswer', scope: 'sample', type: 'string', description: "the model's answer from the frames its tool calls fetched, without its reasoning (the trainer generates it); default \"I don't know\"" },
    { name: 'priorTurns', scope: 'sample', type: 'string[]', description: 'the earlier assistant turns of the rollout (tool calls), oldest first' },
  ],
  evidence: [
    neverRefuses('empty-answer@timesearch-r'),
    { text: 'the whole video earns the gold share of the video', entry: 'whole-video@timesearch-r', claim: 'pays' },
    { text: 'an empty <think> passes the format check', entry: 'empty-think@timesearch-r', claim: 'ties' },
  ],
  readSpans: oneSpan((completion) => {
    const answer = typeof completion === 'string' ? firstTagContent(completion, '<answer>', '</answer>') : null;
    return answer === null ? null : parseTimeSearchSpan(answer);
  }),
  parts: timeSearchParts,
});
