/**
 * Cold `import()` of each built entry, each in a fresh `node` process (median of `runs`), next to
 * the import of its own dependencies alone (the bare specifiers its files import statically,
 * found by reading dist/), each dependency alone, and `@clerk/backend`.
 *
 * The project's own share of an entry is (entry − its dependencies) / entry, measured in one
 * process: it imports the dependencies (d), then the entry (o: only the project's own files are
 * left to load), and the share is the median over the runs of o / (d + o). Taken from two
 * separate processes, as the `ms` and `deps ms` columns are, the difference is lost in noise on
 * a shared machine (their spreads are ±10–20 ms; an entry's own part is a few ms); paired in one
 * process, the load of the moment weighs on both parts alike. Loading ours after the
 * dependencies rather than beside them can only make it larger.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PACKAGE_ENTRIES } from '../../adapters/registry.js';
import { median, round } from './stats.js';

/** The reference the issue names next to the entries. */
const CLERK_BACKEND = '@clerk/backend';

/** One entry's cold import and its dependencies'. */
export interface ImportResult {
  entry: string;
  dependencies: string[];
  medianMs: number;
  dependenciesMs: number;
  /** Median ms the entry takes to import once its dependencies are loaded (the same process). */
  ownMs: number;
  /** Median over the runs of own / (dependencies + own), both measured in one process. */
  ownShare: number;
  runsMs: number[];
}

/** A reference import: one dependency alone (or `@clerk/backend`). */
export interface ReferenceResult {
  specifier: string;
  medianMs: number;
  runsMs: number[];
}

const STATIC_IMPORT = /(?:^|[;\n])\s*(?:import|export)\s*(?:[^'";]*?\sfrom\s*)?["']([^"']+)["']/g;

/** The bare specifiers `file` and the relative files it imports statically import. */
export function dependenciesOf(file: string, seen = new Set<string>()): Set<string> {
  const bare = new Set<string>();
  if (seen.has(file)) return bare;
  seen.add(file);
  for (const match of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
    const specifier = match[1] ?? '';
    if (specifier.startsWith('.')) {
      for (const dep of dependenciesOf(resolve(dirname(file), specifier), seen)) bare.add(dep);
    } else if (!specifier.startsWith('node:')) bare.add(specifier);
  }
  return bare;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Whether dist/ holds every entry, and whether it is older than the sources. */
export function buildState(root: string): { missing: string[]; stale: boolean } {
  const files = PACKAGE_ENTRIES.map((entry) => join(root, 'dist', `${entry.name}.js`));
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length > 0) return { missing, stale: false };
  const source = Math.max(newestMtime(join(root, 'src')), newestMtime(join(root, 'adapters')));
  return { missing, stale: source > Math.min(...files.map((file) => statSync(file).mtimeMs)) };
}

/**
 * Milliseconds a fresh node process takes to `import()` each group of specifiers in turn (the
 * specifiers of a group at once).
 */
function coldImport(root: string, ...groups: ReadonlyArray<readonly string[]>): number[] {
  const env = { ...process.env };
  // tsx runs the bench through a loader; the child must be a plain node.
  delete env.NODE_OPTIONS;
  const steps = groups.map(
    (specifiers) =>
      `t = performance.now(); await Promise.all([${specifiers.map((specifier) => `import(${JSON.stringify(specifier)})`).join(', ')}]); ms.push(performance.now() - t);`,
  );
  const code = `const ms = []; let t; ${steps.join(' ')} process.stdout.write(JSON.stringify(ms));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { env, cwd: root });
  return JSON.parse(out.toString()) as number[];
}

export function coldImports(
  root: string,
  runs: number,
): { entries: ImportResult[]; references: ReferenceResult[] } {
  const entries = PACKAGE_ENTRIES.map((entry) => {
    const file = join(root, 'dist', `${entry.name}.js`);
    return {
      name: entry.name,
      url: pathToFileURL(file).href,
      dependencies: [...dependenciesOf(file)].sort(),
    };
  });
  const sets = new Map<string, string[]>();
  for (const entry of entries)
    if (entry.dependencies.length > 0) sets.set(entry.dependencies.join(' + '), entry.dependencies);
  const alone = [...new Set(entries.flatMap((entry) => entry.dependencies)), CLERK_BACKEND].sort();
  const targets = [
    ...entries.map((entry) => ({ key: `entry:${entry.name}`, specifiers: [entry.url] })),
    ...[...sets].map(([key, specifiers]) => ({ key: `set:${key}`, specifiers })),
    ...alone.map((specifier) => ({ key: `alone:${specifier}`, specifiers: [specifier] })),
  ];
  const times = new Map<string, number[]>(targets.map((target) => [target.key, []]));
  const own = new Map<string, { ms: number[]; shares: number[] }>(
    entries.map((entry) => [entry.name, { ms: [], shares: [] }]),
  );
  // Round-robin, so drift (page cache, CPU frequency) spreads over every target alike.
  for (let r = 0; r < runs; r += 1) {
    for (const target of targets) times.get(target.key)?.push(...coldImport(root, target.specifiers));
    for (const entry of entries) {
      const [deps = 0, ms = 0] = coldImport(root, entry.dependencies, [entry.url]);
      own.get(entry.name)?.ms.push(ms);
      own.get(entry.name)?.shares.push(ms / (deps + ms));
    }
  }
  const medianOf = (key: string) => median(times.get(key) ?? []);
  return {
    entries: entries.map((entry) => {
      const ms = medianOf(`entry:${entry.name}`);
      const deps = entry.dependencies.length > 0 ? medianOf(`set:${entry.dependencies.join(' + ')}`) : 0;
      return {
        entry: entry.name,
        dependencies: entry.dependencies,
        medianMs: round(ms, 1),
        dependenciesMs: round(deps, 1),
        ownMs: round(median(own.get(entry.name)?.ms ?? []), 1),
        ownShare: round(median(own.get(entry.name)?.shares ?? [])),
        runsMs: (times.get(`entry:${entry.name}`) ?? []).map((v) => round(v, 1)),
      };
    }),
    references: alone.map((specifier) => ({
      specifier,
      medianMs: round(medianOf(`alone:${specifier}`), 1),
      runsMs: (times.get(`alone:${specifier}`) ?? []).map((v) => round(v, 1)),
    })),
  };
}
