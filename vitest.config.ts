import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Prints the fault-injection summary table (test/support/fault-summary.ts) after the run.
    globalSetup: ['test/support/fault-summary-setup.ts'],
    // Serial ptys and a Mosquitto per file: keep parallelism modest on a 2-core CI machine.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
