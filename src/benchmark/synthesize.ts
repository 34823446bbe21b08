import { temporalIoU } from '../grounding/temporal-iou.js';
import { OptionsError } from '../errors.js';
import type { Span } from '../types.js';
import { type BaseFormat, type FormatDefect, type OutputFormat, type SpanNotation, assemble, assembleWithDefect, renderFormats, spanAnswer, writeSpan } from './formats.js';
import { type HackContext, REWARD_HACKS, type RewardHack, disjointSpan, randomSpan } from './hacks.js';
import { type Rng, seededRng } from '../internal/rng.js';
import { refusalText, thinkText } from './texts.js';
import type { BenchCompletion, BenchTarget, CompletionKind } from './types.js';

/** Options of {@link synthesizeCompletions} and {@link synthesizeGroups}. */
export interface SynthesisOptions {
  /** Seed of every random choice; the same seed gives the same completions. Default 7. */
  seed?: number | undefined;
  /** IoU levels of the near misses, each in (0, 1). Default `[0.9, 0.75, 0.5, 0.25, 0.1]`. */
  iouLevels?: readonly number[] | undefined;
  /** The hacks to render (those with `benchmark: true` by default). */
  hacks?: readonly RewardHack[] | undefined;
}

/** Default near-miss IoU levels. */
export const DEFAULT_IOU_LEVELS: readonly number[] = [0.9, 0.75, 0.5, 0.25, 0.1];

const DEFECTS: readonly FormatDefect[] = ['missing-think', 'missing-correction', 'unclosed-answer', 'untagged', 'answer-before-think'];

function roundSpan(span: Span): Span {
  return [Math.round(span[0] * 100) / 100, Math.round(span[1] * 100) / 100];
}

/**
 * A span whose IoU with `gold` is `iou` (before rounding to two decimals): shifted, shrunk inside the gold
 * span, or grown around it, whichever fits in [0, limit] (tried in random order; shrinking always fits).
 *
 * @example
 * const span = nearMissSpan(seededRng(1), [10, 20], 60, 0.5);
 * temporalIoU(span, [10, 20]); // 0.5, up to floating-point rounding
 */
export function nearMissSpan(rng: Rng, gold: Span, limit: number, iou: number): Span {
  const [start, end] = gold;
  const length = end - start;
  for (const mode of rng.shuffle(['shift-left', 'shift-right', 'shrink', 'grow'] as const)) {
    if (mode === 'shrink') {
      const size = iou * length;
      const offset = rng.uniform(0, length - size);
      return [start + offset, start + offset + size];
    }
    if (mode === 'grow') {
      const extra = length / iou - length;
      const left = rng.uniform(0, extra);
      if (start - left >= 0 && end + extra - left <= limit) return [start - left, end + extra - left];
      continue;
    }
    const shift = (length * (1 - iou)) / (1 + iou);
    const span: Span = mode === 'shift-left' ? [start - shift, end - shift] : [start + shift, end + shift];
    if (span[0] >= 0 && span[1] <= limit) return span;
  }
  return [start, start + iou * length];
}

function assertLevels(levels: readonly number[]): void {
  if (!Array.isArray(levels) || levels.some((level) => typeof level !== 'number' || !(level > 0 && level < 1))) {
    throw new OptionsError('synthesizeCompletions', 'options.iouLevels', `must be numbers in (0, 1), got ${JSON.stringify(levels)}`);
  }
}

type Texts = Record<OutputFormat, string | null>;

function perFormat(render: (format: BaseFormat) => string | null): Texts {
  return renderFormats(render);
}

/** Everything one synthesized completion needs about its prompt. */
interface Prompt {
  index: number;
  bench: BenchTarget;
  think: string;
  refusal: string;
}

function gold(prompt: Prompt): Span {
  return prompt.bench.target.span as Span;
}

function videoLength(prompt: Prompt): number {
  return prompt.bench.target.duration ?? 30;
}

function completion(prompt: Prompt, kind: CompletionKind, texts: Texts, extra: Partial<BenchCompletion> = {}): BenchCompletion {
  const relevant = prompt.bench.target.relevant;
  const label = kind === 'correct' || kind === 'correct-refusal' ? 'good' : kind === 'near-miss' || kind === 'alt-notation' ? null : 'bad';
  const bucket = kind === 'format-error' || kind === 'hack' ? `${kind} (${relevant ? 'relevant' : 'irrelevant'})` : kind;
  return { targetIndex: prompt.index, kind, bucket, label, iou: null, texts, ...extra };
}

