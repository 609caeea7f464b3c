import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    globalSetup: ['test/global-setup.ts'],
    // vitest keeps one core for itself by default, which on CI's two cores means one test
    // file at a time. Its own process is idle while the files run (they are CPU-bound, or
    // wait on the CLI children they spawn), so every core runs a file: 164 s instead of
    // 245-263 s for the whole suite on this 2-core machine.
    maxWorkers: availableParallelism(),
    // The JSON report is what .ci/run counts; CI does not read the console summary.
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
  },
});
