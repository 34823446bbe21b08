import { dirname } from 'node:path';
import { OptionsError } from '../errors.js';
import { importOptionalPackage, resolveOptionalPackage } from '../internal/edge/optional-dependency.js';
import { findWebGpuAdapter } from './webgpu-adapter.js';

/** The TensorFlow.js namespace (`@tensorflow/tfjs`), loaded lazily so that importing this module costs nothing. */
export type Tf = typeof import('@tensorflow/tfjs');

/** What the trainer may run on: `auto` tries a hardware WebGPU adapter, then wasm, then the pure-JS cpu backend. */
export type BackendChoice = 'auto' | 'webgpu' | 'wasm' | 'cpu';

/** The backend a run ended up on, and why. */
export interface BackendInfo {
  /** The backend requested. */
  requested: BackendChoice;
  /** `tf.getBackend()` after initialisation (checked, never assumed). */
  name: 'webgpu' | 'wasm' | 'cpu';
  /** The WebGPU adapter (vendor, architecture, description) when `name` is `webgpu`. */
  adapter?: string | undefined;
  /** Why other backends were skipped or failed, in the order they were tried. */
  notes: string[];
}

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /** Called with one line for every skipped or failed backend (default: nothing). */
  log?: ((line: string) => void) | undefined;
}

const INSTALL = 'npm install @tensorflow/tfjs @tensorflow/tfjs-backend-wasm (and @tensorflow/tfjs-backend-webgpu webgpu for the GPU path)';

let tfPromise: Promise<Tf> | null = null;

/** Imports `@tensorflow/tfjs` once (dynamic import: the root entry and other subpaths never load it). */
export function loadTensorflow(): Promise<Tf> {
  tfPromise ??= importOptionalPackage<Tf & { default?: Tf }>('loadTensorflow', '@tensorflow/tfjs', INSTALL).then((module) => module.default ?? module);
  // A failed import is not cached: installing the package and calling again works.
  tfPromise.catch(() => {
    tfPromise = null;
  });
  return tfPromise;
}

/**
 * Loads TensorFlow.js and sets the backend explicitly, then verifies it with `tf.getBackend()`.
 *
 * - `wasm`: `@tensorflow/tfjs-backend-wasm`, its `.wasm` binaries read from the installed package's folder
 *   (`setWasmPaths` with a file path; no network).
 * - `webgpu`: the `webgpu` npm package (Dawn) provides `navigator.gpu`, set before
 *   `@tensorflow/tfjs-backend-webgpu` is imported. Software adapters (SwiftShader, llvmpipe) are refused in
 *   `auto` mode and accepted, with a note, when `webgpu` is requested explicitly.
 * - `cpu`: the pure-JS reference backend (slow, always there).
 *
 * In `auto` mode a backend that fails is noted and the next one is tried; an explicitly requested backend
 * that fails throws an {@link OptionsError} with the reason.
 *
 * @example
 * const { backend } = await initBackend('cpu');
 * backend.name; // => 'cpu'
 */
export async function initBackend(choice: BackendChoice, options: InitBackendOptions = {}): Promise<{ tf: Tf; backend: BackendInfo }> {
  const fn = 'initBackend';
  if (!['auto', 'webgpu', 'wasm', 'cpu'].includes(choice)) {
    throw new OptionsError(fn, 'backend', `must be one of auto, webgpu, wasm, cpu, got ${String(choice)}`);
  }
  const log = options.log ?? (() => {});
  const tf = await loadTensorflow();
  const notes: string[] = [];
  const order: Array<'webgpu' | 'wasm' | 'cpu'> = choice === 'auto' ? ['webgpu', 'wasm', 'cpu'] : [choice];
  for (const name of order) {
    try {
      const adapter = await prepare(tf, name, choice === 'auto');
      if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed to initialise the backend`);
      await tf.ready();
      const active = tf.getBackend();
      if (active !== name) throw new Error(`tf.getBackend() is '${active}' after setting '${name}'`);
      return { tf, backend: { requested: choice, name, adapter, notes } };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const note = `${name}: ${reason}`;
      notes.push(note);
      if (choice !== 'auto') throw new OptionsError(fn, 'backend', `'${name}' is unavailable: ${reason}`);
      log(`backend ${note}; trying the next one`);
    }
  }
  throw new OptionsError(fn, 'backend', `no backend could be initialised (${notes.join('; ')})`);
}

async function prepare(tf: Tf, name: 'webgpu' | 'wasm' | 'cpu', auto: boolean): Promise<string | undefined> {
  if (name === 'cpu') return undefined;
  if (name === 'wasm') {
    const wasm = await importOptionalPackage<typeof import('@tensorflow/tfjs-backend-wasm')>('initBackend', '@tensorflow/tfjs-backend-wasm', INSTALL);
    const folder = dirname(resolveOptionalPackage('@tensorflow/tfjs-backend-wasm') as string);
    // A plain file path: the emscripten loader reads the binaries with fs, no fetch.
    wasm.setWasmPaths(`${folder}/`);
    return undefined;
  }
  const probe = await findWebGpuAdapter();
  if (!probe.available) throw new Error(probe.reason);
  const { description, software, gpu } = probe;
  if (software && auto) throw new Error(`skipped the software adapter '${description}': a CPU implementation of WebGPU, slower than wasm (ask for --backend webgpu to use it)`);
  // tfjs-backend-webgpu reads navigator.gpu when it is imported (registration) and when it initialises.
  const holder = globalThis as { navigator?: { gpu?: unknown } };
  if (holder.navigator === undefined) Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  else Object.defineProperty(holder.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
  await importOptionalPackage('initBackend', '@tensorflow/tfjs-backend-webgpu', INSTALL);
  if (tf.findBackendFactory('webgpu') === null) throw new Error('@tensorflow/tfjs-backend-webgpu did not register (navigator.gpu missing)');
  return `${description}${software ? ' (software)' : ''}`;
}
