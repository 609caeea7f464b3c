import type { RunnerTestFile } from 'vitest';
import { describe, expect, it } from 'vitest';
import { LOAD_FAILURE_TEST, markUnloadableFile } from './unloadable-files.ts';

/* The mutation-run reporter's one transform (see unloadable-files.ts). */

function file(fields: Partial<RunnerTestFile>): RunnerTestFile {
  return {
    type: 'suite',
    id: 'f1',
    name: 'a.test.ts',
    mode: 'run',
    tasks: [],
    meta: {},
    ...fields,
  } as RunnerTestFile;
}

describe('markUnloadableFile', () => {
  it('gives a file that failed with no test cases one failed test carrying its load error', () => {
    const error = { message: 'machine names action "" that has no implementation' };
    const f = file({ result: { state: 'fail', errors: [error] } });
    expect(markUnloadableFile(f)).toBe(true);
    expect(f.tasks).toHaveLength(1);
    const [test] = f.tasks;
    expect(test).toMatchObject({
      type: 'test',
      name: LOAD_FAILURE_TEST,
      mode: 'run',
      file: f,
      suite: f,
    });
    expect(test?.result).toEqual({ state: 'fail', errors: [error] });
  });

  it('leaves alone a file that loaded, whether its tests passed or failed', () => {
    const loadedTest = { type: 'test', name: 't', result: { state: 'fail' } } as never;
    const failing = file({ result: { state: 'fail' }, tasks: [loadedTest] });
    expect(markUnloadableFile(failing)).toBe(false);
    expect(failing.tasks).toEqual([loadedTest]);
    const passing = file({ result: { state: 'pass' } });
    expect(markUnloadableFile(passing)).toBe(false);
    expect(passing.tasks).toEqual([]);
  });
});
