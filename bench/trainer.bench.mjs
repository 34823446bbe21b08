// Section `trainer`: reference GRPO trainer throughput (SFT and GRPO steps/s) per TensorFlow.js backend
// available here: wasm (the baseline), the pure-JS cpu backend, and webgpu whenever Dawn finds an adapter.
// A software adapter (SwiftShader, llvmpipe: WebGPU run on the CPU) is measured too, with fewer steps, and
// labelled "software"; it says nothing about a GPU. Each backend runs a short `train()` of the default
// policy and task; with a hardware adapter a larger policy (d 256, 4 layers) is measured on webgpu and wasm
// as well, where the GPU should win. ~1.5 minutes without an adapter, ~10 more with SwiftShader.
// For SwiftShader: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json (Debian's chromium; see .ci/run).
import { Rng, SyntheticHiVtgTask, findWebGpuAdapter, initBackend, sampleCompletions, train, transformerPolicy } from '../dist/trainer.js';

export const name = 'trainer';

// cpu is ~30× slower than wasm: it gets fewer steps so the section stays short.
const PLANS = {
  wasm: { sft: 60, grpo: 8 },
  cpu: { sft: 4, grpo: 1 },
  webgpu: { sft: 60, grpo: 8 },
  // SwiftShader runs each kernel on the CPU at ~10-150 ms a dispatch: a few steps are enough.
  webgpuSoftware: { sft: 4, grpo: 1 },
};
const LARGE = { dModel: 256, layers: 4, heads: 8 };

