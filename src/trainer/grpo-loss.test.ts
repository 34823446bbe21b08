import type { Tensor, Variable } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Tf, initBackend } from './backend.js';
import { completionLogProbs, packBatch } from './batch.js';
import { grpoLoss } from './grpo-loss.js';
import { createOps } from './ops.js';
import { Rng } from '../internal/rng.js';
import { transformerPolicy } from './transformer.js';
import { findWebGpuAdapter } from './webgpu-adapter.js';

const webgpu = await findWebGpuAdapter();

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await initBackend('wasm'));
});

interface Case {
  logProbs: number[][];
  old: number[][];
  ref: number[][];
  advantages: number[];
  mask: number[][];
}

/** The GRPO loss of grpo-loss.ts restated in float64 JS (the definition the gradient check differentiates). */
function referenceLoss(c: Case, epsilon: number, beta: number, aggregation: 'token' | 'sequence'): number {
  let total = 0;
  let count = 0;
  let sequenceSum = 0;
  c.logProbs.forEach((row, i) => {
    let rowSum = 0;
    let rowCount = 0;
    row.forEach((l, t) => {
      if (c.mask[i]![t] === 0) return;
      const a = c.advantages[i]!;
      const ratio = Math.exp(l - c.old[i]![t]!);
      const policy = -Math.min(ratio * a, Math.min(Math.max(ratio, 1 - epsilon), 1 + epsilon) * a);
      const gap = c.ref[i]![t]! - l;
      const value = policy + beta * (Math.exp(gap) - gap - 1);
      rowSum += value;
      rowCount++;
    });
    total += rowSum;
    count += rowCount;
    sequenceSum += rowSum / Math.max(rowCount, 1);
  });
  return aggregation === 'token' ? total / Math.max(count, 1) : sequenceSum / c.logProbs.length;
}

/** Random inputs whose ratios stay at least 0.02 away from the clip boundaries (the loss is not differentiable there). */
function randomCase(rng: Rng, rows: number, cols: number, epsilon: number): Case {
  const c: Case = { logProbs: [], old: [], ref: [], advantages: [], mask: [] };
  for (let i = 0; i < rows; i++) {
    c.advantages.push(rng.normal());
    const l: number[] = [];
    const o: number[] = [];
    const r: number[] = [];
    const m: number[] = [];
    const length = 2 + rng.int(cols - 1);
    for (let t = 0; t < cols; t++) {
      const lp = -0.1 - 2 * rng.next();
      let ratio: number;
      do ratio = 0.5 + rng.next(); // [0.5, 1.5): inside and outside the clip range
      while (Math.abs(ratio - (1 - epsilon)) < 0.02 || Math.abs(ratio - (1 + epsilon)) < 0.02);
      l.push(lp);
      o.push(lp - Math.log(ratio));
      r.push(lp + 0.5 * rng.normal());
      m.push(t < length ? 1 : 0);
    }
    c.logProbs.push(l);
    c.old.push(o);
    c.ref.push(r);
    c.mask.push(m);
  }
  return c;
}

describe('grpoLoss', () => {
  for (const aggregation of ['token', 'sequence'] as const) {
    it(`matches a float64 restatement and its finite-difference gradient (${aggregation} aggregation)`, () => {
      const epsilon = 0.2;
      const beta = 0.04;
      const c = randomCase(new Rng(aggregation === 'token' ? 11 : 12), 6, 5, epsilon);
      const constants = {
        oldLogProbs: tf.tensor2d(c.old),
        refLogProbs: tf.tensor2d(c.ref),
        advantages: tf.tensor1d(c.advantages),
        mask: tf.tensor2d(c.mask),
      };
      const f = (logProbs: Tensor) => grpoLoss(tf, { logProbs, ...constants }, { clipEpsilon: epsilon, klBeta: beta, aggregation }).loss;
      const logProbs = tf.tensor2d(c.logProbs);
      expect(f(logProbs).dataSync()[0]).toBeCloseTo(referenceLoss(c, epsilon, beta, aggregation), 5);
      const analytic = tf.grad(f)(logProbs).arraySync() as number[][];
      const h = 1e-5;
      let checked = 0;
      c.logProbs.forEach((row, i) =>
        row.forEach((value, t) => {
          const plus = structuredClone(c);
          const minus = structuredClone(c);
          plus.logProbs[i]![t] = value + h;
          minus.logProbs[i]![t] = value - h;
          const numeric = (referenceLoss(plus, epsilon, beta, aggregation) - referenceLoss(minus, epsilon, beta, aggregation)) / (2 * h);
          expect(Math.abs(analytic[i]![t]! - numeric)).toBeLessThan(1e-5 + 1e-3 * Math.abs(numeric));
          if (numeric !== 0) checked++;
        }),
      );
      // Padding and clipped positive-advantage tokens have zero gradient; most tokens do not.
      expect(checked).toBeGreaterThan(10);
    });
  }

  // The gradient check on every backend the trainer can run on here: wasm always; webgpu where Dawn finds
  // an adapter (CI installs SwiftShader; test/trainer-webgpu.test.ts fails CI when there is none).
  for (const name of ['wasm', ...(webgpu.available ? ['webgpu' as const] : [])] as const) {
    it(`agrees with finite differences through a tiny transformer policy on ${name} (custom matmul, one-hot embedding, sinks)`, { timeout: 600_000 }, async () => {
      const backend = await initBackend(name);
      try {
        await gradientCheck(backend.tf);
      } finally {
        ({ tf } = await initBackend('wasm'));
      }
    });
  }
  if (!webgpu.available) it.skip(`agrees with finite differences on webgpu (skipped: ${webgpu.reason})`, () => {});
});

