import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isOptionsError } from '../errors.js';
import { initBackend } from './backend.js';

describe('initBackend', () => {
  it('sets and verifies the wasm and cpu backends', async () => {
    for (const name of ['wasm', 'cpu'] as const) {
      const { tf, backend } = await initBackend(name);
      expect(backend).toMatchObject({ requested: name, name });
      expect(tf.getBackend()).toBe(name);
      expect(tf.tensor1d([1, 2]).add(1).arraySync()).toEqual([2, 3]);
    }
  });

  it('auto never lands on a software WebGPU adapter and notes what it skipped', async () => {
    const { tf, backend } = await initBackend('auto');
    expect(tf.getBackend()).toBe(backend.name);
    if (backend.name === 'webgpu') expect(backend.adapter).not.toMatch(/swiftshader|llvmpipe|lavapipe/i);
    else expect(backend.notes.some((note) => note.startsWith('webgpu:'))).toBe(true);
  });

  it('reports an explicitly requested backend that cannot start, and rejects unknown names', async () => {
    try {
      const { backend } = await initBackend('webgpu');
      expect(backend.name).toBe('webgpu');
    } catch (error) {
      expect(isOptionsError(error)).toBe(true);
      expect(String(error)).toMatch(/initBackend: backend 'webgpu' is unavailable/);
    }
    await expect(initBackend('gpu' as never)).rejects.toThrow(/must be one of auto, webgpu, wasm, cpu/);
  });
});

describe('the trainer imports TensorFlow.js lazily', () => {
  it('has no value import of @tensorflow, webgpu, vega or resvg at the top of any trainer module', () => {
    const dir = dirname(fileURLToPath(import.meta.url));
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const staticImports = readFileSync(join(dir, file), 'utf8').match(/^import (?!type )[^;]*from '[^']+';/gm) ?? [];
      for (const line of staticImports) expect(line, file).not.toMatch(/'(@tensorflow\/|webgpu|vega|@resvg\/)/);
    }
  });
});
