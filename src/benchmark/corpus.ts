// The reward-hacking corpus (corpus/reward-hacks.jsonl): every registered hack rendered on fixed HI-VTG
// targets, with the reward each profile and variant gives it and the genuine answer of the same kind.
// Rebuild it with `npx tsx corpus/build.ts`; test/corpus.test.ts checks the file against the library.
import { raRftReward } from '../profiles/ra-rft-reward.js';
import { trigramHashEmbedder } from '../embeddings/trigram-hash-embedder.js';
import type { RaRftTarget } from '../types.js';
import { type OutputFormat, renderFormats } from './formats.js';
import { type HackContext, REWARD_HACKS, type RewardHack, genuineCompletion } from './hacks.js';
import { seededRng } from '../internal/rng.js';
import { REFUSALS, THINKS } from './texts.js';
import type { RewardPart } from './types.js';
import { VARIANTS } from '../variants/registry.js';
import type { BuiltinVariant } from '../variants/types.js';

/** The four RA-RFT parts and their sum under one profile (explain and correction with the trigram-hash embedder). */
export interface ProfileRewards {
  format: number;
  refuseIoU: number;
  explain: number;
  correction: number;
  total: number;
}

/**
 * The documented rewards of one completion: RA-RFT's four parts under the `ra-rft` and `strict` profiles,
 * and every other built-in variant's reward (its `score`, no extra inputs), keyed by variant id.
 */
export interface CorpusRewards {
  'ra-rft': ProfileRewards;
  strict: ProfileRewards;
  [variant: string]: ProfileRewards | number;
}

/** The built-in variants documented as one number (all but the two RA-RFT profiles), in registry order. */
export const CORPUS_VARIANTS: readonly BuiltinVariant[] = VARIANTS.filter((variant) => variant.id !== 'ra-rft' && variant.id !== 'strict');

/**
 * A built-in variant's reward as the corpus records it: `format + refuseIoU` for `ra-rft` and `strict`,
 * the variant's number for the others; NaN when the corpus has none for that id.
 *
 * @example
 * variantReward({ 'ra-rft': { format: 1, refuseIoU: 0.5, explain: 0, correction: 1, total: 2.5 }, strict: { format: 0, refuseIoU: 0, explain: 0, correction: 0, total: 0 }, taro: 2 }, 'ra-rft'); // => 1.5
 */
export function variantReward(rewards: CorpusRewards, id: string): number {
  const value = rewards[id];
  if (value === undefined) return Number.NaN;
  return typeof value === 'number' ? value : value.format + value.refuseIoU;
}

/** One line of corpus/reward-hacks.jsonl. */
export interface HackCorpusEntry {
  /** Unique: the hack id, `@format` when not the RA-RFT layout, `#target` for a second target. */
  id: string;
  hack: string;
  /** The output format the completion is written in. */
  format: OutputFormat;
  targetKind: 'relevant' | 'irrelevant';
  attacks: readonly RewardPart[];
  /** Why it is a hack. */
  why: string;
  /** The query the policy was shown. */
  prompt: string;
  target: RaRftTarget;
  completion: string;
  /** The genuine answer of the same kind, in the same format: the gold span with NIL, or a refusal with the original query. */
  genuine: string;
  rewards: CorpusRewards;
  genuineRewards: CorpusRewards;
}

/** HI-VTG hi_vtg_charades.json item 1 (texts as `hiVtgTargets` pairs them). */
const GLASS = {
  prompts: { relevant: 'person puts the glass on the table.', irrelevant: 'person puts the bottle on the table.' },
  refusal:
    '<answer>The query appears inconsistent with the video content.The portion showing the person taking and placing an item clearly depicts a glass from the cabinet, not a bottle, so no part of the clip supports a bottle being placed.</answer>',
  relevant: { relevant: true, span: [8.2, 13.6], duration: 16.75, answer: '<answer>8.2 to 13.6</answer>', query: 'person puts the glass on the table.' },
} as const;

/** The relevant and irrelevant targets the corpus uses (hi_vtg_charades.json items 1 and 20). */
export const CORPUS_TARGETS: Record<'relevant' | 'irrelevant' | 'pastEnd', { target: RaRftTarget; prompt: string }> = {
  relevant: { target: { ...GLASS.relevant, span: [...GLASS.relevant.span], contrast: GLASS.refusal }, prompt: GLASS.prompts.relevant },
  irrelevant: {
    target: { relevant: false, answer: GLASS.refusal, duration: 16.75, contrast: '<answer>8.2 to 13.6</answer>', query: 'person puts the glass on the table.' },
    prompt: GLASS.prompts.irrelevant,
  },
  // Item 20: the gold span [28.7, 34] runs past the 31.12 s video, as in 15% of hi_vtg_charades.json.
  pastEnd: {
    target: {
      relevant: true,
      span: [28.7, 34],
      duration: 31.12,
      answer: '<answer>28.7 to 34.0</answer>',
      query: 'person closing the door.',
      contrast:
        '<answer>The query appears inconsistent with the video segment.The segment shows the person closing the door, while the query asks about opening it, so no part of the segment satisfies this.</answer>',
    },
    prompt: 'person closing the door.',
  },
};

