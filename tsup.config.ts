import { defineConfig, type Options } from 'tsup';
import { ENTRIES, PACKAGE_ENTRIES } from './adapters/registry.js';

// Kept deliberately plain (entries, formats, dts) so a later move to tsdown is a one-file change.
// The entries come from the registry: a new backend needs no line here.
const entry = Object.fromEntries(PACKAGE_ENTRIES.map((e) => [e.name, e.source]));
// Each factory's module of a multi-factory entry, built as an entry of its own (not exported) so
// esbuild puts it in a chunk of its own (registry.ts, `modules`). ESM only: bundlers tree-shake ESM.
const modules = Object.fromEntries(
  ENTRIES.flatMap((e) => Object.entries('modules' in e ? e.modules : {})).map(([id, source]) => [
    `internal/${id}`,
    source,
  ]),
);
const common: Options = {
  dts: true,
  splitting: true,
  sourcemap: false,
  target: 'es2022',
  platform: 'neutral',
};

export default defineConfig([
  // …plus the `phone-binding` bin (package.json `bin`), Node only, not an entry of `exports`.
  {
    ...common,
    entry: { ...entry, ...modules, cli: 'src/migrate/cli/main.ts' },
    // Types for the package's entries (and the bin); the factories' modules are not entries of `exports`.
    dts: { entry: { ...entry, cli: 'src/migrate/cli/main.ts' } },
    format: 'esm',
    clean: true,
  },
  // ky ships ES modules only: the CommonJS build carries its own copy, so `require()` works where
  // ES modules cannot be required (Jest's CommonJS runtime; Node before require(esm)). The ESM
  // build keeps ky a dependency, deduplicated and updated with the app's.
  { ...common, entry, format: 'cjs', noExternal: ['ky'] },
]);
