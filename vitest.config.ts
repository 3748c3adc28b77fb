import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Lab tests share one lab ("test"); it is built once and torn down at the end.
    globalSetup: ['test/lab-global-setup.ts'],
    // Every test process works on the test lab, never on a user's default lab.
    env: { DROPKIT_LAB: 'test' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: lab tests running iperf3 must not compete with each other.
    fileParallelism: false,
  },
});
