import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (`npm test`) is every test but the long simulations; `soak`
 * (`npm run test:soak`) is the simulations (a year of daily posts, half a year of quiz nights,
 * the crash test). Soak tests have no time limit: they must pass however slow the machine is.
 */
const SOAK = 'tests/**/*.soak.test.ts';
/**
 * Tests that need a module registry of their own: those that replace a module (`vi.mock`), and
 * those that load discord.js (its event emitter can fail to load in a worker shared with other
 * files). A new test that loads discord.js (through the Discord adapter) belongs here.
 */
const ISOLATED = [
  'tests/store/journal.test.ts',
  'tests/store/open-problems.test.ts',
  'tests/discord/**/*.test.ts',
  'tests/app/platforms.test.ts',
  'tests/commands/learn-cards.test.ts',
  'tests/commands/progress.test.ts',
  'tests/commands/progress-no-picture.test.ts',
];

export default defineConfig({
  test: {
    // The machine has two cores; the end-to-end suites start servers and child processes.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/**/*.test.ts'],
          // Worker threads start and load modules faster than child processes, and test files
          // sharing a worker's modules (no isolation) skip loading them again: on two cores about
          // 65 s instead of 115 s for this project. Each file still opens its own storage, servers
          // and clocks; the few that cannot share run isolated in `unit-isolated`.
          pool: 'threads',
          isolate: false,
          exclude: [...configDefaults.exclude, SOAK, ...ISOLATED],
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'unit-isolated',
          include: ISOLATED,
          exclude: [...configDefaults.exclude, SOAK],
          pool: 'threads',
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'soak',
          include: [SOAK],
          // One file at a time: several of them run fleets of processes against rate limits and
          // timings, which two at once on two cores can starve.
          fileParallelism: false,
          testTimeout: 0,
          hookTimeout: 0,
        },
      },
    ],
  },
});
