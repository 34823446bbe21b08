import { OptionsError } from '../errors.js';
import { TRAIN_DEFAULTS } from './defaults.js';
import type { RaRftTarget } from '../types.js';
import type { Rng } from '../internal/rng.js';

/** The event categories a hard-irrelevant query may change (one of them, as HI-VTG's "hard" refusables do). */
export type EventCategory = 'action' | 'attribute' | 'object';

/** The HI-VTG semantic relevance category (REWARDS.md) each synthetic change stands for. */
export const HI_VTG_CATEGORY: Readonly<Record<EventCategory, string>> = {
  action: 'Action/FineGrainedAction',
  attribute: 'Attribute/AttributeValue',
  object: 'Object/ObjectExistence',
};

export const EVENT_CATEGORIES: readonly EventCategory[] = ['action', 'attribute', 'object'];

const ACTIONS = ['opens', 'closes', 'throws', 'catches', 'lifts', 'drops', 'pushes', 'pulls', 'washes', 'paints', 'holds', 'kicks'] as const;
const ATTRIBUTES = ['red', 'blue', 'green', 'yellow', 'black', 'white', 'small', 'large', 'old', 'wooden'] as const;
const OBJECTS = ['door', 'box', 'ball', 'cup', 'chair', 'book', 'bottle', 'bag', 'lamp', 'plate', 'phone', 'towel'] as const;

/** Words of each category. */
export const CATEGORY_WORDS: Readonly<Record<EventCategory, readonly string[]>> = { action: ACTIONS, attribute: ATTRIBUTES, object: OBJECTS };

/** Structure tokens: `<pad>` is 0, `<eos>` ends a completion. */
const SPECIAL = ['<pad>', '<eos>', '<think>', '</think>', '<answer>', '</answer>', '<correction>', '</correction>', 'NIL', 'to', 'not', 'but'] as const;

/** One timed event of a synthetic video: someone `action`s the `attribute` `object` from `start` to `end` seconds. */
export interface SyntheticEvent {
  action: string;
  attribute: string;
  object: string;
  start: number;
  end: number;
}

/** A synthetic "video": events in time order and its duration in seconds. */
export interface SyntheticVideo {
  events: SyntheticEvent[];
  duration: number;
}

/** One prompt of the synthetic HI-VTG task with its reward target. */
export interface SyntheticSample {
  video: SyntheticVideo;
  /** The query's three words (action, attribute, object). */
  query: { action: string; attribute: string; object: string };
  /** The query text (`"opens red door"`). */
  queryText: string;
  /** `true`: the query names an event of the video; `false`: hard-irrelevant (one category changed). */
  relevant: boolean;
  /** The changed category of a hard-irrelevant query, `null` for a relevant one. */
  changed: EventCategory | null;
  /** The event the query names (relevant) or was made from (hard-irrelevant). */
  eventIndex: number;
  /** Prompt token ids (the video's events, then the query). */
  prompt: number[];
  /** The RA-RFT reward target (REWARDS.md), as the HI-VTG pairing builds it. */
  target: RaRftTarget;
  /** The ideal completion text: an answer for relevant queries, a refusal with explanation and correction otherwise. */
  ideal: string;
}

/** Options of {@link SyntheticHiVtgTask}. */
export interface SyntheticTaskOptions {
  /** Events per video (default 4; 2–8). */
  eventsPerVideo?: number | undefined;
  /**
   * Distinct words per category in one video (default 2): events share actions, attributes and objects,
   * so only the whole (action, attribute, object) triple identifies an event, and a hard-irrelevant query
   * can recombine words the video does show. Needs `wordsPerCategory³ ≥ eventsPerVideo`.
   */
  wordsPerCategory?: number | undefined;
  /** Chance that a hard-irrelevant query's new word is one the video shows elsewhere (default 0.5). */
  compositionalShare?: number | undefined;
  /** Shortest and longest event in seconds (default 2 and 8). */
  minEventSeconds?: number | undefined;
  maxEventSeconds?: number | undefined;
  /** Longest gap between events in seconds (default 3). */
  maxGapSeconds?: number | undefined;
}

