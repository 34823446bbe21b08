import type { Tensor, Tensor2D, Tensor3D, TensorContainer, Variable } from '@tensorflow/tfjs';
import { OptionsError } from '../errors.js';
import type { Tf } from './backend.js';
import { TRAIN_DEFAULTS } from './defaults.js';
import { createOps } from './ops.js';
import type { IncrementalDecoder, Policy, PolicyContext, PolicyFactory } from './policy.js';
import { Rng } from '../internal/rng.js';

/** Options of {@link transformerPolicy}. */
export interface TransformerPolicyOptions {
  /** Width of the residual stream (default 64). */
  dModel?: number | undefined;
  /** Transformer blocks (default 2). */
  layers?: number | undefined;
  /** Attention heads; must divide `dModel` (default 4). */
  heads?: number | undefined;
  /** Hidden width of each MLP (default 2 · dModel). */
  ffn?: number | undefined;
  /**
   * Token shift: each position's input also gets learned embeddings of the previous `tokenShift` tokens
   * (default 3; 0 turns it off). A causal convolution over the one-hot inputs, like the "smeared keys" of
   * Olsson et al. (2022, In-context Learning and Induction Heads) or the short convolutions of H3/Mamba:
   * one attention layer can then match a whole `action attribute object` triple and copy the time after
   * it, so the grounding copy is learnable in a few hundred SFT steps.
   */
  tokenShift?: number | undefined;
  /**
   * A learned null key per head (default true): softmax over the keys plus one zero-valued "sink" slot
   * whose logit is `q · k_null / √d` (attention sinks, as in gpt-oss and "attention off by one", with a key
   * so the threshold scales with the query). A head can then attend to nothing, so how well the best key
   * matches shows in the size of its output; GRPO uses that to tell a query the video does not contain.
   */
  attentionSinks?: boolean | undefined;
  /** Initialise each head's key projection equal to its query projection (default true; see the source). */
  mimeticInit?: boolean | undefined;
}

interface Shape {
  vocabSize: number;
  contextLength: number;
  dModel: number;
  layers: number;
  heads: number;
  ffn: number;
  tokenShift: number;
  attentionSinks: boolean;
  mimeticInit: boolean;
}

/**
 * A tiny pre-LayerNorm GPT-style decoder (learned positions, ReLU MLP, untied output layer) built from
 * wasm-friendly ops: a one-hot embedding (no `gather` gradient needed) and a matmul with an explicit-transpose
 * custom gradient. Weights are drawn from the seeded generator, so a seed fixes the initial policy.
 *
 * @example
 * const policy = transformerPolicy({ dModel: 32, layers: 1 })({ tf, vocabSize: 90, contextLength: 48, seed: 1 });
 * policy.parameterCount; // => 24666
 */
export function transformerPolicy(options: TransformerPolicyOptions = {}): PolicyFactory {
  const fn = 'transformerPolicy';
  const D = TRAIN_DEFAULTS.model;
  const dModel = positiveInteger(fn, 'dModel', options.dModel, D.dModel);
  const layers = positiveInteger(fn, 'layers', options.layers, D.layers);
  const heads = positiveInteger(fn, 'heads', options.heads, D.heads);
  const ffn = positiveInteger(fn, 'ffn', options.ffn, D.ffnPerDModel * dModel);
  const tokenShift = options.tokenShift ?? D.tokenShift;
  if (!Number.isInteger(tokenShift) || tokenShift < 0 || tokenShift > 8) throw new OptionsError(fn, 'options.tokenShift', `must be an integer in [0, 8], got ${String(tokenShift)}`);
  if (dModel % heads !== 0) throw new OptionsError(fn, 'options.heads', `must divide dModel ${dModel}, got ${heads}`);
  return (context: PolicyContext) => {
    const shape: Shape = { vocabSize: context.vocabSize, contextLength: context.contextLength, dModel, layers, heads, ffn, tokenShift, attentionSinks: options.attentionSinks ?? D.attentionSinks, mimeticInit: options.mimeticInit ?? D.mimeticInit };
    const tf = context.tf;
    const weights = Object.fromEntries(Object.entries(initialWeights(shape, context.seed)).map(([key, { shape: dims, values }]) => [key, tf.tensor(values, dims, 'float32')]));
    const policy = new TransformerPolicy(tf, shape, weights, true);
    for (const tensor of Object.values(weights)) tensor.dispose();
    return policy;
  };
}

