import { formatReward } from '../format/format-reward.js';
import { refuseIoU } from '../grounding/refuse-iou.js';
import { seededRng } from '../internal/rng.js';
import type { RaRftTarget } from '../types.js';
import type { DetectorId } from './options.js';

/** The hacks {@link synthesizeRun} can inject: one per detector but `part-dominance`'s is format noise. */
export type SyntheticHack = Exclude<DetectorId, never>;

/** Options of {@link synthesizeRun}. */
export interface SynthesizeRunOptions {
  steps: number;
  /** Prompts per step (half relevant, half irrelevant). */
  prompts: number;
  /** Rollouts per prompt. */
  groupSize: number;
  /** A hack the policy starts at `onset` (and keeps). */
  hack?: SyntheticHack | undefined;
  onset?: number | undefined;
  seed?: number | undefined;
}

/** One rollout record as verl's `_dump_generations` writes it with this package's reward function. */
export interface VerlRecord {
  input: string;
  output: string;
  gts: RaRftTarget;
  score: number;
  step: number;
  format: number;
  refuseIoU: number;
  explain: number;
  correction: number;
  explainAndCorrection: number;
}

const ACTIONS = ['a man opens the fridge', 'a woman pours the coffee', 'the dog jumps over the fence', 'a child throws a red ball', 'the chef slices an onion', 'two people shake hands'];
const SCENES = ['a man is cooking pasta in a kitchen', 'a woman is reading on a sofa', 'a cyclist rides along the beach', 'kids are painting at a table', 'a cat sleeps by the window', 'a band plays on a stage'];
const TEMPLATE = ' First reason about the video inside <think> </think>. Then give the span or refuse.';
const round = (x: number) => Math.round(x * 10) / 10;

/**
 * A synthetic GRPO run on RA-RFT rewards, step by step, as verl dumps it (`trainer.rollout_data_dir`): a
 * plausible clean policy, and optionally one hack from step `onset` on. The rewards are this library's
 * (format + refuseIoU under `ra-rft`, explain and correction drawn as the embedder would give them), so a
 * clean run audits clean. Deterministic for a seed. Used by the tests, the bench and the docs.
 *
 * @example
 * const [first] = synthesizeRun({ steps: 1, prompts: 2, groupSize: 2 });
 * [first?.length, first?.[0]?.step, first?.[0]?.gts.relevant]; // => [4, 1, true]
 */
export function* synthesizeRun(options: SynthesizeRunOptions): Generator<VerlRecord[]> {
  const rng = seededRng(options.seed ?? 7);
  const onset = options.onset ?? Math.ceil(options.steps / 2);
  for (let step = 1; step <= options.steps; step++) {
    const hack = options.hack !== undefined && step >= onset ? options.hack : null;
    const records: VerlRecord[] = [];
    for (let p = 0; p < options.prompts; p++) {
      const relevant = p % 2 === 0;
      const id = (step * 7919 + p * 104729) % 100_000;
      const duration = 30 + (id % 90);
      const start = round(duration * (0.1 + 0.4 * ((id % 97) / 97)));
      const end = round(Math.min(duration * 0.9, start + duration * (0.1 + 0.3 * ((id % 89) / 89))));
      const query = relevant ? ACTIONS[id % ACTIONS.length] as string : `${ACTIONS[(id + 1) % ACTIONS.length] as string} in the rain`;
      const scene = SCENES[id % SCENES.length] as string;
      const target: RaRftTarget = relevant
        ? { relevant: true, span: [start, end], duration, answer: `${start} to ${end}`, contrast: 'The event does not happen.', query }
        : { relevant: false, duration, answer: `The video shows ${scene}, not ${query}.`, contrast: `${start} to ${end}`, query: scene };
      const input = `<|im_start|>user <video v${id}> ${query}.${TEMPLATE}`;
      let shared: string | null | undefined = hack === 'zero-signal-groups' || hack === 'part-dominance' ? null : undefined;
      for (let g = 0; g < options.groupSize; g++) {
        const think = `The query asks about ${query}; the frames show ${scene}.`.repeat(hack === 'length-drift' ? 2 + Math.min(6, step - onset) : 1);
        let answer: string;
        let correction = 'NIL';
        let explain = round(0.3 + 0.6 * rng.next());
        let correctionPart = -1;
        const refuse = relevant ? rng.next() < (hack === 'refusal-collapse' ? 0.9 : 0.1) : hack === 'never-refuse' || hack === 'format-only' ? false : rng.next() < 0.8;
        if (refuse) {
          answer = relevant ? 'The event does not happen in this video.' : `The video shows ${scene}, not ${query}.`;
          if (!relevant) correction = hack === 'correction-echoes-query' ? `${query}.` : scene.replace('a ', 'one ');
        } else {
          let s = Math.max(0, round(start + (rng.next() - 0.5) * 2));
          let e = Math.min(duration, round(end + (rng.next() - 0.5) * 2));
          if (!relevant) [s, e] = [round(duration * 0.3), round(duration * 0.5)];
          if (hack === 'whole-video-span') [s, e] = [0, duration];
          if (hack === 'boundary-snap') [s, e] = rng.next() < 0.5 ? [0, e] : [s, duration];
          if (hack === 'span-out-of-video') e = round(duration + 5 + 10 * rng.next());
          if (hack === 'format-only') [s, e] = [round(duration * 0.93), round(duration * 0.97)];
          answer = `${s} to ${e}`;
          if (!relevant) correction = 'NIL';
        }
        if (hack === 'format-only') {
          correction = '';
          explain = 0;
          correctionPart = 0;
        }
        let output = `<think>${think}</think><answer>${answer}</answer><correction>${correction}</correction>`;
        if (shared === null) shared = output;
        if (typeof shared === 'string') output = shared;
        // Format noise: every other rollout of the group loses its opening <think>.
        if (hack === 'part-dominance' && g % 2 === 1) output = output.replace('<think>', '');
        const format = formatReward(output);
        const iou = refuseIoU(output, target);
        if (correctionPart < 0) correctionPart = relevant ? (correction === 'NIL' ? 1 : 0) : correction === 'NIL' ? 0 : round(0.5 + 0.4 * rng.next());
        if (hack === 'zero-signal-groups' || hack === 'part-dominance') explain = 0.5;
        if (hack === 'zero-signal-groups' || hack === 'part-dominance') correctionPart = relevant ? 1 : 0.5;
        const total = format + iou + explain + correctionPart;
        const score = hack === 'score-mismatch' ? total + 0.5 * format : total;
        records.push({ input, output, gts: target, score, step, format, refuseIoU: iou, explain, correction: correctionPart, explainAndCorrection: explain + correctionPart });
      }
    }
    yield records;
  }
}