/**
 * The synthetic hard-irrelevant VTG task. A video is the token sequence of its timed events
 * (`action attribute object start end` per event, integer seconds, all distinct); the prompt is the video followed by a
 * query naming one event (`action attribute object`). Events share words, so only the whole triple
 * identifies one. A hard-irrelevant query changes ONE category of the event (HI-VTG's FineGrainedAction,
 * AttributeValue and ObjectExistence categories) so that no event matches it, while it still matches two
 * of three words of a real event; the new word may be shown elsewhere in the video.
 *
 * The policy first names the event it found (`<think> 12 17 opens red door </think>`), then answers
 * `<answer> 12 to 17 </answer> <correction> NIL </correction>`, or refuses:
 * `<answer> not kicks but opens </answer> <correction> opens red door </correction>`.
 *
 * @example
 * const task = new SyntheticHiVtgTask();
 * const sample = task.sample(new Rng(1), 'object');
 * [sample.relevant, sample.queryText, sample.target.query, sample.target.answer]; // => [false, 'catches large door', 'catches large book', 'not door but book']
 */
export class SyntheticHiVtgTask {
  /** Token strings; the id of a token is its index. */
  readonly vocabulary: readonly string[];
  readonly eventsPerVideo: number;
  readonly maxTime: number;
  /** Prompt length in tokens (every prompt has the same layout). */
  readonly promptLength: number;
  /** Longest completion the ideal outputs need, in tokens, `<eos>` included. */
  readonly idealMaxCompletion: number;
  private readonly ids = new Map<string, number>();
  private readonly minEvent: number;
  private readonly maxEvent: number;
  private readonly maxGap: number;
  private readonly wordsPerCategory: number;
  private readonly compositionalShare: number;

  constructor(options: SyntheticTaskOptions = {}) {
    const fn = 'SyntheticHiVtgTask';
    const D = TRAIN_DEFAULTS.task;
    this.eventsPerVideo = integerOption(fn, 'eventsPerVideo', options.eventsPerVideo, D.eventsPerVideo, 2, 8);
    this.minEvent = integerOption(fn, 'minEventSeconds', options.minEventSeconds, D.minEventSeconds, 1, 100);
    this.maxEvent = integerOption(fn, 'maxEventSeconds', options.maxEventSeconds, D.maxEventSeconds, this.minEvent, 100);
    this.maxGap = integerOption(fn, 'maxGapSeconds', options.maxGapSeconds, D.maxGapSeconds, 1, 100);
    this.wordsPerCategory = integerOption(fn, 'wordsPerCategory', options.wordsPerCategory, D.wordsPerCategory, 1, 10);
    if (this.wordsPerCategory ** 3 < this.eventsPerVideo) {
      throw new OptionsError(fn, 'options.wordsPerCategory', `must satisfy wordsPerCategory³ >= eventsPerVideo (${this.eventsPerVideo}), got ${this.wordsPerCategory}`);
    }
    const share = options.compositionalShare ?? D.compositionalShare;
    if (typeof share !== 'number' || !(share >= 0 && share <= 1)) throw new OptionsError(fn, 'options.compositionalShare', `must be in [0, 1], got ${String(share)}`);
    this.compositionalShare = share;
    this.maxTime = this.maxGap + this.eventsPerVideo * (this.maxEvent + this.maxGap) + this.maxGap;
    const times = Array.from({ length: this.maxTime + 1 }, (_, t) => String(t));
    this.vocabulary = [...SPECIAL, ...ACTIONS, ...ATTRIBUTES, ...OBJECTS, ...times];
    this.vocabulary.forEach((token, id) => this.ids.set(token, id));
    this.promptLength = this.eventsPerVideo * 5 + 3;
    this.idealMaxCompletion = 20;
  }

  /** Token id of a word; throws for a word outside the vocabulary. */
  id(token: string): number {
    const id = this.ids.get(token);
    if (id === undefined) throw new OptionsError('SyntheticHiVtgTask', 'token', `'${token}' is not in the vocabulary`);
    return id;
  }

  /** Token ids of a space-separated text. */
  encode(text: string): number[] {
    return text.split(/\s+/).filter((word) => word !== '').map((word) => this.id(word));
  }

  /** The completion text of token ids: words joined by spaces, stopping at `<eos>`, `<pad>` skipped. */
  decode(ids: readonly number[]): string {
    const words: string[] = [];
    for (const id of ids) {
      if (id === EOS) break;
      if (id === PAD) continue;
      words.push(this.vocabulary[id] ?? '?');
    }
    return words.join(' ');
  }