interface LayerCache {
  /** Keys, transposed: `[batch · heads, headDim, positions]`. */
  keysT: Tensor;
  /** Values: `[batch · heads, positions, headDim]`. */
  values: Tensor;
}

type Weights = Record<string, { shape: number[]; values: Float32Array }>;

function initialWeights(shape: Shape, seed: number): Weights {
  const rng = new Rng(seed);
  const { vocabSize, contextLength, dModel, layers, ffn } = shape;
  const weights: Weights = {};
  const normal = (name: string, dims: number[], std: number) => {
    const values = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < values.length; i++) values[i] = rng.normal() * std;
    weights[name] = { shape: dims, values };
  };
  const constant = (name: string, dims: number[], value: number) => {
    weights[name] = { shape: dims, values: new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(value) };
  };
  normal('tokenEmbedding', [vocabSize, dModel], 1 / Math.sqrt(dModel));
  normal('positionEmbedding', [contextLength, dModel], 1 / Math.sqrt(dModel));
  for (let k = 1; k <= shape.tokenShift; k++) normal(`shift${k}Embedding`, [vocabSize, dModel], 1 / Math.sqrt(dModel));
  const residualScale = 1 / Math.sqrt(2 * layers);
  for (let l = 0; l < layers; l++) {
    constant(`l${l}.ln1.gain`, [dModel], 1);
    constant(`l${l}.ln1.bias`, [dModel], 0);
    if (shape.attentionSinks) constant(`l${l}.nullKey`, [shape.heads, dModel / shape.heads], 0);
    normal(`l${l}.qkv`, [dModel, 3 * dModel], 1 / Math.sqrt(dModel));
    if (shape.mimeticInit) {
      // Mimetic initialisation (Trockman & Kolter, 2023): W_k starts equal to W_q, so W_q·W_kᵀ is positive
      // semi-definite and every head starts by attending to keys that look like its query. Matching heads
      // (find the event named by the query) then form in a fraction of the steps.
      const qkv = (weights[`l${l}.qkv`] as { values: Float32Array }).values;
      for (let row = 0; row < dModel; row++) {
        for (let col = 0; col < dModel; col++) qkv[row * 3 * dModel + dModel + col] = qkv[row * 3 * dModel + col] as number;
      }
    }
    constant(`l${l}.qkvBias`, [3 * dModel], 0);
    normal(`l${l}.out`, [dModel, dModel], residualScale / Math.sqrt(dModel));
    constant(`l${l}.outBias`, [dModel], 0);
    constant(`l${l}.ln2.gain`, [dModel], 1);
    constant(`l${l}.ln2.bias`, [dModel], 0);
    normal(`l${l}.up`, [dModel, ffn], Math.sqrt(2 / dModel));
    constant(`l${l}.upBias`, [ffn], 0);
    normal(`l${l}.down`, [ffn, dModel], residualScale / Math.sqrt(ffn));
    constant(`l${l}.downBias`, [dModel], 0);
  }
  constant('lnFinal.gain', [dModel], 1);
  constant('lnFinal.bias', [dModel], 0);
  normal('unembed', [dModel, vocabSize], 1 / Math.sqrt(dModel));
  constant('unembedBias', [vocabSize], 0);
  return weights;
}

/** Keys and values of the earlier positions of one layer (the KV cache). */
interface Context {
  batch: number;
  /** New positions in this call. */
  length: number;
  /** Earlier (cached) plus new positions. */
  total: number;
  /** Additive causal mask `[length, total]`, or `null` for a single new position. */
  mask: Tensor | null;
}

/**
 * The policy, nanoGPT-style: `embedding → block × layers → lnFinal → unembed`, where
 * `block(x) = x + attention(ln1(x)); x + mlp(ln2(x))`. Shapes: `B` batch, `T` new positions, `S` cached
 * plus new positions, `d` width, `H` heads, `hd = d / H`, `V` vocabulary. The residual stream is kept
 * flat as `[B·T, d]`. Every matmul and embedding goes through {@link createOps} (the backends' workarounds
 * live there).
 */
