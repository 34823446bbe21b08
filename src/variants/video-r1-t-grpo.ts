import { videoR1TGrpoRewards } from '../grounding/video-r1-t-grpo-rewards.js';
import { plainIoU, timeR1Span } from '../grounding/plain-iou.js';
import { defineVariant } from './define-variant.js';
import { neverRefuses } from './never-refuses.js';
import { R1_STYLE } from './styles.js';
import { oneSpan } from './one-span.js';

/**
 * Video-R1's T-GRPO on a grounding accuracy: each completion earns `IoU + format`; scored as a group with
 * `shuffledCompletions` (the completions the policy wrote from shuffled frames), every completion with
 * IoU above 0.1 earns 0.3 more when the group's mean IoU reaches 0.8 times the shuffled group's. Video-R1
 * has no grounding accuracy: the IoU is TimeZero's plain IoU. `score` is one completion without the bonus.
 * Restates {@link videoR1TGrpoRewards}.
 *
 * Source: Video-R1 (tulerfeng/Video-R1, src/r1-v/src/open_r1/trainer/grpo_trainer.py, commit 3184788).
 *
 * @example
 * const target = { relevant: true, span: [8.2, 13.6], duration: 16.75 } as const;
 * videoR1TGrpoVariant.scoreGroup?.(['<think>t</think><answer>8.2 to 13.6</answer>', '<think>t</think><answer>0 to 1</answer>'], target, { shuffledCompletions: ['<think>t</think><answer>0 to 1</answer>'] }); // => [2.3, 1]
 */
export const videoR1TGrpoVariant = defineVariant({
  id: 'video-r1-t-grpo',
  name: 'Video-R1 T-GRPO',
  source: 'Video-R1 (tulerfeng/Video-R1, src/r1-v/src/open_r1/trainer/grpo_trainer.py, commit 3184788), accuracy from TimeZero',
  upstream: [
    { repo: 'tulerfeng/Video-R1', path: 'src/r1-v/src/open_r1/trainer/grpo_trainer.py', commit: '3184788', symbol: 'compute_loss (temporal branch)' },
    { repo: 'tulerfeng/Video-R1', path: 'src/r1-v/src/open_r1/grpo.py', commit: 'd739961', symbol: 'format_reward' },
  ],
  formula: 'IoU + format (+ 0.3 for IoU > 0.1 when the group mean IoU ≥ 0.8 × the shuffled-frame group mean)',
  parser: 'last <answer>; last (\\d+\\.?\\d*) (to|and) (\\d+\\.?\\d*) (TimeZero); format: the whole text <think>…</think>\\s*<answer>…</answer>',
  output: R1_STYLE,
  scores: ['format', 'span'],
  extras: [{ name: 'shuffledCompletions', scope: 'group', type: 'string[]', description: 'the completions the policy wrote for the same prompt from shuffled frames (Video-R1 samples G/2)' }],
  evidence: [
    neverRefuses('empty-answer@r1'),
    { text: 'the whole video earns the gold share of the video', entry: 'whole-video@r1', claim: 'pays' },
    { text: 'repeated answer blocks pass the format check; the last one is scored', entry: 'multiple-answers@r1', claim: 'ties' },
  ],
  readSpans: oneSpan(timeR1Span),
  parts: (completion, target) => {
    const [format] = videoR1TGrpoRewards([completion], target, { accuracy: () => 0 });
    const iou = plainIoU(completion, target);
    return { format: format as number, iou, total: iou + (format as number) };
  },
  scoreGroup: (completions, target, extras) => videoR1TGrpoRewards(completions, target, { shuffledCompletions: extras?.shuffledCompletions as string[] | undefined }),
});