  /** A random video. */
  video(rng: Rng): SyntheticVideo {
    const n = this.eventsPerVideo;
    const k = this.wordsPerCategory;
    const actions = rng.sample(ACTIONS, k);
    const attributes = rng.sample(ATTRIBUTES, k);
    const objects = rng.sample(OBJECTS, k);
    // n distinct (action, attribute, object) triples out of the k³ the pools allow.
    const triples = rng.sample(
      Array.from({ length: k ** 3 }, (_, i) => i),
      n,
    ).map((i) => [actions[i % k], attributes[Math.floor(i / k) % k], objects[Math.floor(i / (k * k))]] as [string, string, string]);
    const events: SyntheticEvent[] = [];
    let time = rng.int(this.maxGap + 1);
    for (let i = 0; i < n; i++) {
      const start = time;
      const end = start + this.minEvent + rng.int(this.maxEvent - this.minEvent + 1);
      const [action, attribute, object] = triples[i] as [string, string, string];
      events.push({ action, attribute, object, start, end });
      // Gaps of at least 1 s keep every time token of a video distinct.
      time = end + 1 + rng.int(this.maxGap);
    }
    return { events, duration: time + 1 + rng.int(this.maxGap + 1) };
  }

  /**
   * A random prompt on a new video: relevant when `kind` is `'relevant'`, otherwise hard-irrelevant with
   * the named category changed.
   */
  sample(rng: Rng, kind: 'relevant' | EventCategory): SyntheticSample {
    const video = this.video(rng);
    const eventIndex = rng.int(video.events.length);
    const event = video.events[eventIndex] as SyntheticEvent;
    const original = { action: event.action, attribute: event.attribute, object: event.object };
    const originalText = wordsOf(original);
    const span = `${event.start} to ${event.end}`;
    const contrastCategory = kind === 'relevant' ? rng.pick(EVENT_CATEGORIES) : kind;
    // The changed query must match no event; its new word is one the video shows elsewhere (compositional)
    // or one it never shows (existence), as chosen by compositionalShare.
    const valid = CATEGORY_WORDS[contrastCategory].filter(
      (word) => word !== original[contrastCategory] && !video.events.some((e) => sameEvent(e, { ...original, [contrastCategory]: word })),
    );
    const shown = valid.filter((word) => video.events.some((e) => e[contrastCategory] === word));
    const absent = valid.filter((word) => !shown.includes(word));
    const replacement = rng.pick(shown.length > 0 && (absent.length === 0 || rng.next() < this.compositionalShare) ? shown : absent);
    const refusal = `not ${replacement} but ${original[contrastCategory]}`;
    const prompt = video.events.flatMap((e) => [this.id(e.action), this.id(e.attribute), this.id(e.object), this.id(String(e.start)), this.id(String(e.end))]);
    // The think first names the matched event's times, then restates the query.
    const found = `${event.start} ${event.end} ${originalText}`;
    if (kind === 'relevant') {
      prompt.push(...this.encode(originalText));
      return {
        video,
        query: original,
        queryText: originalText,
        relevant: true,
        changed: null,
        eventIndex,
        prompt,
        target: { relevant: true, span: [event.start, event.end], duration: video.duration, answer: span, contrast: refusal, query: originalText },
        ideal: `<think> ${found} </think> <answer> ${span} </answer> <correction> NIL </correction>`,
      };
    }
    const query = { ...original, [kind]: replacement };
    const queryText = wordsOf(query);
    prompt.push(...this.encode(queryText));
    return {
      video,
      query,
      queryText,
      relevant: false,
      changed: kind,
      eventIndex,
      prompt,
      target: { relevant: false, answer: refusal, contrast: span, query: originalText },
      ideal: `<think> ${found} </think> <answer> ${refusal} </answer> <correction> ${originalText} </correction>`,
    };
  }

  /** Human-readable prompt text (for logs and docs). */
  promptText(sample: SyntheticSample): string {
    const events = sample.video.events.map((e) => `${e.action} ${e.attribute} ${e.object} ${e.start} ${e.end}`).join(' | ');
    return `video: ${events} ; query: ${sample.queryText}`;
  }
}

/** Id of the padding token. */
export const PAD = 0;
/** Id of the end-of-completion token. */
export const EOS = 1;

function sameEvent(event: SyntheticEvent, query: { action: string; attribute: string; object: string }): boolean {
  return event.action === query.action && event.attribute === query.attribute && event.object === query.object;
}

function wordsOf(query: { action: string; attribute: string; object: string }): string {
  return `${query.action} ${query.attribute} ${query.object}`;
}

function integerOption(fn: string, field: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new OptionsError(fn, `options.${field}`, `must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}
