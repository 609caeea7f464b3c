import type { RunnerTestCase, RunnerTestFile } from 'vitest';
import type { Reporter, Vitest } from 'vitest/node';

/*
 * A vitest reporter for mutation runs only (vitest.stryker.config.ts).
 *
 * StrykerJS's vitest runner (9.6.1, and 10.x too: stryker-js#6150) builds a mutant's
 * result from the test cases vitest collected. A static mutant that makes a module throw
 * while it is imported (a misspelt action name in a machine definition, which the compiled
 * step refuses at load time) leaves every test file that imports it failed with *no* test
 * cases, so Stryker sees no failing test and scores the mutant Survived although the
 * suite fails. This reporter gives each such file one failed test case carrying the
 * file's load error, so the mutant is scored Killed, as a failing `vitest run` would be.
 * Files that loaded are left alone, whatever their tests did.
 */

/** The name of the stand-in test case, so a report says what killed the mutant. */
export const LOAD_FAILURE_TEST = 'test file failed to load';

/** Add a failed stand-in test case to a file that failed before collecting any test. */
export function markUnloadableFile(file: RunnerTestFile): boolean {
  if (file.result?.state !== 'fail' || file.tasks.length > 0) return false;
  const stand: Partial<RunnerTestCase> = {
    type: 'test',
    id: `${file.id}_load`,
    name: LOAD_FAILURE_TEST,
    mode: 'run',
    file,
    suite: file,
    meta: {},
    annotations: [],
    artifacts: [],
    result: { state: 'fail', errors: file.result.errors ?? [] },
  };
  file.tasks.push(stand as RunnerTestCase);
  return true;
}

export default class UnloadableFilesAsFailedTests implements Reporter {
  private vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  /** Awaited by vitest before `start()` returns, so before Stryker reads the files. */
  onTestRunEnd(): void {
    for (const file of this.vitest?.state.getFiles() ?? []) markUnloadableFile(file);
  }
}