/** Analytic gradients of the GRPO loss through a tiny transformer vs central finite differences, one coordinate per variable. */
async function gradientCheck(tf: Tf): Promise<void> {
  const read = async (t: Tensor) => (await t.data()) as Float32Array;
  const policy = transformerPolicy({ dModel: 8, layers: 1, heads: 2, ffn: 8 })({ tf, vocabSize: 12, contextLength: 10, seed: 3 });
  const ops = createOps(tf);
  const rng = new Rng(5);
  const prompts = Array.from({ length: 4 }, () => Array.from({ length: 4 }, () => 2 + rng.int(10)));
  const completions = prompts.map(() => Array.from({ length: 2 + rng.int(3) }, () => 1 + rng.int(11)));
  const batch = packBatch(tf, prompts, completions);
  const current = tf.tidy(() => completionLogProbs(tf, ops, policy, batch));
  // Sampling policy a little off the current one; reference further off (the same offsets on every backend).
  const offsets = new Rng(7);
  const noise = (scale: number) => tf.tensor(Array.from({ length: current.size }, () => scale * (2 * offsets.next() - 1)), current.shape, 'float32');
  const oldLogProbs = tf.tidy(() => tf.sub(current, noise(0.1)));
  const refLogProbs = tf.tidy(() => tf.add(current, noise(0.5)));
  const advantages = tf.tensor1d([1.2, -0.7, 0.4, -1.1]);
  const loss = () => grpoLoss(tf, { logProbs: completionLogProbs(tf, ops, policy, batch), oldLogProbs, refLogProbs, advantages, mask: batch.mask }, { klBeta: 0.1 }).loss;
  const { grads } = tf.variableGrads(loss, [...policy.variables]);
  const lossValue = async () => {
    const value = tf.tidy(loss);
    const [v] = await read(value);
    value.dispose();
    return v as number;
  };
  let checked = 0;
  for (const variable of policy.variables) {
    const gradient = await read(grads[variable.name] as Tensor);
    // The coordinate with the largest gradient of each variable: float32 finite differences need a signal.
    let index = 0;
    for (let k = 1; k < gradient.length; k++) if (Math.abs(gradient[k]!) > Math.abs(gradient[index]!)) index = k;
    if (Math.abs(gradient[index]!) < 1e-3) continue;
    const values = (await read(variable)).slice();
    const h = 1e-2;
    const at = async (delta: number) => {
      const shifted = values.slice();
      shifted[index] = values[index]! + delta;
      (variable as Variable).assign(tf.tensor(shifted, variable.shape));
      return lossValue();
    };
    const numeric = ((await at(h)) - (await at(-h))) / (2 * h);
    (variable as Variable).assign(tf.tensor(values, variable.shape));
    expect(Math.abs(numeric - gradient[index]!), `${tf.getBackend()} ${variable.name}[${index}]`).toBeLessThan(5e-4 + 0.05 * Math.abs(gradient[index]!));
    checked++;
  }
  expect(checked).toBeGreaterThan(10);
  policy.dispose();
}

describe('createOps', () => {
  it('matMul with explicit-transpose gradients equals tf.matMul and its gradients (2-D and batched)', () => {
    const ops = createOps(tf);
    for (const [sa, sb] of [
      [[3, 4], [4, 5]],
      [[2, 3, 4], [2, 4, 5]],
    ] as const) {
      const a = tf.randomNormal([...sa], 0, 1, 'float32', 1);
      const b = tf.randomNormal([...sb], 0, 1, 'float32', 2);
      const weight = tf.randomNormal([...sa.slice(0, -1), sb[sb.length - 1]!], 0, 1, 'float32', 3);
      const ours = tf.grads((x: Tensor, y: Tensor) => tf.sum(tf.mul(ops.matMul(x, y), weight)))([a, b]);
      const theirs = tf.grads((x: Tensor, y: Tensor) => tf.sum(tf.mul(tf.matMul(x as never, y as never), weight)))([a, b]);
      expect(Array.from(ops.matMul(a, b).dataSync())).toEqual(Array.from(tf.matMul(a as never, b as never).dataSync()));
      ours.forEach((g, k) => Array.from(g.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(theirs[k]!.dataSync()[i]!, 4)));
    }
  });

  it('embed is a one-hot lookup and tokenLogProbs picks the target log-probability', () => {
    const ops = createOps(tf);
    const table = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    expect(ops.embed(tf.tensor2d([[2, 0]], [1, 2], 'int32'), table).arraySync()).toEqual([[[5, 6], [1, 2]]]);
    const logits = tf.tensor2d([[0, Math.log(3)]]);
    expect(ops.tokenLogProbs(logits, tf.tensor1d([1], 'int32')).dataSync()[0]).toBeCloseTo(Math.log(0.75), 6);
  });
});

