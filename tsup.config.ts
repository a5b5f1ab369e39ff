import { defineConfig } from 'tsup';

// Kept deliberately plain (entries, formats, dts) so a later move to tsdown is a one-file change.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    etna: 'adapters/etna/index.ts',
    authing: 'adapters/authing/index.ts',
    zitadel: 'adapters/zitadel/index.ts',
    clerk: 'adapters/clerk/index.ts',
    all: 'adapters/all/index.ts',
    testing: 'src/testing/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  splitting: true,
  sourcemap: false,
  target: 'es2022',
  platform: 'neutral',
});
