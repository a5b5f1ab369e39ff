import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { PACKAGE_ENTRIES } from './adapters/registry.js';

// The browser example imports `phone-binding/…` as an app would; here those names resolve to the
// sources, as the tsconfig `paths` do for tsc and esbuild (exact matches: `phone-binding/testing`
// must not catch `phone-binding/testing/msw`).
const selfAliases = PACKAGE_ENTRIES.map((entry) => ({
  find: new RegExp(`^phone-binding${entry.subpath === '.' ? '' : `/${entry.subpath.slice(2)}`}$`),
  replacement: fileURLToPath(new URL(entry.source, import.meta.url)),
}));

// End-to-end tests in a real browser (`npm run test:e2e`); `npm test` (vitest.config.ts) never runs them.
export default defineConfig({
  resolve: { alias: selfAliases },
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    restoreMocks: true,
  },
});
