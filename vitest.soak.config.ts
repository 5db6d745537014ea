import { defineConfig } from 'vitest/config';

/** The long runs `npm test` leaves out: simulated years and crash tests (`npm run test:soak`). */
export default defineConfig({
  test: {
    include: ['tests/**/*.soak.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
  },
});
