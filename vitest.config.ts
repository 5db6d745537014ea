import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (`npm test`) is every test but the long simulations; `soak`
 * (`npm run test:soak`) is the simulations (a year of daily posts, half a year of quiz nights,
 * the crash test). Soak tests have no time limit: they must pass however slow the machine is.
 */
const SOAK = 'tests/**/*.soak.test.ts';

export default defineConfig({
  test: {
    // The machine has two cores; the end-to-end suites start servers and child processes.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/**/*.test.ts'],
          // Worker threads start and load modules faster than child processes: about 75 s
          // instead of 120 s for this project on two cores.
          pool: 'threads',
          exclude: [...configDefaults.exclude, SOAK],
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'soak',
          include: [SOAK],
          testTimeout: 0,
          hookTimeout: 0,
        },
      },
    ],
  },
});