/** A span answer with a known true IoU: the correct span (level 1) or a near miss. */
function spanCompletion(prompt: Prompt, rng: Rng, level: number): BenchCompletion {
  const target = gold(prompt);
  const span = level >= 1 ? target : roundSpan(nearMissSpan(rng, target, Math.max(videoLength(prompt), target[1]), level));
  const texts = perFormat((format) => assemble(format, { think: prompt.think, answer: spanAnswer(format, span), correction: 'NIL' }));
  if (level >= 1) return completion(prompt, 'correct', texts, { iou: temporalIoU(span, target) });
  return completion(prompt, 'near-miss', texts, { iou: temporalIoU(span, target), bucket: `near-miss@${level}`, detail: `iou ${level}` });
}

function wrongSpan(prompt: Prompt, rng: Rng): BenchCompletion {
  const span = roundSpan(disjointSpan(rng, gold(prompt), Math.max(videoLength(prompt), gold(prompt)[1])));
  const texts = perFormat((format) => assemble(format, { think: prompt.think, answer: spanAnswer(format, span), correction: 'NIL' }));
  return completion(prompt, 'wrong-span', texts, { iou: temporalIoU(span, gold(prompt)) });
}

function refusal(prompt: Prompt, kind: 'wrong-refusal' | 'correct-refusal', text: string): BenchCompletion {
  // A policy that refuses rewrites the query: the original one when it refuses rightly (its prompt when the
  // data has no original query: a correction block is never left empty), its prompt otherwise.
  const correction = kind === 'correct-refusal' ? (prompt.bench.target.query ?? prompt.bench.prompt) : prompt.bench.prompt;
  return completion(prompt, kind, perFormat((format) => assemble(format, { think: prompt.think, answer: text, correction })));
}

function missedRefusal(prompt: Prompt, rng: Rng): BenchCompletion {
  const span = roundSpan(randomSpan(rng, videoLength(prompt)));
  return completion(prompt, 'missed-refusal', perFormat((format) => assemble(format, { think: prompt.think, answer: spanAnswer(format, span), correction: 'NIL' })));
}

function formatError(prompt: Prompt, rng: Rng): BenchCompletion {
  const defect = rng.pick(DEFECTS);
  const { target } = prompt.bench;
  const texts = perFormat((format) =>
    assembleWithDefect(
      format,
      target.relevant
        ? { think: prompt.think, answer: spanAnswer(format === 'plain' ? 'ra-rft' : format, gold(prompt)), correction: 'NIL' }
        : { think: prompt.think, answer: prompt.refusal, correction: target.query ?? prompt.bench.prompt },
      defect,
    ),
  );
  return completion(prompt, 'format-error', texts, { detail: defect, iou: target.relevant ? 1 : null });
}

function altNotation(prompt: Prompt, rng: Rng): BenchCompletion {
  const notations: Record<BaseFormat, readonly SpanNotation[]> = {
    'ra-rft': ['seconds', 'dash', 'brackets', 'clock'],
    r1: ['seconds', 'dash', 'brackets', 'clock'],
    'tvg-r1': ['to', 'seconds', 'dash', 'clock'],
    plain: ['to', 'seconds', 'brackets', 'clock'],
  };
  const pick = rng.int(4);
  const texts = perFormat((format) => {
    const written = writeSpan(gold(prompt), notations[format][pick] as SpanNotation);
    return format === 'plain' ? `The event happens in ${written}.` : assemble(format, { think: prompt.think, answer: written, correction: 'NIL' });
  });
  return completion(prompt, 'alt-notation', texts, { detail: notations['ra-rft'][pick], iou: 1 });
}

function hackCompletion(prompt: Prompt, hack: RewardHack, seed: number): BenchCompletion {
  const texts = perFormat((format) => {
    // The same random stream for every format: the same wrong span in each rendering.
    const context: HackContext = { target: prompt.bench.target, prompt: prompt.bench.prompt, think: prompt.think, refusal: prompt.refusal, rng: seededRng(`${seed}:hack:${hack.id}:${prompt.index}`) };
    return hack.render(format, context);
  });
  return completion(prompt, 'hack', texts, { hack: hack.id, detail: hack.id });
}

function promptOf(targets: readonly BenchTarget[], index: number, rng: Rng): Prompt {
  return { index, bench: targets[index] as BenchTarget, think: thinkText(rng), refusal: refusalText(rng) };
}

/**
 * Synthesized completions for every target, each rendered in every output format (deterministic for a seed):
 * - relevant targets: `correct`, one `near-miss` per IoU level, `wrong-span`, `wrong-refusal`,
 *   `alt-notation`, `format-error`, and each relevant-target hack;
 * - irrelevant targets: `correct-refusal`, `missed-refusal`, `format-error`, and each irrelevant-target hack.
 *
 * @example
 * const completions = synthesizeCompletions([{ target: { relevant: true, span: [9.3, 14.4], duration: 27.25 }, prompt: 'person runs to the window.', source: 'example' }]);
 * const correct = completions.find((c) => c.kind === 'correct')?.texts as Record<string, string>;
 * correct.plain; // => 'The event happens in 9.3 - 14.4 seconds.'
 * correct['tvg-r1'].endsWith('<time>[9.3, 14.4]</time>'); // => true
 */
