import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { timeout } from 'hono/timeout';
import { z } from 'zod';
import { issuePath } from '../data/hi-vtg-targets.js';
import { raRftRewardTargetSchema } from '../data/target-schema.js';
import { isRaRftError } from '../errors.js';
import { DEFAULT_END_TOKENS, stripEndTokens } from '../format/strip-end-tokens.js';
import { type RaRftPart, type RaRftRewardOptions, type RaRftRewardResult, raRftRewardBatch } from '../profiles/ra-rft-reward.js';
import type { Embedder, RaRftTarget, RewardProfile } from '../types.js';
import { MicroBatcher, type ScoreRequest } from './micro-batcher.js';
import { responseOf } from './response.js';
import { type UnitScoreSource, unitScore } from './unit-score.js';

/** Options of {@link createRewardApp}. */
export interface RewardAppOptions {
  /** The sentence embedder for the explain and correction parts. */
  embedder: Embedder;
  /** Which embedder this is, for /healthz and the logs (default `embedder.name`). */
  embedderName?: string | undefined;
  profile?: RewardProfile | undefined;
  weights?: Partial<Record<RaRftPart, number>> | undefined;
  thinkPrefilled?: boolean | undefined;
  /** Gather concurrent requests into one scoring call (default true). */
  microBatch?: boolean | undefined;
  /** Micro-batch window in ms (default 2). */
  batchWindowMs?: number | undefined;
  /** Micro-batch size that triggers scoring at once (default 256 completions). */
  maxBatchSize?: number | undefined;
  /** Largest accepted request body in bytes; larger → 413 (default 8 MiB). */
  bodyLimitBytes?: number | undefined;
  /** A request that takes longer is answered 503 (default 30 s). */
  requestTimeoutMs?: number | undefined;
  /**
   * Trailing end/pad tokens removed from every completion before scoring (see `stripEndTokens`): default
   * `DEFAULT_END_TOKENS` (Qwen `<|im_end|>`, Llama 3 `<|eot_id|>`, …); a list replaces it; `false` scores the
   * text as sent.
   */
  endTokens?: readonly string[] | false | undefined;
  /** What `/get_reward` puts in `scores`, on [0, 1] for OpenRLHF's dynamic filtering (default `normalized`). */
  scores?: UnitScoreSource | undefined;
}

const PARTS = ['format', 'refuseIoU', 'explain', 'correction', 'explainAndCorrection'] as const;

/** Per-request override of the server's end tokens: a list, or false to score the text as sent. */
const endTokensSchema = z.union([z.literal(false), z.array(z.string().min(1))]);

const getRewardSchema = z.object({
  query: z.array(z.string()),
  prompts: z.array(z.string()).nullish(),
  // OpenRLHF sends the --label_key column as it is: JSON text, or an object when the dataset holds one.
  labels: z.array(z.union([z.string(), z.record(z.string(), z.unknown())], { error: 'must be a target object or its JSON text' })),
  endTokens: endTokensSchema.optional(),
});

const scoreSchema = z.object({
  items: z.array(z.object({ completion: z.string(), target: raRftRewardTargetSchema })),
  endTokens: endTokensSchema.optional(),
});

/** A 400 answer listing each zod issue with its path. */
function invalid(issues: { path: string; message: string }[]) {
  return { error: 'invalid request', issues };
}

function zodIssues(error: z.ZodError, prefix = ''): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issuePath(prefix, issue.path), message: issue.message }));
}

/**
 * The reward server as a Hono app (mount it, or call {@link startRewardServer}):
 * - `POST /get_reward` — OpenRLHF's remote reward protocol: `{query, prompts, labels}` →
 *   `{rewards, scores, extra_logs: {format, refuseIoU, explain, correction, explainAndCorrection}}`;
 *   `labels[i]` is the target or its JSON text; the response is found in `query[i]` by {@link responseOf};
 *   `rewards` is the total and `scores` the same reward on [0, 1] (`options.scores`).
 * - `POST /v1/score` — `{items: [{completion, target}], endTokens?}` → `{results: [{total, format, …}], scores, embedder}`
 *   (`scores` as in `/get_reward`);
 *   `endTokens` (a list, or `false`) overrides the server's end tokens for this request.
 * - `GET /healthz` — liveness and configuration.
 * Trailing end tokens are removed from every completion first (`options.endTokens`).
 * Bad input → 400 listing every issue with its path; a body over the limit → 413; a timeout → 503.
 */