const embedder = trigramHashEmbedder();

async function profileRewards(completion: string, target: RaRftTarget, profile: 'ra-rft' | 'strict'): Promise<ProfileRewards> {
  const result = await raRftReward(completion, target, { embedder, profile });
  return { format: result.format, refuseIoU: result.refuseIoU, explain: result.explain, correction: result.correction, total: result.total };
}

/**
 * The documented rewards of a completion: RA-RFT's four parts under the `ra-rft` and `strict` profiles
 * (explain and correction with `trigramHashEmbedder()`), and the other variants' rewards.
 *
 * @example
 * const rewards = await corpusRewards('<think>…</think><answer></answer><correction></correction>', { relevant: false, answer: 'No one sings.', contrast: '1 to 2', query: 'a man sings.' });
 * [rewards['ra-rft'].refuseIoU, rewards.strict.refuseIoU]; // => [1, 0]
 */
export async function corpusRewards(completion: string, target: RaRftTarget): Promise<CorpusRewards> {
  const rewards: CorpusRewards = {
    'ra-rft': await profileRewards(completion, target, 'ra-rft'),
    strict: await profileRewards(completion, target, 'strict'),
  };
  for (const variant of CORPUS_VARIANTS) rewards[variant.id] = variant.score(completion, target);
  return rewards;
}

/** Hacks also rendered in the Time-R1 and TVG-R1 layouts, where those parsers behave differently. */
const OTHER_FORMATS: Record<string, readonly OutputFormat[]> = {
  'multiple-answers': ['r1', 'tvg-r1', 'museg', 'temporal-r1', 'taro', 'open-o3-video', 'timesearch-r'],
  'two-spans-one-answer': ['r1', 'tvg-r1', 'museg', 'temporal-r1'],
  'enumerate-spans': ['r1', 'museg'],
  'whole-video': ['r1', 'museg', 'temporal-r1', 'taro', 'open-o3-video', 'timesearch-r'],
  'past-video-end': ['r1', 'temporal-r1', 'taro', 'open-o3-video', 'timesearch-r'],
  'tags-inside-think': ['r1', 'tvg-r1'],
  'prose-around-tags': ['tvg-r1', 'r1', 'museg'],
  'empty-think': ['r1', 'museg', 'temporal-r1', 'taro', 'open-o3-video', 'timesearch-r'],
  'empty-answer': ['r1', 'museg', 'taro', 'open-o3-video', 'timesearch-r'],
  'one-word-refusal': ['plain'],
  'lookalike-digits': ['r1', 'museg', 'temporal-r1'],
  'unicode-lookalike-tags': ['r1'],
};

async function entry(hack: RewardHack, format: OutputFormat, which: keyof typeof CORPUS_TARGETS, id: string): Promise<HackCorpusEntry | null> {
  const { target, prompt } = CORPUS_TARGETS[which];
  const context = (): HackContext => ({ target, prompt, think: THINKS[0], refusal: REFUSALS[0], rng: seededRng(`corpus:${hack.id}`) });
  const completion = renderFormats((base) => hack.render(base, context()))[format];
  if (completion === null || completion === undefined) return null;
  const genuine = renderFormats((base) => genuineCompletion(base, context()))[format] as string;
  return {
    id,
    hack: hack.id,
    format,
    targetKind: hack.targetKind,
    attacks: hack.attacks,
    why: hack.why,
    prompt,
    target,
    completion,
    genuine,
    rewards: await corpusRewards(completion, target),
    genuineRewards: await corpusRewards(genuine, target),
  };
}

/**
 * Builds the reward-hacking corpus: each registered hack in the RA-RFT layout on a HI-VTG target of its
 * kind, some also in the Time-R1 / TVG-R1 layouts, and `past-video-end` also on a target whose gold span
 * runs past the video end. Deterministic.
 */
export async function buildHackCorpus(hacks: readonly RewardHack[] = REWARD_HACKS): Promise<HackCorpusEntry[]> {
  const entries: (HackCorpusEntry | null)[] = [];
  for (const hack of hacks) {
    entries.push(await entry(hack, 'ra-rft', hack.targetKind, hack.id));
    for (const format of OTHER_FORMATS[hack.id] ?? []) entries.push(await entry(hack, format, hack.targetKind, `${hack.id}@${format}`));
    if (hack.id === 'past-video-end') entries.push(await entry(hack, 'ra-rft', 'pastEnd', `${hack.id}#gold-past-end`));
  }
  return entries.filter((item): item is HackCorpusEntry => item !== null);
}

/** The corpus as JSONL text, one entry per line. */
export function hackCorpusJsonl(entries: readonly HackCorpusEntry[]): string {
  return entries.map((item) => JSON.stringify(item)).join('\n') + '\n';
}
