import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql ships CJS and ESM builds; Node-loaded dependencies (Yoga, Pothos) get the CJS one,
    // so our code must too, or instanceof checks fail across the two copies
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}'],
    globalSetup: ['test/support/global-setup.ts'],
    // generous bounds: tests wait on conditions, and a shared 2-core machine can be slow to meet them;
    // a real hang still fails, a slow pass no longer does
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // expect.poll's own default (1 s) fails a browser assertion that a loaded machine meets in 3
    expect: { poll: { timeout: 15_000, interval: 100 } },
    pool: 'forks',
    // 2 cores: two files at a time keeps PGlite start-up from starving the timers under test
    maxWorkers: 2,
  },
});
