// The trainer on WebGPU. Needs a Vulkan (or Metal/D3D) adapter that Dawn can see: in CI, .ci/run installs
// SwiftShader (Debian's chromium) and exports VK_ICD_FILENAMES and XDG_RUNTIME_DIR. Without an adapter these
// tests are skipped with the reason printed, except under CI=true, where a missing adapter fails.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/index.js';
import { initBackend } from '../src/trainer/backend.js';
import type { TrainReport } from '../src/trainer/report.js';
import { findWebGpuAdapter } from '../src/trainer/webgpu-adapter.js';
import { captureIO } from './helpers/cli-io.js';

const probe = await findWebGpuAdapter();
const inCi = process.env.CI === 'true';
const skipReason = probe.available
  ? null
  : `no WebGPU adapter: ${probe.reason}. Install a Vulkan driver (e.g. \`apt-get install chromium libvulkan1\`) and set VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json, as .ci/run does`;
if (skipReason !== null && !inCi) console.warn(`test/trainer-webgpu.test.ts skipped: ${skipReason}`);
const tmp = mkdtempSync(join(tmpdir(), 'ra-rft-webgpu-'));

describe('the webgpu trainer tests have an adapter in CI', () => {
  it.runIf(inCi)('CI=true: Dawn finds an adapter', () => {
    expect(skipReason, 'CI must run the webgpu tests').toBeNull();
  });
});

// Short: SwiftShader runs every kernel on the CPU, ~10-150 ms a dispatch on 2 cores, and an SFT step of the
// default policy is ~850 dispatches (forward, backward, Adam). The held-out sets are larger than the
// training: greedy decoding of a barely trained policy has near-ties that float32 rounding can flip, and
// one flipped prompt of 48 moves a metric by 0.021, of 8 by 0.125.
const SHORT = ['--seed', '1', '--sft-steps', '3', '--sft-batch', '16', '--grpo-steps', '1', '--prompts', '2', '--group-size', '4', '--eval-relevant', '48', '--eval-irrelevant', '48', '--eval-every', '0', '--no-plot', '--quiet'];

async function cli(backend: string): Promise<TrainReport> {
  const out = join(tmp, backend);
  const run = captureIO();
  expect(await main(['train', '--backend', backend, ...SHORT, '--out', out], run.io), run.err()).toBe(0);
  return JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as TrainReport;
}

describe.skipIf(skipReason !== null)(`ra-rft-rewards train --backend webgpu${skipReason === null ? ` on ${probe.available ? probe.description : ''}` : ` (skipped: ${skipReason})`}`, () => {
  it('trains end to end and agrees with wasm for the same seed', { timeout: 1_200_000 }, async () => {
    const gpu = await cli('webgpu');
    expect(gpu.backend.name).toBe('webgpu');
    expect(gpu.backend.adapter).toBe(probe.available ? `${probe.description}${probe.software ? ' (software)' : ''}` : '');
    const cpu = await cli('wasm');
    expect(cpu.backend.name).toBe('wasm');
    // The first SFT losses: the same batches, initial weights and ops, float32 on both.
    expect(gpu.sft.losses).toHaveLength(3);
    gpu.sft.losses.forEach(({ loss }, i) => {
      const base = cpu.sft.losses[i]!.loss;
      expect(Math.abs(loss - base) / Math.abs(base), `SFT step ${i + 1}: webgpu ${loss}, wasm ${base}`).toBeLessThan(1e-3);
    });
    // The short run's held-out metrics (greedy decoding of both policies).
    for (const stage of ['sft', 'raRft'] as const) {
      for (const metric of ['refusalAccuracy', 'falseRefusalRate', 'mIoU', 'recallAt05', 'formatRate'] as const) {
        const [a, b] = [gpu.beforeAfter[stage][metric], cpu.beforeAfter[stage][metric]];
        expect(Math.abs(a - b), `${stage}.${metric}: webgpu ${a}, wasm ${b}`).toBeLessThanOrEqual(0.05);
      }
    }
    expect(gpu.grpo.steps).toHaveLength(1);
    expect(Math.abs(gpu.grpo.steps[0]!.reward.total - cpu.grpo.steps[0]!.reward.total)).toBeLessThanOrEqual(0.05);
  });
});

describe.skipIf(skipReason !== null || (probe.available && !probe.software))(
  `initBackend('auto') and a software adapter${probe.available && !probe.software ? ' (skipped: the adapter here is hardware)' : skipReason === null ? '' : ` (skipped: ${skipReason})`}`,
  () => {
    it('auto skips the software adapter, says why, and lands on wasm; an explicit webgpu accepts it', async () => {
      const auto = await initBackend('auto');
      expect(auto.backend.name).toBe('wasm');
      expect(auto.backend.notes[0]).toMatch(/^webgpu: skipped the software adapter '.+': a CPU implementation of WebGPU, slower than wasm/);
      expect(auto.backend.notes[0]).toContain(probe.available ? probe.description : '');
      const explicit = await initBackend('webgpu');
      expect(explicit.backend.name).toBe('webgpu');
      expect(explicit.backend.adapter).toMatch(/\(software\)$/);
      expect(explicit.tf.getBackend()).toBe('webgpu');
      expect(await explicit.tf.tensor1d([1, 2]).add(1).data()).toEqual(new Float32Array([2, 3]));
    });
  },
);
