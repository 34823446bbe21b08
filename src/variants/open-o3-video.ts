import { openO3VideoReward } from '../grounding/open-o3-video-reward.js';
import { parseOpenO3VideoSpan } from '../internal/parsers/parse-open-o3-video-span.js';
import type { RaRftTarget } from '../types.js';
import { defineVariant } from './define-variant.js';
import { neverRefuses } from './never-refuses.js';
import { OPEN_O3_VIDEO_STYLE } from './styles.js';
import type { VariantExtras, VariantParts } from './types.js';
import { oneSpan } from './one-span.js';

function openO3Parts(completion: string, target: RaRftTarget, extras?: VariantExtras): VariantParts {
  const result = openO3VideoReward(completion, target, { keyFrames: extras?.keyFrames as number[] | undefined, stepPercent: extras?.stepPercent as number | undefined });
  return { format: result.format, iou: result.answerTIoU, total: result.total };
}

/**
 * Open-o3 Video's temporal rewards: format (1 with two `<t>` timestamps in the reasoning, 0.5 without) +
 * the answer's tIoU + the share of the reasoning's `<t>` timestamps inside the gold span (+ the key-frame
 * point score with `keyFrames`), 0 to 3. Restates {@link openO3VideoReward}.
 *
 * Source: Open-o3 Video (marinero4972/Open-o3-Video, src/r1-v/src/open_r1/reward_func.py, commit 51387ab).
 *
 * @example
 * openO3VideoVariant.score('<think>Seen at <t>8.2</t>s and <t>13.6</t>s.</think><answer><t>8.2</t>s to <t>13.6</t>s</answer>', { relevant: true, span: [8.2, 13.6], duration: 16.75 }); // => 3
 */
export const openO3VideoVariant = defineVariant({
  id: 'open-o3-video',
  name: 'Open-o3 Video (temporal)',
  source: 'Open-o3 Video (marinero4972/Open-o3-Video, src/r1-v/src/open_r1/reward_func.py, commit 51387ab)',
  upstream: [
    { repo: 'marinero4972/Open-o3-Video', path: 'src/r1-v/src/open_r1/reward_func.py', commit: '51387ab', symbol: 'format_reward, ans_tiou_reward, thk_temporal_segment_reward, thk_temporal_point_reward' },
  ],
  formula: 'format (1 / 0.5 / 0) + answer tIoU + share of <think> <t> times in the gold span (+ mean exp(−d²/2σ²) to the nearest key frame)',
  parser: 'first <answer>, stripped; first <t>S</t>s to <t>E</t>s; <t>([\\d.]+)</t>s in the first <think>',
  output: OPEN_O3_VIDEO_STYLE,
  scores: ['format', 'span'],
  extras: [
    { name: 'keyFrames', scope: 'sample', type: 'number[]', description: "times of the sample's annotated key frames; adds the key-frame point score" },
    { name: 'stepPercent', scope: 'sample', type: 'number', description: 'training progress current_step / total_steps in [0, 1]; the point score is σ = 4·(1 − p) wide before p = 0.75, then 1' },
  ],
  evidence: [
    neverRefuses('empty-answer@open-o3-video'),
    { text: 'the whole video earns the gold share of the video', entry: 'whole-video@open-o3-video', claim: 'pays' },
    { text: "a reasoning that only repeats the answer's <t> timestamps earns the full format and reasoning points", entry: 'empty-think@open-o3-video', claim: 'ties' },
    { text: 'a span past the video end is scored as written', entry: 'past-video-end@open-o3-video', claim: 'pays' },
  ],
  readSpans: oneSpan(parseOpenO3VideoSpan),
  parts: openO3Parts,
});
