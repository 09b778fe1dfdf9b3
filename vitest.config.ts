import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Several suites spawn child processes or bind real ports; two workers suit a 2-core machine.
    maxWorkers: 2,
    // CI asks for vitest's own JSON report too, to print its counts (see .ci/run).
    ...(process.env['VITEST_JSON_REPORT']
      ? { reporters: ['default', 'json'], outputFile: { json: process.env['VITEST_JSON_REPORT'] } }
      : {}),
  },
});
