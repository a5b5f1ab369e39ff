import { defineConfig } from 'tsup';
import { PACKAGE_ENTRIES } from './adapters/registry.js';

// Kept deliberately plain (entries, formats, dts) so a later move to tsdown is a one-file change.
// The entries come from the registry: a new backend needs no line here.
export default defineConfig({
  // …plus the `phone-binding` bin (package.json `bin`), Node only, not an entry of `exports`.
  entry: {
    ...Object.fromEntries(PACKAGE_ENTRIES.map((entry) => [entry.name, entry.source])),
    cli: 'src/migrate/cli/main.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  splitting: true,
  sourcemap: false,
  target: 'es2022',
  platform: 'neutral',
});
