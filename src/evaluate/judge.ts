import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OptionsError, RaRftError, hasErrorKind } from '../errors.js';
import { VTG_MISMATCH_CATEGORIES } from './categories.js';
import type { Judge } from './types.js';

/** A judge request failed for good (after its retries, or with a status that is not worth retrying). */
export class JudgeError extends RaRftError {
  static override readonly kind: string = 'JudgeError';
  override name = 'JudgeError';
  /** The HTTP status of the last attempt, when there was a response. */
  readonly status: number | undefined;

  constructor(problem: string, status?: number) {
    super('openAIJudge', 'request', problem);
    this.status = status;
  }
}

/** Options of {@link openAIJudge}. */
export interface OpenAIJudgeOptions {
  /** Base URL of an OpenAI-compatible API, e.g. `https://api.openai.com/v1` (`/chat/completions` is appended). */
  url: string;
  /** The model name sent with each request. */
  model: string;
  /** Sent as `Authorization: Bearer …` when given. */
  apiKey?: string | undefined;
  /** A folder where each reply is kept, keyed by model and messages: a second run asks nothing again. */
  cacheDir?: string | undefined;
  /** Requests in flight at once (default 4). */
  concurrency?: number | undefined;
  /** Retries of a request that failed with 429, a 5xx status or a network error (default 5). */
  retries?: number | undefined;
  /** First back-off in ms, doubled each retry (default 1000); a `Retry-After` header wins when longer. */
  backoffMs?: number | undefined;
  /** Per-request timeout in ms (default 120000). */
  timeoutMs?: number | undefined;
  /** The fetch to use (default the global one). */
  fetch?: typeof fetch | undefined;
}

/** Counters of an {@link openAIJudge}. */
export interface JudgeStats {
  /** Answers read from the cache. */
  cacheHits: number;
  /** HTTP requests sent (retries included). */
  requests: number;
  /** Of them, retries after a 429 / 5xx / network error. */
  retries: number;
}

/** The version of this library's judge prompts; part of the cache key and of the judge's name. */
export const JUDGE_PROMPT_VERSION = 'v1';

const REASONING_PROMPT = `You grade refusal explanations of a video temporal grounding model.
The model was asked to find a moment in a video, but the query does not match the video, so the right
answer is a refusal with an explanation. You get the model's explanation and a reference explanation
written from the video. Judge only the content: does the model name the same mismatches (which object,
action, attribute, place, order or count is wrong) with the same evidence, without contradicting the
reference? Extra remarks that agree with the reference cost nothing; missing or contradicting points do.
Style and wording do not matter. A closing guess at the original query does not count for or against.
Scale: 5 = every reference point, nothing contradicted; 4 = nearly all; 3 = most, a key point weak or
missing; 2 = several points missing or partly contradicted; 1 = mostly different; 0 = unrelated or
contradicting. One decimal is allowed.
Reply with JSON only: {"score": <number from 0 to 5>}`;

const CATEGORY_PROMPT = `You label refusal explanations of a video temporal grounding model with the kinds of
video-text mismatch they state. Use only these labels:
- Action/ActionSequence: the order or causal relation of actions differs
- Action/FineGrainedAction: a similar-looking but different action (opens vs closes, throws vs catches)
- Object/ObjectExistence: an object is added, removed or swapped for another
- Object/ObjectPartRelation: a part, accessory or whole differs (a watch vs a bracelet)
- Object/ObjectSpatialRelation: the relative position differs (under vs on)
- Object/ObjectMoving: the direction or path of a moving object differs
- Scene/SceneTransition: the order or direction of scene changes differs
- Scene/SceneExistence: the place or background differs (kitchen vs bathroom)
- Attribute/AttributeValue: a property differs (color, size, material, shape, emotion)
- Attribute/Counting: a number of things or repetitions differs
- Attribute/Comparison: a comparison is reversed (faster vs slower)
Pick every label the explanation clearly states or implies, and no guesses.
Reply with a JSON array of labels only, e.g. ["Object/ObjectExistence"], or [] when none applies.`;

