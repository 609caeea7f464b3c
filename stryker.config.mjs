// @ts-check
import { readFileSync } from 'node:fs';

/*
 * `npm run mutation`: StrykerJS over machines/ and the planner's gate stack, with the
 * suites of vitest.stryker.config.ts. Reports go to reports/mutation/ (git-ignored);
 * docs/mutation.md records the latest scores and explains every surviving mutant.
 *
 * `STRYKER_PLANNER=1 npm run mutation` also mutates the planning section of the control
 * plane (from "--- manifests and planning" to the next "--- " section marker of
 * control-plane.ts, found afresh on each run since the file keeps changing) and adds the
 * simulator suites (test/sim) to the tests. It is opt-in: those suites are slower, they
 * must all pass for the run to start, and its survivors are not yet all killed or
 * explained (docs/mutation.md).
 */

const planner = process.env.STRYKER_PLANNER === '1';

/** `file:first-last`, the lines strictly between the planning marker and the next one. */
function planningSection() {
  const file = 'sim/control-plane/control-plane.ts';
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((l) => l.includes('// --- manifests and planning'));
  const end = lines.findIndex((l, i) => i > start && l.includes('// --- '));
  if (start < 0 || end < 0) throw new Error(`${file}: planning section markers not found`);
  return `${file}:${start + 2}-${end}`;
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts' },
  mutate: [
    'machines/**/*.ts',
    'sim/control-plane/gates.ts',
    ...(planner ? [planningSection()] : []),
  ],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