describe('grpoLoss clipFraction and KL', () => {
  const scalar = (t: Tensor) => t.dataSync()[0]!;

  it('counts a token as clipped only where the advantage sign makes the clip bind (as TRL counts it)', () => {
    const epsilon = 0.2;
    // Ratios e^{l − old} per token: 1.5 (above 1 + ε), 0.5 (below 1 − ε), 1.1 (inside), and a padded 1.5.
    const ratios = [1.5, 0.5, 1.1, 1.5];
    const logProbs = tf.tensor2d([[-1, -1, -1, -1], [-1, -1, -1, -1]]);
    const oldLogProbs = tf.tensor2d([ratios.map((r) => -1 - Math.log(r)), ratios.map((r) => -1 - Math.log(r))]);
    const mask = tf.tensor2d([[1, 1, 1, 0], [1, 1, 1, 0]]);
    const parts = (advantages: number[]) => grpoLoss(tf, { logProbs, oldLogProbs, refLogProbs: logProbs, advantages: tf.tensor1d(advantages), mask }, { clipEpsilon: epsilon, klBeta: 0 });
    // A > 0: only ρ = 1.5 binds (1 of 3 tokens); A < 0: only ρ = 0.5 binds. Both rows: 2 of 6 tokens.
    expect(scalar(parts([1, 1]).clipFraction)).toBeCloseTo(1 / 3, 6);
    expect(scalar(parts([-1, -1]).clipFraction)).toBeCloseTo(1 / 3, 6);
    expect(scalar(parts([1, -1]).clipFraction)).toBeCloseTo(2 / 6, 6);
    expect(scalar(parts([0, 0]).clipFraction)).toBe(0);
    // The tokens counted are exactly those with zero gradient; the others (even outside the range) still pull.
    const gradient = tf.grad((l: Tensor) => grpoLoss(tf, { logProbs: l, oldLogProbs, refLogProbs: logProbs, advantages: tf.tensor1d([1, -1]), mask }, { clipEpsilon: epsilon, klBeta: 0 }).loss)(logProbs).arraySync() as number[][];
    expect(gradient[0]!.slice(0, 3).map((g) => g === 0)).toEqual([true, false, false]); // A > 0: ρ 1.5 clipped
    expect(gradient[1]!.slice(0, 3).map((g) => g === 0)).toEqual([false, true, false]); // A < 0: ρ 0.5 clipped
  });

  it('adds β times the k3 estimate e^{r−l} − (r − l) − 1, reports its token mean, and has gradient β(1 − e^{r−l})/N', () => {
    const l = [[-1, -2, -0.5]];
    const r = [[-1, -1.5, -1.5]];
    const mask = tf.tensor2d([[1, 1, 1]]);
    const k3 = l[0]!.map((li, t) => {
      const gap = r[0]![t]! - li;
      return Math.exp(gap) - gap - 1;
    });
    expect(k3[0]).toBe(0); // same log-probability: no KL
    expect(k3.every((v) => v >= 0)).toBe(true);
    const meanK3 = k3.reduce((a, b) => a + b, 0) / 3;
    const inputs = (logProbs: Tensor) => ({ logProbs, oldLogProbs: tf.tensor2d(l), refLogProbs: tf.tensor2d(r), advantages: tf.tensor1d([0]), mask });
    for (const beta of [0, 0.04, 1]) {
      const out = grpoLoss(tf, inputs(tf.tensor2d(l)), { klBeta: beta });
      expect(scalar(out.kl)).toBeCloseTo(meanK3, 6); // logged whatever β is
      expect(scalar(out.loss)).toBeCloseTo(beta * meanK3, 6); // A = 0: the loss is the KL term alone
      const gradient = (tf.grad((x: Tensor) => grpoLoss(tf, inputs(x), { klBeta: beta }).loss)(tf.tensor2d(l)).arraySync() as number[][])[0]!;
      gradient.forEach((g, t) => expect(g).toBeCloseTo((beta * (1 - Math.exp(r[0]![t]! - l[0]![t]!))) / 3, 6));
    }
  });
});
