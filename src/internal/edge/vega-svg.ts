// The one Vega-Lite → SVG renderer (the benchmark report's charts, the trainer's curves).
import { OptionalDependencyError } from '../../errors.js';
import { importOptionalPackage, type OptionalDependencyErrorClass } from './optional-dependency.js';

/**
 * Compiles a Vega-Lite spec to Vega and renders it to a static SVG string in Node (a headless `View` with
 * renderer `none`; no canvas, no network). `vega` and `vega-lite` are optional peers: when one is missing
 * this throws `ErrorClass` (default {@link OptionalDependencyError}) from `fn`.
 */
export async function renderVegaLiteSvg(fn: string, spec: object, install: string, ErrorClass: OptionalDependencyErrorClass = OptionalDependencyError): Promise<string> {
  const [vega, vegaLite] = await Promise.all([
    importOptionalPackage<typeof import('vega')>(fn, 'vega', install, ErrorClass),
    importOptionalPackage<typeof import('vega-lite')>(fn, 'vega-lite', install, ErrorClass),
  ]);
  const compiled = vegaLite.compile(spec as Parameters<typeof vegaLite.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
