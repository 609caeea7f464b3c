import { defineConfig } from 'vitest/config';
import UnloadableFilesAsFailedTests from './test/mutation/unloadable-files.ts';

/*
 * The test set StrykerJS runs against each mutant (`npm run mutation`): only the suites
 * that exercise `machines/` and the planner's gates, so a run fits in minutes on 2 cores.
 * `npm test` uses vitest.config.ts and never runs Stryker.
 *
 * With STRYKER_PLANNER=1 (see stryker.config.mjs) the simulator suites and the property
 * checks join, for the control plane's planning section.
 *
 * The reporter turns a test file that fails to load into a failed test, so a mutant that
 * breaks a module at import time counts as killed (see test/mutation/unloadable-files.ts).
 */
export default defineConfig({
  test: {
    include: [
      'test/machines/**/*.test.ts',
      'test/sim/gates*.test.ts',
      'test/codec/**/*.test.ts',
      // The property checks run every invariant over the presets and generated fleets:
      // they are what notices a planner that advances the cursor too early.
      ...(process.env.STRYKER_PLANNER === '1'
        ? ['test/sim/**/*.test.ts', 'test/check/**/*.test.ts']
        : []),
    ],
    testTimeout: 60_000,
    reporters: [new UnloadableFilesAsFailedTests()],
  },
});
