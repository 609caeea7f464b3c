import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    globalSetup: ['test/global-setup.ts'],
    // The JSON report is what .ci/run counts; CI does not read the console summary.
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
  },
});
