import { musegFormatReward, musegReward, musegSegmentMatching } from '../grounding/museg-reward.js';
import { parseMusegSegments } from '../internal/parsers/parse-museg-segments.js';
import { firstTagContent } from '../internal/tags.js';
import { defineVariant } from './define-variant.js';
import { MUSEG_STYLE } from './styles.js';

/**
 * MUSEG: its `format` (timestamps cited in `<think>`) + `segment_matching` (global F1 + local GIoU), 0 to 3.
 * Restates {@link musegReward}.
 *
 * Source: MUSEG (THUNLP-MT/MUSEG, src/train.py `reward_format` + `reward_segment_matching`, commit 889565e).
 *
 * @example
 * musegVariant.readSpans('<think>3.0 and 9.5</think><answer>3-9.5 12-14</answer>'); // => [[3, 9.5], [12, 14]]
 */
export const musegVariant = defineVariant({
  id: 'museg',
  name: 'MUSEG',
  source: 'MUSEG (THUNLP-MT/MUSEG, src/train.py `reward_format` + `reward_segment_matching`, commit 889565e)',
  upstream: [{ repo: 'THUNLP-MT/MUSEG', path: 'src/train.py', commit: '889565e', symbol: 'reward_format, reward_segment_matching' }],
  formula: 'format (0 / 0.2 / 0.6 / 1) + global matching F1 + local matching GIoU',
  parser: 'the single <answer>; whitespace-separated `start-end` items read by float()',
  output: MUSEG_STYLE,
  scores: ['format', 'span'],
  evidence: [
    { text: 'never rewards a refusal, and an empty answer earns the full format point where a refusal earns 0.2', entry: 'empty-answer@museg', claim: 'ties' },
    { text: 'the whole video earns a share through local matching', entry: 'whole-video@museg', claim: 'pays' },
    { text: 'enumerating segments keeps part of the reward', entry: 'enumerate-spans@museg', claim: 'pays' },
  ],
  readSpans: (completion) => {
    const answer = typeof completion === 'string' ? firstTagContent(completion, '<answer>', '</answer>') : null;
    return answer === null ? [] : (parseMusegSegments(answer) ?? []);
  },
  parts: (completion, target) => ({ format: musegFormatReward(completion), iou: musegSegmentMatching(completion, target), total: musegReward(completion, target) }),
});