class TransformerPolicy implements Policy {
  readonly name: string;
  readonly vocabSize: number;
  readonly contextLength: number;
  readonly variables: Variable[];
  readonly parameterCount: number;
  private readonly tf: Tf;
  private readonly shape: Shape;
  private readonly w: Record<string, Variable>;
  private readonly ops;
  private readonly masks = new Map<number, Float32Array>();

  constructor(tf: Tf, shape: Shape, weights: Record<string, Tensor>, trainable: boolean) {
    this.tf = tf;
    this.shape = shape;
    this.ops = createOps(tf);
    this.vocabSize = shape.vocabSize;
    this.contextLength = shape.contextLength;
    this.name = `transformer d${shape.dModel} L${shape.layers} H${shape.heads} ffn${shape.ffn}${shape.tokenShift > 0 ? ` shift${shape.tokenShift}` : ''}${shape.attentionSinks ? ' sinks' : ''}`;
    this.w = {};
    for (const [key, tensor] of Object.entries(weights)) this.w[key] = tf.variable(tensor, trainable, undefined, 'float32');
    this.variables = Object.values(this.w);
    this.parameterCount = this.variables.reduce((sum, v) => sum + v.size, 0);
  }

  private param(key: string): Variable {
    return this.w[key] as Variable;
  }

  /** `[B·T, d]` → `[B·T, d]`: normalise over the last axis, then the learned gain and bias. */
  private layerNorm(x: Tensor, prefix: string): Tensor {
    const tf = this.tf;
    const { mean, variance } = tf.moments(x, -1, true);
    const normalized = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
    return tf.add(tf.mul(normalized, this.param(`${prefix}.gain`)), this.param(`${prefix}.bias`));
  }

  /**
   * Token, position and token-shift embeddings: int32 `tokens [B, T]` at positions `offset…` → `[B·T, d]`.
   * With token shift, position t also adds learned embeddings of tokens t − 1 … t − k (`previousColumns`
   * holds the k tokens before `tokens[:, 0]`; padding id 0 before the first token).
   */
  private embedding(tokens: Tensor, offset: number, previousColumns: Tensor | null): Tensor {
    const tf = this.tf;
    const { embed } = this.ops;
    const [batch, length] = tokens.shape as [number, number];
    const { dModel, tokenShift } = this.shape;
    const positions = tf.slice(this.param('positionEmbedding'), [offset, 0], [length, dModel]); // [T, d]
    let input = tf.add(embed(tokens, this.param('tokenEmbedding')), positions); // [B, T, d]
    if (tokenShift > 0) {
      const history = previousColumns ?? tf.zeros([batch, tokenShift], 'int32'); // [B, k]
      const window = tf.concat([history, tokens], 1); // [B, k + T]
      const width = tokenShift + length;
      for (let k = 1; k <= tokenShift; k++) {
        const shifted = tf.slice(window, [0, width - length - k], [batch, length]); // [B, T]: token t − k
        input = tf.add(input, embed(shifted, this.param(`shift${k}Embedding`)));
      }
    }
    return tf.reshape(input, [batch * length, dModel]);
  }

  /** Softmax over the keys, plus the head's null key as one more (zero-valued) slot when sinks are on. */
  private attentionWeights(scores: Tensor, queries: Tensor, scale: number, layer: number, ctx: Context): Tensor {
    const tf = this.tf;
    if (!this.shape.attentionSinks) return tf.softmax(scores); // [B·H, T, S]
    const { batch, length, total } = ctx;
    const heads = this.shape.heads;
    const headDim = this.shape.dModel / heads;
    const nullKey = tf.reshape(this.param(`l${layer}.nullKey`), [1, heads, 1, headDim]); // [1, H, 1, hd]
    const sink = tf.mul(tf.sum(tf.mul(tf.reshape(queries, [batch, heads, length, headDim]), nullKey), 3, true), scale); // [B, H, T, 1]
    const withSink = tf.concat([scores, tf.reshape(sink, [batch * heads, length, 1])], 2); // [B·H, T, S + 1]
    return tf.slice(tf.softmax(withSink), [0, 0, 0], [batch * heads, length, total]); // [B·H, T, S]: the sink's share dropped
  }

