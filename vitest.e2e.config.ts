import { defineConfig } from 'vitest/config';

// End-to-end tests in a real browser (`npm run test:e2e`); `npm test` (vitest.config.ts) never runs them.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    restoreMocks: true,
  },
});
