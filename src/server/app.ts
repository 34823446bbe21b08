import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { issuePath } from '../internal/zod-issues.js';
import { raRftRewardTargetSchema } from '../data/target-schema.js';
import { isRaRftError } from '../errors.js';
import { RA_RFT_PARTS } from '../internal/reward-parts.js';
import { endTokenStripper } from '../format/end-token-stripper.js';
import { type RaRftPart, type RaRftRewardOptions, type RaRftRewardResult, raRftRewardBatch } from '../profiles/ra-rft-reward.js';
import type { Embedder, RaRftTarget, RewardProfile } from '../types.js';
import { MicroBatcher, type ScoreRequest } from './micro-batcher.js';
import { type AccessOptions, accessRequestOf, checkAccess, corsHeaders, isPreflight } from './access.js';
import { invalidUtf8At } from './utf8.js';
import { type ResolvedServerOptions, type ServerOptionsInput, resolveServerOptions, serverOptionProblem } from './options.js';
import { ServerMetrics } from './metrics.js';
import { responseOf } from '../engine/response.js';
import { createEngine, errorBody } from '../engine/engine.js';
import { createOnlineAudit } from '../engine/online-audit.js';
import { OptionsError } from '../errors.js';
import { VERSION } from '../version.js';
import { unitScore } from '../engine/unit-score.js';

/**
 * Options of {@link createRewardApp}: the embedder and scoring settings, plus the server options of
 * `SERVER_OPTIONS` (src/server/options.ts: type, range, default and description of each, the table in
 * docs/integration.md). Numeric options are checked: a bad one throws an `OptionsError` naming the field.
 */
export interface RewardAppOptions extends Pick<ServerOptionsInput, 'microBatch' | 'batchWindowMs' | 'maxBatchSize' | 'bodyLimitBytes' | 'requestTimeoutMs' | 'scores' | 'maxPendingCompletions' | 'retryAfterSeconds' | 'maxIssues' | 'auditStepSeconds'> {
  /** The sentence embedder for the explain and correction parts. */
  embedder: Embedder;
  /** Which embedder this is, for /healthz and the logs (default `embedder.name`). */
  embedderName?: string | undefined;
  profile?: RewardProfile | undefined;
  weights?: Partial<Record<RaRftPart, number>> | undefined;
  thinkPrefilled?: boolean | undefined;
  /**
   * Trailing end/pad tokens removed from every completion before scoring (see `stripEndTokens`): default
   * `DEFAULT_END_TOKENS` (Qwen `<|im_end|>`, Llama 3 `<|eot_id|>`, …); a list replaces it; `false` scores the
   * text as sent.
   */
  endTokens?: readonly string[] | false | undefined;
  /** Bearer token (16+ characters, no whitespace), allowed `Host` headers and origins: see {@link AccessOptions}. */
  access?: AccessOptions | undefined;
}

/** Checks `access` with the server options' schemas; throws an `OptionsError` naming `fn` and `access.<field>`. */
export function checkAccessOptions(fn: string, access: AccessOptions | undefined): void {
  const fields = [
    ['token', access?.token],
    ['allowedHosts', access?.allowedHosts],
    ['allowedOrigins', access?.allowedOrigins],
  ] as const;
  for (const [name, value] of fields) {
    if (value === undefined) continue;
    const problem = serverOptionProblem(name, Array.isArray(value) ? [...value] : value);
    if (problem !== null) throw new OptionsError(fn, `access.${name}`, problem);
  }
}

/** What a request holds back while it waits: the server's live counters. */
export interface RewardAppState {
  inFlight: number;
  served: number;
  pendingCompletions: number;
  /** Set when a server starts closing: answers carry `Connection: close`. */
  closing: boolean;
  /** Set by a draining server after its grace period: new requests get 503 (retryable), in-flight ones finish. */
  draining: boolean;
}

/** The parts `/get_reward` logs: the four rewards and the reference's combined explain value. */
const PARTS = [...RA_RFT_PARTS, 'explainAndCorrection'] as const;