  /**
   * Causal multi-head self-attention of layer `l`: `h [B·T, d]` → `[B·T, d]`, appending this call's keys
   * and values to `cache` (the earlier positions) and returning the extended cache.
   */
  private attention(h: Tensor, l: number, ctx: Context, cache: LayerCache | undefined): { out: Tensor; cache: LayerCache } {
    const tf = this.tf;
    const { matMul } = this.ops;
    const { batch, length } = ctx;
    const { dModel, heads } = this.shape;
    const headDim = dModel / heads;
    const qkv = tf.add(matMul(h, this.param(`l${l}.qkv`)), this.param(`l${l}.qkvBias`)); // [B·T, 3d]
    const [q, k, v] = tf.split(qkv, 3, 1) as [Tensor, Tensor, Tensor]; // 3 × [B·T, d]
    const split = (t: Tensor, perm: number[], dims: number[]) => tf.reshape(tf.transpose(tf.reshape(t, [batch, length, heads, headDim]), perm), dims);
    const queries = split(q, [0, 2, 1, 3], [batch * heads, length, headDim]); // [B·H, T, hd]
    let keysT = split(k, [0, 2, 3, 1], [batch * heads, headDim, length]); // [B·H, hd, T]
    let values = split(v, [0, 2, 1, 3], [batch * heads, length, headDim]); // [B·H, T, hd]
    if (cache !== undefined) {
      keysT = tf.concat([cache.keysT, keysT], 2); // [B·H, hd, S]
      values = tf.concat([cache.values, values], 1); // [B·H, S, hd]
    }
    const scale = 1 / Math.sqrt(headDim);
    const raw = tf.mul(matMul(queries, keysT), scale); // [B·H, T, S]
    const scores = ctx.mask === null ? raw : tf.add(raw, ctx.mask);
    const attended = matMul(this.attentionWeights(scores, queries, scale, l, ctx), values); // [B·H, T, hd]
    const merged = tf.reshape(tf.transpose(tf.reshape(attended, [batch, heads, length, headDim]), [0, 2, 1, 3]), [batch * length, dModel]); // [B·T, d]
    const out = tf.add(matMul(merged, this.param(`l${l}.out`)), this.param(`l${l}.outBias`)); // [B·T, d]
    return { out, cache: { keysT, values } };
  }

  /** The MLP of layer `l`: `h [B·T, d]` → ReLU `[B·T, ffn]` → `[B·T, d]`. */
  private mlp(h: Tensor, l: number): Tensor {
    const tf = this.tf;
    const { matMul } = this.ops;
    const hidden = tf.relu(tf.add(matMul(h, this.param(`l${l}.up`)), this.param(`l${l}.upBias`))); // [B·T, ffn]
    return tf.add(matMul(hidden, this.param(`l${l}.down`)), this.param(`l${l}.downBias`)); // [B·T, d]
  }

  /** Pre-LayerNorm block `l`: `x [B·T, d]` → `x + attention(ln1(x))`, then `+ mlp(ln2(x))`. */
  private block(x: Tensor, l: number, ctx: Context, cache: LayerCache | undefined): { x: Tensor; cache: LayerCache } {
    const tf = this.tf;
    const attention = this.attention(this.layerNorm(x, `l${l}.ln1`), l, ctx, cache);
    const afterAttention = tf.add(x, attention.out);
    return { x: tf.add(afterAttention, this.mlp(this.layerNorm(afterAttention, `l${l}.ln2`), l)), cache: attention.cache };
  }

  /** Additive causal mask `[length, total]` for the last `length` of `total` positions: −1e9 on future positions. */
  private causalMask(length: number, total: number): Tensor {
    const key = length * 4096 + total;
    let mask = this.masks.get(key);
    if (mask === undefined) {
      mask = new Float32Array(length * total);
      const offset = total - length;
      for (let i = 0; i < length; i++) for (let j = offset + i + 1; j < total; j++) mask[i * total + j] = -1e9;
      this.masks.set(key, mask);
    }
    return this.tf.tensor2d(mask, [length, total]);
  }

