import { defineConfig } from 'vitest/config';

/**
 * `npm run test:install`: the installer run for real in a Debian root made by debootstrap
 * (test/install/). Minutes long (it builds Keywarden there from source), so it is its own CI
 * stage rather than part of `npm test`; it needs root, debootstrap and the Debian mirror.
 */
export default defineConfig({
  test: {
    include: ['test/install/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 1_200_000,
    hookTimeout: 1_200_000,
  },
});
