import { defineConfig, type Options } from 'tsup';
import { PACKAGE_ENTRIES } from './adapters/registry.js';

// Kept deliberately plain (entries, formats, dts) so a later move to tsdown is a one-file change.
// The entries come from the registry: a new backend needs no line here.
const common: Options = {
  entry: Object.fromEntries(PACKAGE_ENTRIES.map((entry) => [entry.name, entry.source])),
  dts: true,
  splitting: true,
  sourcemap: false,
  target: 'es2022',
  platform: 'neutral',
};

export default defineConfig([
  { ...common, format: 'esm', clean: true },
  // ky ships ES modules only: the CommonJS build carries its own copy, so `require()` works where
  // ES modules cannot be required (Jest's CommonJS runtime; Node before require(esm)). The ESM
  // build keeps ky a dependency, deduplicated and updated with the app's.
  { ...common, format: 'cjs', noExternal: ['ky'] },
]);
