import { defineConfig } from 'vitest/config';

// Unit and simulation tests are pure and fast; integration tests start real processes and sockets, so they get
// longer timeouts. The machines have 2 cores: more workers than that only adds contention to timing-sensitive
// integration tests.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]] : ['default'],
  },
});