export function createRewardApp(options: RewardAppOptions) {
  const scoring: RaRftRewardOptions = {
    embedder: options.embedder,
    profile: options.profile,
    weights: options.weights,
    thinkPrefilled: options.thinkPrefilled,
  };
  const embedderName = options.embedderName ?? options.embedder.name ?? 'custom';
  const batcher = options.microBatch === false ? null : new MicroBatcher(scoring, { windowMs: options.batchWindowMs, maxBatchSize: options.maxBatchSize });
  const stripWith = (tokens: readonly string[] | false) => (tokens === false ? (text: string) => text : (text: string) => stripEndTokens(text, { tokens }));
  const clean = stripWith(options.endTokens ?? DEFAULT_END_TOKENS);
  const toUnit = unitScore(options.scores ?? 'normalized', options.weights);
  const score = (raw: ScoreRequest, strip = clean): Promise<RaRftRewardResult[]> => {
    const request = { completions: raw.completions.map(strip), targets: raw.targets };
    return batcher === null ? raRftRewardBatch(request.completions, request.targets, scoring) : batcher.score(request);
  };
  const state = { inFlight: 0, served: 0 };
  const limit = options.bodyLimitBytes ?? 8 * 1024 * 1024;

  const app = new Hono();
  app.use('*', async (_c, next) => {
    state.inFlight++;
    try {
      await next();
    } finally {
      state.inFlight--;
      state.served++;
    }
  });
  app.use('*', timeout(options.requestTimeoutMs ?? 30_000, () => new HTTPException(503, { message: 'request timed out' })));
  app.use(
    '*',
    bodyLimit({ maxSize: limit, onError: (c) => c.json({ error: `request body is larger than ${limit} bytes` }, 413) }),
  );

  const readJson = async (request: Request): Promise<{ ok: true; value: unknown } | { ok: false }> => {
    try {
      return { ok: true, value: await request.json() };
    } catch {
      return { ok: false };
    }
  };

  app.get('/healthz', (c) =>
    c.json({
      status: 'ok',
      embedder: embedderName,
      profile: options.profile ?? 'ra-rft',
      microBatch: batcher !== null,
      inFlight: state.inFlight - 1,
      served: state.served,
      batches: batcher?.stats.batches ?? null,
    }),
  );

  app.post('/get_reward', async (c) => {
    const body = await readJson(c.req.raw);
    if (!body.ok) return c.json(invalid([{ path: '(body)', message: 'is not valid JSON' }]), 400);
    const parsed = getRewardSchema.safeParse(body.value);
    if (!parsed.success) return c.json(invalid(zodIssues(parsed.error)), 400);
    const { query, prompts, labels, endTokens: requestTokens } = parsed.data;
    const issues: { path: string; message: string }[] = [];
    if (labels.length !== query.length) issues.push({ path: 'labels', message: `has ${labels.length} entries for ${query.length} queries` });
    if (prompts != null && prompts.length !== query.length) issues.push({ path: 'prompts', message: `has ${prompts.length} entries for ${query.length} queries` });
    const targets: RaRftTarget[] = [];
    labels.forEach((label, i) => {
      let value: unknown = label;
      if (typeof label === 'string') {
        try {
          value = JSON.parse(label);
        } catch {
          issues.push({ path: `labels[${i}]`, message: 'is not a JSON target' });
          return;
        }
      }
      const target = raRftRewardTargetSchema.safeParse(value);
      if (target.success) targets.push(target.data as RaRftTarget);
      else issues.push(...zodIssues(target.error, `labels[${i}]`));
    });
    if (issues.length > 0) return c.json(invalid(issues), 400);
    const completions = query.map((q, i) => responseOf(q, prompts?.[i] ?? undefined).text);
    const results = await score({ completions, targets }, requestTokens === undefined ? clean : stripWith(requestTokens));
    const extraLogs = Object.fromEntries(PARTS.map((part) => [part, results.map((r) => r[part])]));
    return c.json({ rewards: results.map((r) => r.total), scores: results.map(toUnit), extra_logs: extraLogs });
  });

  app.post('/v1/score', async (c) => {
    const body = await readJson(c.req.raw);
    if (!body.ok) return c.json(invalid([{ path: '(body)', message: 'is not valid JSON' }]), 400);
    const parsed = scoreSchema.safeParse(body.value);
    if (!parsed.success) return c.json(invalid(zodIssues(parsed.error)), 400);
    const { items, endTokens: requestTokens } = parsed.data;
    const results = await score({ completions: items.map((item) => item.completion), targets: items.map((item) => item.target as RaRftTarget) }, requestTokens === undefined ? clean : stripWith(requestTokens));
    return c.json({ results, scores: results.map(toUnit), embedder: embedderName });
  });

  app.onError((error, c) => {
    if (error instanceof HTTPException) return c.json({ error: error.message }, error.status);
    if (isRaRftError(error)) return c.json(invalid([{ path: error.field, message: error.message }]), 400);
    return c.json({ error: 'internal error', message: error instanceof Error ? error.message : String(error) }, 500);
  });
  app.notFound((c) => c.json({ error: `no route ${c.req.method} ${c.req.path}`, routes: ['POST /get_reward', 'POST /v1/score', 'GET /healthz'] }, 404));

  return Object.assign(app, { batcher, state });
}
