// The library functions the engine can call by name (the Python package's per-function API). Each entry
// says how its arguments are laid out, so one request carries a whole batch across the pipe.
import { classifyAnswer } from '../grounding/classify-answer.js';
import { formatReward } from '../format/format-reward.js';
import { stripEndTokens } from '../format/strip-end-tokens.js';
import { musegReward } from '../grounding/museg-reward.js';
import { plainIoU, timeR1Span } from '../grounding/plain-iou.js';
import { refuseIoU } from '../grounding/refuse-iou.js';
import { tempSampReward } from '../grounding/tempsamp-reward.js';
import { temporalIoU } from '../grounding/temporal-iou.js';
import { temporalR1IoU, temporalR1Reward } from '../grounding/temporal-r1-reward.js';
import { timeLensEvalIoU, timeLensIoU } from '../grounding/time-lens-iou.js';
import { timeR1IoU } from '../grounding/time-r1-iou.js';
import { tvgR1IoU, tvgR1Reward } from '../grounding/tvg-r1-reward.js';
import { explanationSimilarity } from '../explain/explanation-similarity.js';
import { queryCorrection } from '../correction/query-correction.js';
import { groupRelativeAdvantage } from '../advantage/group-relative-advantage.js';
import { hiVtgTargets } from '../data/hi-vtg-targets.js';
import type { Embedder, RaRftTarget, Span } from '../types.js';

/**
 * How a function's arguments arrive in one item of a `call` request:
 * - `completion-target`: `[completion, target]`, the options shared by the batch;
 * - `completion`: `[completion]`;
 * - `value`: `[value]` (a reward list, a HI-VTG item, two spans…), called once per item;
 * `embedder` marks the functions that need a sentence embedder (passed as `options.embedder`).
 */
export type EngineFunctionKind = 'completion-target' | 'completion' | 'value';

export interface EngineFunction {
  kind: EngineFunctionKind;
  embedder?: true;
  /** Calls the library function on one item; `options` is the request's, with `embedder` resolved. */
  run(item: readonly unknown[], options: Record<string, unknown>): unknown;
}

type Options = Record<string, unknown>;
const ct = (fn: (completion: string, target: RaRftTarget, options?: never) => unknown): EngineFunction => ({
  kind: 'completion-target',
  run: ([completion, target], options) => fn(completion as string, target as RaRftTarget, options as never),
});
const withEmbedder = (fn: (completion: string, target: RaRftTarget, options: { embedder: Embedder }) => Promise<number>): EngineFunction => ({
  kind: 'completion-target',
  embedder: true,
  run: ([completion, target], options) => fn(completion as string, target as RaRftTarget, options as Options as { embedder: Embedder }),
});

/** Every function the engine calls by name: the library's names, unchanged. */
export const ENGINE_FUNCTIONS: Readonly<Record<string, EngineFunction>> = Object.freeze({
  formatReward: { kind: 'completion', run: ([completion], options) => formatReward(completion as string, options) },
  refuseIoU: ct(refuseIoU),
  explanationSimilarity: withEmbedder(explanationSimilarity),
  queryCorrection: {
    kind: 'completion-target',
    embedder: true,
    // Levenshtein needs no embedder: the resolved one is dropped so the library takes the metric alone.
    run: ([completion, target], options) =>
      queryCorrection(completion as string, target as RaRftTarget, options.metric === 'levenshtein' ? { ...options, embedder: undefined } : (options as never)),
  },
  plainIoU: ct(plainIoU),
  timeR1IoU: ct(timeR1IoU),
  tvgR1IoU: ct(tvgR1IoU),
  tvgR1Reward: ct(tvgR1Reward),
  timeLensIoU: ct(timeLensIoU),
  timeLensEvalIoU: ct(timeLensEvalIoU),
  musegReward: ct(musegReward),
  temporalR1IoU: ct(temporalR1IoU),
  temporalR1Reward: ct(temporalR1Reward),
  tempSampReward: ct(tempSampReward),
  timeR1Span: { kind: 'completion', run: ([completion]) => timeR1Span(completion as string) },
  classifyAnswer: { kind: 'completion', run: ([completion], options) => classifyAnswer(completion as string, options) },
  stripEndTokens: { kind: 'completion', run: ([completion], options) => stripEndTokens(completion as string, options) },
  temporalIoU: { kind: 'value', run: ([a, b]) => temporalIoU(a as Span, b as Span) },
  groupRelativeAdvantage: { kind: 'value', run: ([rewards], options) => Array.from(groupRelativeAdvantage(rewards as (number | null)[], options as never)) },
  hiVtgTargets: { kind: 'value', run: ([item], options) => hiVtgTargets(item, options) },
} satisfies Record<string, EngineFunction>);
