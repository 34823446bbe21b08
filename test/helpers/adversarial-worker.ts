import { parentPort } from 'node:worker_threads';
import { type RaRftTarget, formatReward, plainIoU, queryCorrection, refuseIoU, timeLensIoU, timeR1IoU, tvgR1Reward } from '../../src/index.js';
import { adversarialCompletions } from '../../bench/adversarial-inputs.mjs';

const targets: RaRftTarget[] = [
  { relevant: true, span: [3.1, 10.9], duration: 30.04, query: 'the person puts the groceries on the table.' },
  { relevant: false, duration: 30.04, query: 'the person puts the groceries on the table.' },
];

for (const [name, completion] of adversarialCompletions()) {
  for (const target of targets) {
    for (const profile of ['ra-rft', 'strict'] as const) {
      formatReward(completion, { profile });
      refuseIoU(completion, target, { profile });
    }
    formatReward(completion, { profile: 'r1' });
    formatReward(completion, { profile: 'tvg-r1' });
    plainIoU(completion, target);
    timeR1IoU(completion, target);
    tvgR1Reward(completion, target);
    timeLensIoU(completion, target);
    await queryCorrection(completion, target, { metric: 'levenshtein', profile: 'strict' });
  }
  parentPort?.postMessage({ done: name });
}
parentPort?.postMessage({ finished: true });
