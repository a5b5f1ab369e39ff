import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    restoreMocks: true,
    // The suites provoke thousands of failures on purpose; the default logger (console, 'warn')
    // would print each. Tests of the logger pass their own logger and level.
    env: { PHONE_BINDING_LOG: 'silent' },
  },
});
