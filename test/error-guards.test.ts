// The is…Error guards must hold across copies of the library: the ESM and the CommonJS build each have their
// own classes (a CJS dependency and an ESM app can both load the package), so `instanceof` is false there.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { repoRoot } from './helpers/shared.js';

describe('error guards across copies of the library', () => {
  it('recognise errors of another module instance, where instanceof fails', async () => {
    const a = await import('../src/index.js');
    const aEmbeddings = await import('../src/embeddings/errors.js');
    vi.resetModules();
    const b = await import('../src/index.js');
    const bEmbeddings = await import('../src/embeddings/errors.js');
    expect(b.TargetError).not.toBe(a.TargetError);
    const target = new b.TargetError('refuseIoU', 'target.span', 'is bad');
    expect(target instanceof a.TargetError).toBe(false);
    expect([a.isTargetError(target), a.isRaRftError(target), a.isOptionsError(target), a.isOptionalDependencyError(target)]).toEqual([true, true, false, false]);
    const unavailable = new bEmbeddings.EmbedderUnavailableError('transformersEmbedder', 'options.model', 'missing');
    expect([aEmbeddings.isEmbedderUnavailableError(unavailable), a.isOptionalDependencyError(unavailable), a.isRaRftError(unavailable), a.isTargetError(unavailable)]).toEqual([true, true, true, false]);
    // A look-alike without the brand is not one of ours.
    expect(a.isTargetError(Object.assign(new Error('x'), { name: 'TargetError' }))).toBe(false);
    expect(a.isRaRftError(null)).toBe(false);
  });

  const dist = join(repoRoot, 'dist');
  const built = existsSync(join(dist, 'index.cjs')) && existsSync(join(dist, 'index.js'));
  it.skipIf(!built && process.env.CI !== 'true')('hold between the built ESM and CJS entries (dist/, built by npm ci)', async () => {
    const esm = (await import(pathToFileURL(join(dist, 'index.js')).href)) as typeof import('../src/index.js');
    const cjs = createRequire(import.meta.url)(join(dist, 'index.cjs')) as typeof import('../src/index.js');
    expect(cjs.OptionsError).not.toBe(esm.OptionsError);
    const thrown = (() => {
      try {
        cjs.groupRelativeAdvantage([1, 2, 3], { groupSize: 2 });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(thrown instanceof esm.OptionsError).toBe(false);
    expect(esm.isOptionsError(thrown)).toBe(true);
    expect(esm.isRaRftError(thrown)).toBe(true);
  });
});