async function measure(backend, plan, model) {
  const report = await train({
    backend,
    seed: 1,
    ...(model === undefined ? {} : { model }),
    sft: { steps: plan.sft },
    grpo: { steps: plan.grpo },
    evaluation: { relevant: 8, irrelevant: 8, every: 0 },
  });
  return {
    backend: report.backend.name,
    adapter: report.backend.adapter ?? null,
    policy: report.policy.name,
    parameters: report.policy.parameters,
    sftSteps: plan.sft,
    grpoSteps: plan.grpo,
    sftStepsPerSecond: report.timing.sftStepsPerSecond,
    grpoStepsPerSecond: report.timing.grpoStepsPerSecond,
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const time = (fn, repeats) => median(Array.from({ length: repeats }, () => { const t = performance.now(); fn(); return performance.now() - t; }));
const timeAsync = async (fn, repeats) => {
  const times = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
};

// Two design choices of the trainer, measured on wasm against the plain alternative in the same run.
async function wasmChoices(log) {
  const { tf } = await initBackend('wasm');
  // 1. Sampling 128 completions (16 prompts × G 8) with the KV cache vs recomputing the prefix every token.
  const task = new SyntheticHiVtgTask();
  const maxNewTokens = task.idealMaxCompletion + 2;
  const policy = transformerPolicy()({ tf, vocabSize: task.vocabulary.length, contextLength: task.promptLength + maxNewTokens, seed: 1 });
  const recompute = { vocabSize: policy.vocabSize, logits: (t) => policy.logits(t) };
  const rng = new Rng(1);
  const prompts = Array.from({ length: 128 }, () => task.sample(rng, 'relevant').prompt);
  const sample = (p) => sampleCompletions(tf, p, prompts, { maxNewTokens, temperature: 1, rng: new Rng(2) });
  await sample(policy);
  const cachedMs = await timeAsync(() => sample(policy), 3);
  const recomputeMs = await timeAsync(() => sample(recompute), 3);
  policy.dispose();
  log(`wasm    sampling 128 completions (${maxNewTokens} tokens max): KV cache ${cachedMs.toFixed(0)} ms, recompute ${recomputeMs.toFixed(0)} ms (${(recomputeMs / cachedMs).toFixed(1)}× faster with the cache)`);
  // 2. The matMul transposes of a backward pass (dA = dY·Bᵀ, dB = Aᵀ·dY) at the trainer's shapes (128
  // sequences × 23 prompt tokens, d = 64, vocabulary 97): matMul's transpose flags vs an explicit transpose and
  // a plain matMul (what the trainer's custom-gradient matmul does). The wasm kernels run synchronously; no
  // read-back is timed (reading a large tensor back costs more than the product itself).
  const rows = 128 * task.promptLength;
  const a = tf.randomNormal([rows, 64]);
  const b = tf.randomNormal([task.vocabulary.length, 64]);
  const dy = tf.randomNormal([rows, task.vocabulary.length]);
  const timed = (fn) => time(() => tf.tidy(() => { fn(); }), 9);
  const flags = { transposeB: timed(() => tf.matMul(a, b, false, true)), transposeA: timed(() => tf.matMul(a, dy, true, false)) };
  const explicit = { transposeB: timed(() => tf.matMul(a, tf.transpose(b))), transposeA: timed(() => tf.matMul(tf.transpose(a), dy)) };
  for (const t of [a, b, dy]) t.dispose();
  for (const which of ['transposeB', 'transposeA']) {
    log(`wasm    matMul ${which} [${rows}×64, 97]: flag ${flags[which].toFixed(2)} ms, explicit transpose + matMul ${explicit[which].toFixed(2)} ms (${(flags[which] / explicit[which]).toFixed(1)}× slower with the flag)`);
  }
  return { sampling: { cachedMs, recomputeMs, speedup: recomputeMs / cachedMs }, matMul: { flagMs: flags, explicitMs: explicit } };
}

export async function run({ log }) {
  const probe = await findWebGpuAdapter();
  const software = probe.available && probe.software;
  const results = { backends: {}, unavailable: {}, large: {}, webgpuAdapter: probe.available ? { description: probe.description, software } : null, wasmChoices: await wasmChoices(log) };
  for (const backend of ['wasm', 'cpu', 'webgpu']) {
    const plan = backend === 'webgpu' && software ? PLANS.webgpuSoftware : PLANS[backend];
    try {
      if (backend === 'webgpu' && !probe.available) throw new Error(probe.reason);
      const figures = await measure(backend, plan);
      results.backends[backend] = { ...figures, software: backend === 'webgpu' ? software : false };
    } catch (error) {
      results.unavailable[backend] = error instanceof Error ? error.message : String(error);
      log(`${backend.padEnd(7)} unavailable: ${results.unavailable[backend]}`);
      continue;
    }
    const f = results.backends[backend];
    const base = results.backends.wasm;
    const label = backend === 'webgpu' ? (software ? ' [SOFTWARE adapter: WebGPU on the CPU, not a GPU]' : ' [hardware adapter]') : '';
    const ratio = backend === 'wasm' || base === undefined ? '' : `  (SFT ${(f.sftStepsPerSecond / base.sftStepsPerSecond).toFixed(3)}×, GRPO ${(f.grpoStepsPerSecond / base.grpoStepsPerSecond).toFixed(3)}× wasm)`;
    log(`${backend.padEnd(7)} ${f.policy} (${f.parameters} params)${f.adapter === null ? '' : ` on ${f.adapter}`}${label}: SFT ${f.sftStepsPerSecond.toFixed(3)} steps/s, GRPO ${f.grpoStepsPerSecond.toFixed(4)} steps/s (16 prompts × G 8; ${f.sftSteps} + ${f.grpoSteps} steps)${ratio}`);
  }
  if (results.backends.webgpu !== undefined && !software) {
    for (const backend of ['wasm', 'webgpu']) {
      const f = await measure(backend, { sft: 10, grpo: 3 }, LARGE);
      results.large[backend] = f;
      log(`large   ${backend.padEnd(7)} ${f.policy} (${f.parameters} params): GRPO ${f.grpoStepsPerSecond.toFixed(3)} steps/s`);
    }
    const { wasm, webgpu } = results.large;
    results.large.webgpuOverWasm = webgpu.grpoStepsPerSecond / wasm.grpoStepsPerSecond;
    log(`large   webgpu / wasm: ${results.large.webgpuOverWasm.toFixed(2)}×`);
  } else {
    log(software ? 'only a software WebGPU adapter here: GPU figures not measured' : 'no WebGPU adapter here: GPU figures not measured');
  }
  return results;
}
