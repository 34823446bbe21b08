/** What Dawn (the `webgpu` npm package) finds on this machine. */
export type WebGpuProbe =
  | {
      available: true;
      /** Vendor, architecture, device and driver description, e.g. `google swiftshader … SwiftShader driver 5.0.0`. */
      description: string;
      /** A CPU implementation (SwiftShader, llvmpipe, lavapipe, a fallback adapter), not a GPU. */
      software: boolean;
      /** The `GPU` object the adapter came from (what `navigator.gpu` must be for tfjs-backend-webgpu). */
      gpu: unknown;
    }
  | { available: false; reason: string };

const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render/i;

interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<{
    isFallbackAdapter?: boolean;
    info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  } | null>;
}

/**
 * Asks Dawn for a high-performance WebGPU adapter and says what it is, without touching TensorFlow.js.
 * Never throws: a missing `webgpu` package, a missing Vulkan loader or no adapter give
 * `{ available: false, reason }`. On Linux, Dawn reads Vulkan drivers through the loader
 * (`libvulkan.so.1`), so `VK_ICD_FILENAMES` selects one (for example SwiftShader from Debian's `chromium`).
 *
 * @example
 * const probe = await findWebGpuAdapter();
 * probe.available ? probe.description : probe.reason; // e.g. 'no WebGPU adapter (no Vulkan driver or GPU found by Dawn)'
 */
export async function findWebGpuAdapter(): Promise<WebGpuProbe> {
  let module: { create: (flags: string[]) => GpuLike; globals: Record<string, unknown> };
  try {
    module = (await import('webgpu')) as unknown as typeof module;
  } catch (error) {
    return { available: false, reason: `the webgpu package could not be loaded: ${error instanceof Error ? error.message : String(error)}` };
  }
  try {
    Object.assign(globalThis, module.globals);
    const gpu = module.create([]);
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (adapter === null) return { available: false, reason: 'no WebGPU adapter (no Vulkan driver or GPU found by Dawn)' };
    const info = adapter.info ?? {};
    const description = [info.vendor, info.architecture, info.device, info.description].filter((part) => part !== undefined && part !== '').join(' ') || 'unknown adapter';
    const software = adapter.isFallbackAdapter === true || info.isFallbackAdapter === true || SOFTWARE_ADAPTER.test(description);
    return { available: true, description, software, gpu };
  } catch (error) {
    return { available: false, reason: `Dawn failed to look for an adapter: ${error instanceof Error ? error.message : String(error)}` };
  }
}
