import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Long simulations and crash runs: `npm run test:soak`.
    exclude: ['**/node_modules/**', 'tests/**/*.soak.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // The machine has two cores; the end-to-end suites start servers and child processes.
    maxWorkers: 2,
  },
});
