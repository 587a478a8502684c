import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The installer's own stage (vitest.install.config.ts, npm run test:install): minutes long.
    exclude: ['**/node_modules/**', 'test/install/**'],
    // Prints the fault-injection summary table (test/support/fault-summary.ts) after the run.
    globalSetup: ['test/support/fault-summary-setup.ts'],
    // Serial ptys and a Mosquitto per file: keep parallelism modest on a 2-core CI machine.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 20_000,
    // A runner started by systemd may pass its own notify socket down: no test daemon may
    // report to it (test/systemd/ sets its own).
    env: { NOTIFY_SOCKET: '', WATCHDOG_USEC: '', WATCHDOG_PID: '' },
    hookTimeout: 30_000,
  },
});
