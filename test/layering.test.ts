// The architecture rule: src/ is layered by capability, lowest first, and nothing imports from a layer above.
// - The core folders are ordered: each may import from its own layer and the ones before it.
// - src/internal/ holds pure primitives (no Node API, no package but zod); src/internal/edge/ the Node edge
//   helpers (the optional-package loader, the Vega-Lite renderer), which only edge folders may use.
// - The edge folders (the package's subpaths and tools) may import every core folder, and only the edge
//   folders listed for them in EDGE_IMPORTS.
// - Root files (src/*.ts: types, errors, version, the index) may be imported by every folder.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/shared.js';

const CORE = ['internal', 'rules', 'format', 'grounding', 'explain', 'correction', 'advantage', 'data', 'profiles', 'variants'];

/** Which other edge folders each edge folder may import (every core folder is allowed). */
const EDGE_IMPORTS: Record<string, readonly string[]> = {
  embeddings: [],
  evaluate: [],
  benchmark: ['embeddings'],
  engine: ['embeddings', 'audit'],
  server: ['engine', 'embeddings', 'audit'],
  trainer: ['embeddings', 'evaluate'],
  playground: ['benchmark'],
  audit: [],
  cli: ['embeddings', 'evaluate', 'benchmark', 'engine', 'server', 'trainer', 'playground', 'audit'],
};

/** Packages the pure core may import (the root entry's dependencies). */
const CORE_PACKAGES = ['zod', 'fastest-levenshtein'];

const src = join(repoRoot, 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path);
    return /\.tsx?$/.test(entry.name) && !/\.test(-d)?\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** What a file imports: the src/ folder (with `internal/edge` told apart) or null for src/*.ts, or the package. */
function imports(file: string): { specifier: string; folder: string | null; pkg: string | null }[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)|^import\s+'([^']+)'/gm)].map((m) => (m[1] ?? m[2] ?? m[3]) as string);
  return specifiers.flatMap((specifier): { specifier: string; folder: string | null; pkg: string | null }[] => {
    if (!specifier.startsWith('.')) return [{ specifier, folder: null, pkg: specifier }];
    const target = resolve(dirname(file), specifier);
    // A relative path that names no source folder is text, not an import (build.ts hands esbuild such a line).
    if (!existsSync(dirname(target))) return [];
    const parts = relative(src, target).split(/[\\/]/);
    const folder = parts.length > 1 ? (parts[0] === 'internal' && parts[1] === 'edge' ? 'internal/edge' : (parts[0] as string)) : null;
    return [{ specifier, folder, pkg: null }];
  });
}

/** The folder of a source file, with `internal/edge` told apart. */
function folderOf(file: string): string {
  const parts = relative(src, file).split(/[\\/]/);
  return parts[0] === 'internal' && parts[1] === 'edge' ? 'internal/edge' : (parts[0] as string);
}

/** Every rule broken by one file. */
function violations(file: string): string[] {
  const own = folderOf(file);
  const where = relative(repoRoot, file);
  const broken: string[] = [];
  for (const { specifier, folder, pkg } of imports(file)) {
    if (pkg !== null) {
      // The pure core: no Node API and no package but the root entry's dependencies.
      const core = CORE.includes(own);
      if (core && (pkg.startsWith('node:') || !CORE_PACKAGES.some((allowed) => pkg === allowed || pkg.startsWith(`${allowed}/`)))) broken.push(`${where} imports ${specifier}`);
      continue;
    }
    if (folder === null || folder === own) continue;
    if (own === 'internal/edge') {
      if (folder !== 'internal') broken.push(`${where} imports ${specifier}`);
    } else if (CORE.includes(own)) {
      const rank = CORE.indexOf(own);
      const importedRank = CORE.indexOf(folder);
      if (importedRank < 0 || importedRank > rank) broken.push(`${where} imports ${specifier}`);
    } else {
      const allowed = EDGE_IMPORTS[own];
      if (allowed === undefined) broken.push(`${where}: folder src/${own} has no layering rule`);
      else if (!CORE.includes(folder) && folder !== 'internal/edge' && !allowed.includes(folder)) broken.push(`${where} imports ${specifier}`);
    }
  }
  return broken;
}

describe('layering', () => {
  const folders = readdirSync(src, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);

  it('every folder under src/ has a rule', () => {
    expect(folders.filter((folder) => !CORE.includes(folder) && !(folder in EDGE_IMPORTS))).toEqual([]);
  });

  it.each([...CORE, 'internal/edge', ...Object.keys(EDGE_IMPORTS)])('src/%s imports only what its layer allows', (folder) => {
    const dir = join(src, folder);
    const list = files(dir).filter((file) => folderOf(file) === folder);
    expect(list.length, `src/${folder} has source files`).toBeGreaterThan(0);
    expect(list.flatMap(violations)).toEqual([]);
  });

  it('sees imports and breaks (the check can fail)', () => {
    const found = imports(join(src, 'grounding/refuse-iou.ts')).map((i) => i.folder);
    expect(found).toContain('rules');
    // A core file importing the Node edge, an edge folder importing one it may not: both reported.
    expect(imports(join(src, 'trainer/plot.ts')).map((i) => i.folder)).toContain('internal/edge');
    expect(violations(join(src, 'trainer/plot.ts'))).toEqual([]);
    const embeddingsFile = files(join(src, 'embeddings'))[0] as string;
    expect(folderOf(embeddingsFile)).toBe('embeddings');
    expect(EDGE_IMPORTS.embeddings).not.toContain('trainer');
  });
});