/** `?timing=1` adds the request's scoring time and its mean per sample, in milliseconds. */
function timing(c: Context, started: number, samples: number): { timing?: { totalMs: number; perSampleMs: number } } {
  const asked = c.req.query('timing');
  if (asked === undefined || asked === '0' || asked === 'false') return {};
  const totalMs = performance.now() - started;
  return { timing: { totalMs, perSampleMs: samples === 0 ? 0 : totalMs / samples } };
}

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
 * - `POST /v1/embeddings` — OpenAI's embeddings API (`{input, model?, encoding_format?}` → `{data: [{embedding, index}],
 *   model}`) answered with this server's embedder, so one server embeds for many trainers;
 * - `POST /v1/rpc` — the Python package's protocol (`{op: 'score' | 'getReward' | 'call' | 'hello', …}`, see
 *   `createEngine`) → `{ok: true, result}` or 400 `{ok: false, error}`, scored with this server's embedder.
 * - `GET /metrics` — Prometheus text (requests, latency, batch sizes, queue depth, rejections, cache hits).
 * - `GET /healthz` — liveness and configuration (no token needed, for probes).
 * Past `maxPendingCompletions` a request gets 503 with `Retry-After` at once; `access` checks token, Host,
 * Origin and content type first.
 * Trailing end tokens are removed from every completion first (`options.endTokens`).
 * Bad input → 400 listing every issue with its path; a body over the limit → 413; a timeout → 503.
 */
export function createRewardApp(options: RewardAppOptions) {
  const resolved: ResolvedServerOptions = resolveServerOptions('createRewardApp', options);
  checkAccessOptions('createRewardApp', options.access);
  const batchListeners: ((size: number) => void)[] = [];
  const onBatch = (size: number) => {
    metrics.batch(size);
    for (const listener of batchListeners) listener(size);
  };
  const scoring: RaRftRewardOptions = {
    embedder: options.embedder,
    profile: options.profile,
    weights: options.weights,
    thinkPrefilled: options.thinkPrefilled,
  };
  const embedderName = options.embedderName ?? options.embedder.name ?? 'custom';
  const batcher = resolved.microBatch ? new MicroBatcher(scoring, { windowMs: resolved.batchWindowMs, maxBatchSize: resolved.maxBatchSize, onBatch }) : null;
  const clean = endTokenStripper(options.endTokens);
  const toUnit = unitScore(resolved.scores, options.weights);
  const score = (raw: ScoreRequest, strip: (text: string) => string, signal: AbortSignal | undefined): Promise<RaRftRewardResult[]> => {
    const request = { completions: raw.completions.map(strip), targets: raw.targets };
    if (batcher !== null) return batcher.score(request, signal);
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    onBatch(request.completions.length);
    return raRftRewardBatch(request.completions, request.targets, scoring);
  };
  const state: RewardAppState = { inFlight: 0, served: 0, pendingCompletions: 0, closing: false, draining: false };
  const limit = resolved.bodyLimitBytes;
  const maxPending = resolved.maxPendingCompletions;
  const retryAfter = String(resolved.retryAfterSeconds);
  const maxIssues = resolved.maxIssues;
  const cacheStats = (options.embedder as { stats?: { cacheHits?: number; textsEmbedded?: number } }).stats;
  const metrics = new ServerMetrics({
    pendingCompletions: () => state.pendingCompletions,
    inFlightRequests: () => state.inFlight,
    cache: () =>
      typeof cacheStats?.cacheHits === 'number' && typeof cacheStats.textsEmbedded === 'number'
        ? { hits: cacheStats.cacheHits, lookups: cacheStats.cacheHits + cacheStats.textsEmbedded, textsEmbedded: cacheStats.textsEmbedded }
        : null,
  });
  const invalid = (issues: { path: string; message: string }[]) =>
    issues.length <= maxIssues ? { error: 'invalid request', issues } : { error: 'invalid request', issues: issues.slice(0, maxIssues), moreIssues: issues.length - maxIssues };
  const overloaded = (c: Context, reason: string, message: string) => {
    metrics.reject(reason);
    c.header('Retry-After', retryAfter);
    return c.json({ error: message, retryable: true }, 503);
  };
  /** Scores `request` within the pending-completions bound, or answers 503 at once. */
  // The audit detectors over what this server scores (a step is `auditStepSeconds`), read on /metrics.
  const audit = resolved.auditStepSeconds > 0 ? createOnlineAudit({ stepSeconds: resolved.auditStepSeconds }) : undefined;
  const watch = (request: ScoreRequest, strip: (text: string) => string, results: RaRftRewardResult[]) =>
    audit?.enqueue(
      results.length,
      (i) => request.targets[i],
      (i, target) => {
        const { total, format, refuseIoU, explain, correction } = results[i] as RaRftRewardResult;
        return { completion: strip(request.completions[i] as string), target, total, parts: { format, refuseIoU, explain, correction } };
      },
    );
  const admit = async (c: Context, request: ScoreRequest, strip: (text: string) => string, reply: (results: RaRftRewardResult[]) => Response): Promise<Response> => {
    const n = request.completions.length;
    if (state.pendingCompletions > 0 && state.pendingCompletions + n > maxPending) {
      return overloaded(c, 'overload', `server busy: ${state.pendingCompletions} completions pending (limit ${maxPending}); retry after ${retryAfter} s`);
    }
    state.pendingCompletions += n;
    try {
      const results = await score(request, strip, c.get('signal'));
      watch(request, strip, results);
      return reply(results);
    } finally {
      state.pendingCompletions -= n;
    }
  };

  const app = new Hono<{ Variables: { signal: AbortSignal } }>();
  app.use('*', async (c, next) => {
    const started = performance.now();
    state.inFlight++;
    try {
      await next();
    } finally {
      state.inFlight--;
      state.served++;
      metrics.request(c.req.routePath === '/*' ? 'other' : c.req.routePath, c.res.status, (performance.now() - started) / 1000);
    }
  });
  app.use('*', async (c, next) => {
    const view = accessRequestOf(c.req.raw);
    const denied = checkAccess(view, options.access);
    if (denied !== null) {
      metrics.reject(denied.reason);
      return c.json({ error: denied.message }, denied.status);
    }
    for (const [name, value] of Object.entries(corsHeaders(view, options.access))) c.header(name, value);
    if (isPreflight(view)) return c.body(null, 204);
    if (state.closing) c.header('Connection', 'close');
    if (state.draining && c.req.path !== '/healthz' && c.req.path !== '/metrics') {
      return overloaded(c, 'draining', 'server is shutting down; retry on another replica');
    }
    return next();
  });
  // A slow request is answered 503 with Retry-After, and its work is cancelled: the scoring signal aborts, so a
  // batch it has not joined yet drops it (the caller's own abort, e.g. a client gone, does the same).
  app.use('*', async (c, next) => {
    const controller = new AbortController();
    const outer = c.req.raw.signal;
    const abort = () => controller.abort(outer.reason);
    if (outer.aborted) abort();
    else outer.addEventListener('abort', abort, { once: true });
    c.set('signal', controller.signal);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), resolved.requestTimeoutMs)));
    try {
      const first = await Promise.race([next().then(() => 'done' as const), timedOut]);
      if (first === 'timeout') {
        controller.abort(new Error('request timed out'));
        c.res = overloaded(c, 'timeout', `request timed out after ${resolved.requestTimeoutMs} ms; its work was cancelled`);
      }
    } finally {
      clearTimeout(timer);
      outer.removeEventListener('abort', abort);
    }
  });
  app.use(
    '*',
    bodyLimit({ maxSize: limit, onError: (c) => c.json({ error: `request body is larger than ${limit} bytes` }, 413) }),
  );

  // Invalid UTF-8 is refused, not replaced with U+FFFD: a silently changed completion would get another score.
  const readJson = async (request: Request): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> => {
    const bytes = new Uint8Array(await request.arrayBuffer());
    const bad = invalidUtf8At(bytes);
    if (bad !== -1) return { ok: false, message: `is not valid UTF-8 (first bad byte at offset ${bad})` };
    try {
      return { ok: true, value: JSON.parse(new TextDecoder().decode(bytes)) };
    } catch {
      return { ok: false, message: 'is not valid JSON' };
    }
  };

  app.get('/metrics', (c) => c.text(metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }));

  app.get('/healthz', (c) =>
    c.json({
      status: state.closing ? 'draining' : 'ok',
      pid: process.pid,
      pendingCompletions: state.pendingCompletions,
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
    if (!body.ok) return c.json(invalid([{ path: '(body)', message: body.message }]), 400);
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
    const started = performance.now();
    return admit(c, { completions, targets }, requestTokens === undefined ? clean : endTokenStripper(requestTokens), (results) => {
      const extraLogs = Object.fromEntries(PARTS.map((part) => [part, results.map((r) => r[part])]));
      return c.json({ rewards: results.map((r) => r.total), scores: results.map(toUnit), extra_logs: extraLogs, ...timing(c, started, results.length) });
    });
  });

  app.post('/v1/score', async (c) => {
    const body = await readJson(c.req.raw);
    if (!body.ok) return c.json(invalid([{ path: '(body)', message: body.message }]), 400);
    const parsed = scoreSchema.safeParse(body.value);
    if (!parsed.success) return c.json(invalid(zodIssues(parsed.error)), 400);
    const { items, endTokens: requestTokens } = parsed.data;
    const started = performance.now();
    const request = { completions: items.map((item) => item.completion), targets: items.map((item) => item.target as RaRftTarget) };
    return admit(c, request, requestTokens === undefined ? clean : endTokenStripper(requestTokens), (results) =>
      c.json({ results, scores: results.map(toUnit), embedder: embedderName, ...timing(c, started, results.length) }),
    );
  });

  // The Python package's protocol over HTTP (RA_RFT_REWARD_URL): the same requests as the stdio engine, scored
  // with this server's one embedder; a request naming another embedder is refused rather than scored differently.
  const engine = createEngine({
    version: VERSION,
    audit,
    defaults: { profile: options.profile, weights: options.weights, thinkPrefilled: options.thinkPrefilled, endTokens: options.endTokens },
    embedder: async (name) => {
      if (name !== undefined && name !== 'auto' && name !== embedderName && !embedderName.toLowerCase().includes(name.toLowerCase())) {
        throw new OptionsError('server', 'embedder', `is ${JSON.stringify(name)}, but this server scores with ${embedderName} (its --embedder): scores from different embedders are not comparable`);
      }
      return { embedder: options.embedder, name: embedderName };
    },
  });
  const rpcSize = (body: unknown): number => {
    const b = body as { completions?: unknown; query?: unknown; items?: unknown } | null;
    const list = b?.completions ?? b?.query ?? b?.items;
    return Array.isArray(list) ? list.length : 0;
  };
  app.post('/v1/rpc', async (c) => {
    const body = await readJson(c.req.raw);
    if (!body.ok) return c.json({ ok: false, error: { type: 'BadRequest', message: `request body ${body.message}` } }, 400);
    const n = rpcSize(body.value);
    if (state.pendingCompletions > 0 && state.pendingCompletions + n > maxPending) {
      metrics.reject('overload');
      c.header('Retry-After', retryAfter);
      return c.json({ ok: false, error: { type: 'Overloaded', message: `server busy: ${state.pendingCompletions} completions pending (limit ${maxPending})`, retryable: true } }, 503);
    }
    state.pendingCompletions += n;
    try {
      onBatch(n);
      return c.json({ ok: true, result: await engine.handle(body.value) });
    } catch (error) {
      const detail = errorBody(error);
      if (detail.type === 'InternalError') throw error;
      return c.json({ ok: false, error: detail }, 400);
    } finally {
      state.pendingCompletions -= n;
    }
  });

  // OpenAI's embeddings API with this server's embedder: one machine's server embeds for many trainers
  // (`openAIEmbedder`, `--embedder openai:URL#MODEL`), with the same vectors as the embedder in-process.
  const embeddingsSchema = z.object({
    input: z.union([z.string(), z.array(z.string())]),
    model: z.string().optional(),
    encoding_format: z.enum(['float', 'base64']).optional(),
    dimensions: z.number().int().positive().optional(),
    user: z.string().optional(),
  });
  const openAIError = (message: string, code: string) => ({ error: { message, type: 'invalid_request_error', code } });
  app.post('/v1/embeddings', async (c) => {
    const body = await readJson(c.req.raw);
    if (!body.ok) return c.json(openAIError(`request body ${body.message}`, 'invalid_json'), 400);
    const parsed = embeddingsSchema.safeParse(body.value);
    if (!parsed.success) return c.json(openAIError(zodIssues(parsed.error).map((i) => `${i.path}: ${i.message}`).join('; '), 'invalid_request'), 400);
    const { input, model, encoding_format: encoding, dimensions } = parsed.data;
    if (model !== undefined && model !== embedderName && !embedderName.toLowerCase().includes(model.toLowerCase()) && !model.toLowerCase().includes(embedderName.toLowerCase())) {
      return c.json(openAIError(`model ${JSON.stringify(model)} is not served here: this server embeds with ${embedderName} (its --embedder)`, 'model_not_found'), 404);
    }
    const texts = typeof input === 'string' ? [input] : input;
    onBatch(texts.length);
    const vectors = texts.length === 0 ? [] : await options.embedder.embed(texts);
    if (dimensions !== undefined && vectors.some((v) => v.length !== dimensions)) {
      return c.json(openAIError(`dimensions ${dimensions} asked for, but ${embedderName} gives ${vectors[0]?.length ?? 0}`, 'invalid_dimensions'), 400);
    }
    const data = vectors.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: encoding === 'base64' ? Buffer.from(Float32Array.from(vector).buffer).toString('base64') : Array.from(vector),
    }));
    return c.json({ object: 'list', data, model: embedderName, usage: { prompt_tokens: 0, total_tokens: 0 } });
  });

  app.onError((error, c) => {
    if (error instanceof HTTPException) return c.json({ error: error.message }, error.status);
    if (isRaRftError(error)) return c.json(invalid([{ path: error.field, message: error.message }]), 400);
    // Never a stack or a file path to the client: the detail goes to the server's log.
    console.error(`ra-rft-rewards server: ${c.req.method} ${c.req.path} failed:`, error);
    return c.json({ error: 'internal error' }, 500);
  });
  app.notFound((c) => c.json({ error: `no route ${c.req.method} ${c.req.path}`, routes: ['POST /get_reward', 'POST /v1/score', 'POST /v1/rpc', 'POST /v1/embeddings', 'GET /metrics', 'GET /healthz'] }, 404));

  return Object.assign(app, {
    batcher,
    state,
    metrics,
    /** The online audit's gauges (none when `auditStepSeconds` is 0). */
    auditGauges: () => audit?.gauges() ?? [],
    /** Calls `listener` with the size of each scoring call (the worker processes report them to the front). */
    onBatch: (listener: (size: number) => void) => void batchListeners.push(listener),
  });
}