  logits(tokens: Tensor2D): Tensor3D {
    const length = tokens.shape[1];
    if (length > this.contextLength) {
      throw new OptionsError('TransformerPolicy.logits', 'tokens', `length ${length} exceeds the context length ${this.contextLength}`);
    }
    return this.forward(tokens, 0, null, null).logits as Tensor3D;
  }

  startDecoding(): IncrementalDecoder {
    const tf = this.tf;
    let caches: LayerCache[] | null = null;
    let last: Tensor | null = null;
    let offset = 0;
    const release = () => {
      for (const cache of caches ?? []) {
        cache.keysT.dispose();
        cache.values.dispose();
      }
      last?.dispose();
    };
    return {
      next: (tokens: Tensor2D) => {
        const [batch, length] = tokens.shape;
        if (offset + length > this.contextLength) {
          throw new OptionsError('TransformerPolicy.startDecoding', 'tokens', `length ${offset + length} exceeds the context length ${this.contextLength}`);
        }
        const result = tf.tidy(() => {
          const { logits, caches: next } = this.forward(tokens, offset, last, caches);
          const final = tf.reshape(tf.slice(logits, [0, length - 1, 0], [batch, 1, this.vocabSize]), [batch, this.vocabSize]);
          const shift = this.shape.tokenShift;
          const window = tf.concat([last ?? tf.zeros([batch, shift], 'int32'), tokens], 1);
          const lastToken = shift > 0 ? tf.slice(window, [0, length], [batch, shift]) : tf.zeros([batch, 0], 'int32');
          return { final, next, lastToken } as unknown as TensorContainer;
        }) as unknown as { final: Tensor; next: LayerCache[]; lastToken: Tensor };
        release();
        caches = result.next;
        last = result.lastToken;
        offset += length;
        return result.final as Tensor2D;
      },
      dispose: () => {
        release();
        caches = null;
        last = null;
      },
    };
  }

  /**
   * Logits `[B, T, V]` of `tokens [B, T]` placed at positions `offset…`; with `caches` (keys and values of
   * the earlier positions) and `previousColumns` (the `tokenShift` tokens before `tokens[:, 0]`), only the
   * new positions are computed.
   */
  private forward(tokens: Tensor, offset: number, previousColumns: Tensor | null, caches: LayerCache[] | null): { logits: Tensor; caches: LayerCache[] } {
    const tf = this.tf;
    const [batch, length] = tokens.shape as [number, number];
    const total = offset + length;
    const ctx: Context = { batch, length, total, mask: length > 1 ? this.causalMask(length, total) : null };
    let x = this.embedding(tokens, offset, previousColumns); // [B·T, d]
    const nextCaches: LayerCache[] = [];
    for (let l = 0; l < this.shape.layers; l++) {
      const out = this.block(x, l, ctx, caches?.[l]);
      x = out.x;
      nextCaches.push(out.cache);
    }
    const out = tf.add(this.ops.matMul(this.layerNorm(x, 'lnFinal'), this.param('unembed')), this.param('unembedBias')); // [B·T, V]
    return { logits: tf.reshape(out, [batch, length, this.vocabSize]), caches: nextCaches };
  }

  /** An independent copy (not trainable) with the same weights; copies on the device, no read-back. */
  clone(): Policy {
    const tf = this.tf;
    const weights: Record<string, Tensor> = {};
    for (const [key, variable] of Object.entries(this.w)) weights[key] = tf.clone(variable);
    const copy = new TransformerPolicy(tf, this.shape, weights, false);
    for (const tensor of Object.values(weights)) tensor.dispose();
    return copy;
  }

  dispose(): void {
    for (const variable of this.variables) variable.dispose();
  }
}

function positiveInteger(fn: string, field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new OptionsError(fn, `options.${field}`, `must be a positive integer, got ${String(value)}`);
  return value;
}