type Message = { role: 'system' | 'user'; content: string };

/** The first JSON value of `open`…`close` in a reply (models wrap JSON in prose or code fences). */
function firstJson(text: string, open: string, close: string): unknown {
  const start = text.indexOf(open);
  const end = text.lastIndexOf(close);
  if (start < 0 || end < start) return undefined;
  try {
    return JSON.parse(text.slice(start, end + 1));
  } catch {
    // Python-style dict literals ({'score': 4.0}), as some judges answer.
    try {
      return JSON.parse(text.slice(start, end + 1).replace(/'/g, '"'));
    } catch {
      return undefined;
    }
  }
}

/**
 * The reasoning score (0–5) in a judge reply: `{"score": x}` (also a Python-style dict) or a bare number;
 * null when there is none. Out-of-range scores are clipped to [0, 5].
 *
 * @example
 * parseReasoningReply('{"score": 4.5}'); // => 4.5
 * parseReasoningReply('Score: 7'); // => 5
 * parseReasoningReply('no idea'); // => null
 */
export function parseReasoningReply(reply: string): number | null {
  const parsed = firstJson(reply, '{', '}') as { score?: unknown } | undefined;
  let score = typeof parsed?.score === 'number' ? parsed.score : typeof parsed?.score === 'string' ? Number(parsed.score) : Number.NaN;
  if (!Number.isFinite(score)) score = Number(/-?\d+(?:\.\d+)?/.exec(reply)?.[0] ?? Number.NaN);
  return Number.isFinite(score) ? Math.min(5, Math.max(0, score)) : null;
}

/**
 * The mismatch categories in a judge reply (a JSON array), kept to {@link VTG_MISMATCH_CATEGORIES} and
 * deduplicated; null when the reply holds no array.
 *
 * @example
 * parseCategoryReply('["Object/ObjectExistence", "Negation/Negation", "Object/ObjectExistence"]'); // => ['Object/ObjectExistence']
 * parseCategoryReply('none'); // => null
 */
export function parseCategoryReply(reply: string): string[] | null {
  const parsed = firstJson(reply, '[', ']');
  if (!Array.isArray(parsed)) return null;
  return [...new Set(parsed.filter((label): label is string => typeof label === 'string' && VTG_MISMATCH_CATEGORIES.includes(label)))];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A {@link Judge} over any OpenAI-compatible chat-completions endpoint (`POST {url}/chat/completions`), with
 * this library's own prompts ({@link JUDGE_PROMPT_VERSION}), at most `concurrency` requests in flight,
 * retries with exponential back-off on 429 / 5xx / network errors, and an on-disk cache of every reply.
 * The judged metrics depend on the judge model and these prompts: they are not the paper's numbers.
 *
 * @example
 * const judge = openAIJudge({ url: 'http://127.0.0.1:8000/v1', model: 'gpt-4o-mini', apiKey: process.env.OPENAI_API_KEY, cacheDir: '.judge-cache' });
 */
export function openAIJudge(options: OpenAIJudgeOptions): Judge & { readonly stats: JudgeStats } {
  const fn = 'openAIJudge';
  if (typeof options?.url !== 'string' || !/^https?:\/\//.test(options.url)) throw new OptionsError(fn, 'options.url', `must be an http(s) URL, got ${JSON.stringify(options?.url)}`);
  if (typeof options.model !== 'string' || options.model === '') throw new OptionsError(fn, 'options.model', 'must be a non-empty string');
  const positiveInt = (field: string, value: number | undefined, fallback: number, min: number): number => {
    const n = value ?? fallback;
    if (!Number.isInteger(n) || n < min) throw new OptionsError(fn, `options.${field}`, `must be an integer >= ${min}, got ${String(value)}`);
    return n;
  };
  const concurrency = positiveInt('concurrency', options.concurrency, 4, 1);
  const retries = positiveInt('retries', options.retries, 5, 0);
  const backoffMs = options.backoffMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const doFetch = options.fetch ?? fetch;
  const endpoint = `${options.url.replace(/\/+$/, '')}/chat/completions`;
  const stats: JudgeStats = { cacheHits: 0, requests: 0, retries: 0 };

  // A counting semaphore: at most `concurrency` requests in flight.
  let active = 0;
  const waiting: (() => void)[] = [];
  const acquire = async () => {
    if (active < concurrency) {
      active++;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = () => {
    const next = waiting.shift();
    if (next === undefined) active--;
    else next();
  };

  async function post(messages: Message[]): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      let status: number | undefined;
      let wait = backoffMs * 2 ** attempt;
      let problem: string;
      try {
        stats.requests++;
        const response = await doFetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) },
          body: JSON.stringify({ model: options.model, messages, temperature: 0 }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        status = response.status;
        if (response.ok) {
          const body = (await response.json()) as { choices?: { message?: { content?: unknown } }[] };
          const content = body.choices?.[0]?.message?.content;
          if (typeof content !== 'string') throw new JudgeError(`${endpoint} answered without choices[0].message.content`, status);
          return content;
        }
        problem = `${endpoint} answered ${status}: ${(await response.text()).slice(0, 200)}`;
        if (status !== 429 && status < 500) throw new JudgeError(problem, status);
        const after = Number(response.headers.get('retry-after'));
        if (Number.isFinite(after) && after > 0) wait = Math.max(wait, Math.min(after, 60) * 1000);
      } catch (error) {
        if (hasErrorKind(error, 'JudgeError')) throw error;
        problem = `${endpoint}: ${error instanceof Error ? error.message : String(error)}`;
      }
      if (attempt >= retries) throw new JudgeError(`${problem} (gave up after ${attempt + 1} attempts)`, status);
      stats.retries++;
      await sleep(wait);
    }
  }

  // The same question asked twice at once (two items with the same explanation) is sent once.
  const inFlight = new Map<string, Promise<string>>();
  function ask(messages: Message[]): Promise<string> {
    const key = createHash('sha256').update(JSON.stringify({ model: options.model, messages })).digest('hex');
    let pending = inFlight.get(key);
    if (pending === undefined) {
      pending = answer(key, messages).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  }

  async function answer(key: string, messages: Message[]): Promise<string> {
    const cacheDir = options.cacheDir;
    // Cache reads also wait for a slot, so thousands of items never open thousands of files at once.
    await acquire();
    try {
      const file = cacheDir === undefined ? undefined : join(cacheDir, `${key}.json`);
      if (file !== undefined) {
        try {
          const cached = JSON.parse(await readFile(file, 'utf8')) as { reply?: unknown };
          if (typeof cached.reply === 'string') {
            stats.cacheHits++;
            return cached.reply;
          }
        } catch {
          // Not cached yet (or unreadable): ask.
        }
      }
      const reply = await post(messages);
      if (file !== undefined && cacheDir !== undefined) {
        await mkdir(cacheDir, { recursive: true });
        // Written whole then renamed, so a killed run never leaves half a reply.
        const partial = `${file}.${process.pid}.tmp`;
        await writeFile(partial, JSON.stringify({ model: options.model, messages, reply }));
        await rename(partial, file);
      }
      return reply;
    } finally {
      release();
    }
  }

  return {
    name: `${options.model} via ${options.url} (prompts ${JUDGE_PROMPT_VERSION})`,
    stats,
    async scoreReasoning(explanation, reference) {
      const user = `Model explanation:\n${explanation}\n\nReference explanation:\n${reference}`;
      return parseReasoningReply(await ask([{ role: 'system', content: REASONING_PROMPT }, { role: 'user', content: user }]));
    },
    async extractCategories(explanation) {
      return parseCategoryReply(await ask([{ role: 'system', content: CATEGORY_PROMPT }, { role: 'user', content: `Explanation:\n${explanation}` }]));
    },
  };
}
