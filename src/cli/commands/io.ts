import { fstatSync } from 'node:fs';
import { InputError } from '../../errors.ts';
import { fsProblem } from '../../files/fs-problem.ts';
import { writeAll } from '../../files/write-whole.ts';

/*
 * Node writes standard output to a regular file with one `write` a chunk and drops
 * whatever a short write left over: past a file-size limit `diagram > d.svg` ended with
 * status 0 and the file cut off. To a file, every byte is written or the error said.
 */
const toFile = (() => {
  try {
    return fstatSync(1).isFile();
  } catch {
    return false;
  }
})();

/** Standard output, whole. */
export function writeOut(text: string): void {
  if (!toFile) {
    process.stdout.write(text);
    return;
  }
  try {
    writeAll(1, text);
  } catch (error) {
    throw new InputError(`cannot write standard output: ${fsProblem(error)}`);
  }
}

/** Standard output, a line at a time. */
export const print = (line: string): void => writeOut(`${line}\n`);

/** For repeatable options: `--set a=1 --set b=2`. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];
