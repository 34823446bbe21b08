// Section `trainer`: reference GRPO trainer throughput (SFT and GRPO steps/s) per TensorFlow.js backend
// available here: wasm (the baseline), the pure-JS cpu backend, and webgpu when Dawn finds a hardware
// adapter (reported as unavailable otherwise). Each backend runs a short `train()` of the default policy
// and task; with a hardware GPU a larger policy is measured on webgpu and wasm as well, where the GPU
// should win. ~1.5 minutes without a GPU.
import { train } from '../dist/trainer.js';

export const name = 'trainer';

// cpu is ~30× slower than wasm: it gets fewer steps so the section stays short.
const PLANS = {
  wasm: { sft: 60, grpo: 8 },
  cpu: { sft: 4, grpo: 1 },
  webgpu: { sft: 60, grpo: 8 },
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

export async function run({ log }) {
  const results = { backends: {}, unavailable: {}, large: {} };
  for (const backend of ['wasm', 'cpu', 'webgpu']) {
    try {
      const figures = await measure(backend, PLANS[backend]);
      results.backends[backend] = figures;
    } catch (error) {
      results.unavailable[backend] = error instanceof Error ? error.message : String(error);
      log(`${backend.padEnd(7)} unavailable: ${results.unavailable[backend]}`);
      continue;
    }
    const f = results.backends[backend];
    const base = results.backends.wasm;
    const ratio = backend === 'wasm' || base === undefined ? '' : `  (${(f.grpoStepsPerSecond / base.grpoStepsPerSecond).toFixed(3)}× wasm)`;
    log(`${backend.padEnd(7)} ${f.policy} (${f.parameters} params): SFT ${f.sftStepsPerSecond.toFixed(2)} steps/s, GRPO ${f.grpoStepsPerSecond.toFixed(3)} steps/s (16 prompts × G 8)${ratio}`);
  }
  if (results.backends.webgpu !== undefined) {
    for (const backend of ['wasm', 'webgpu']) {
      const f = await measure(backend, { sft: 10, grpo: 3 }, LARGE);
      results.large[backend] = f;
      log(`large   ${backend.padEnd(7)} ${f.policy} (${f.parameters} params): GRPO ${f.grpoStepsPerSecond.toFixed(3)} steps/s`);
    }
    const { wasm, webgpu } = results.large;
    results.large.webgpuOverWasm = webgpu.grpoStepsPerSecond / wasm.grpoStepsPerSecond;
    log(`large   webgpu / wasm: ${results.large.webgpuOverWasm.toFixed(2)}×`);
  } else {
    log('no hardware WebGPU adapter here: GPU figures not measured');
  }
  return results;
}