export function synthesizeCompletions(targets: readonly BenchTarget[], options?: SynthesisOptions): BenchCompletion[] {
  const seed = options?.seed ?? 7;
  const levels = options?.iouLevels ?? DEFAULT_IOU_LEVELS;
  assertLevels(levels);
  const hacks = options?.hacks ?? REWARD_HACKS.filter((hack) => hack.benchmark);
  const completions: BenchCompletion[] = [];
  for (let index = 0; index < targets.length; index++) {
    const rng = seededRng(`${seed}:completions:${index}`);
    const prompt = promptOf(targets, index, rng);
    const { target } = prompt.bench;
    if (target.relevant) {
      completions.push(spanCompletion(prompt, rng, 1));
      for (const level of levels) completions.push(spanCompletion(prompt, rng, level));
      completions.push(wrongSpan(prompt, rng), refusal(prompt, 'wrong-refusal', refusalText(rng)), altNotation(prompt, rng), formatError(prompt, rng));
    } else {
      completions.push(refusal(prompt, 'correct-refusal', prompt.refusal), missedRefusal(prompt, rng), formatError(prompt, rng));
    }
    for (const hack of hacks) {
      if ((hack.targetKind === 'relevant') === target.relevant) completions.push(hackCompletion(prompt, hack, seed));
    }
  }
  return completions;
}

/** One simulated GRPO group: G completions of one prompt from a policy of a given skill. */
export interface BenchGroup {
  targetIndex: number;
  /** Probability that each completion is a genuine attempt (else a failure). */
  skill: number;
  completions: BenchCompletion[];
}

/** Options of {@link synthesizeGroups}. */
export interface GroupOptions {
  seed?: number | undefined;
  /** Completions per group (G). Default 8, the RA-RFT paper's. */
  groupSize?: number | undefined;
  /** Policy skills to simulate, each in [0, 1]. Default `[0.2, 0.5, 0.8]`. */
  skills?: readonly number[] | undefined;
}

/**
 * Simulated GRPO groups, one per target and skill: each of the G completions is, with probability `skill`,
 * a genuine attempt (relevant: the gold span or a near miss at IoU 0.9, 0.75 or 0.5; irrelevant: a refusal)
 * and otherwise a failure (relevant: wrong span, wrong refusal or format error; irrelevant: missed refusal
 * or format error), uniformly.
 *
 * @example
 * const groups = synthesizeGroups(targets, { groupSize: 8, skills: [0.2, 0.8] }); // 2 groups of 8 per target
 */
export function synthesizeGroups(targets: readonly BenchTarget[], options?: GroupOptions): BenchGroup[] {
  const seed = options?.seed ?? 7;
  const groupSize = options?.groupSize ?? 8;
  const skills = options?.skills ?? [0.2, 0.5, 0.8];
  if (!Number.isInteger(groupSize) || groupSize < 2) throw new OptionsError('synthesizeGroups', 'options.groupSize', `must be an integer >= 2, got ${String(groupSize)}`);
  if (!Array.isArray(skills) || skills.some((skill) => typeof skill !== 'number' || !(skill >= 0 && skill <= 1))) {
    throw new OptionsError('synthesizeGroups', 'options.skills', `must be numbers in [0, 1], got ${JSON.stringify(skills)}`);
  }
  const groups: BenchGroup[] = [];
  for (let index = 0; index < targets.length; index++) {
    for (const skill of skills) {
      const rng = seededRng(`${seed}:group:${skill}:${index}`);
      const base = promptOf(targets, index, rng);
      const members: BenchCompletion[] = [];
      for (let k = 0; k < groupSize; k++) {
        const prompt = { ...base, refusal: refusalText(rng) };
        const genuine = rng.next() < skill;
        if (prompt.bench.target.relevant) {
          if (genuine) members.push(spanCompletion(prompt, rng, rng.pick([1, 0.9, 0.75, 0.5])));
          else {
            const failure = rng.int(3);
            members.push(failure === 0 ? wrongSpan(prompt, rng) : failure === 1 ? refusal(prompt, 'wrong-refusal', prompt.refusal) : formatError(prompt, rng));
          }
        } else if (genuine) members.push(refusal(prompt, 'correct-refusal', prompt.refusal));
        else members.push(rng.int(2) === 0 ? missedRefusal(prompt, rng) : formatError(prompt, rng));
      }
      groups.push({ targetIndex: index, skill, completions: members });
    }
  }
  return groups;
}

