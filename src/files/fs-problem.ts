import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../errors.ts';

/*
 * What a file-system error means, in words: every file the CLI reads or writes reports
 * its failure through here, so "ENOSPC" reaches the user as "the device is full".
 */

const WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOSPC: 'the device is full',
  EDQUOT: 'the disk quota is exceeded',
  EROFS: 'the file system is read-only',
  EFBIG: 'the file is too large',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EIO: 'an input/output error',
  ENAMETOOLONG: 'the file name is too long',
  ELOOP: 'too many symbolic links',
  EBUSY: 'the file is busy',
  ETXTBSY: 'the file is busy',
};

/** "the device is full (ENOSPC)", or the first line of the message for anything else. */
export function fsProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const words = code === undefined ? undefined : WORDS[code];
  if (words !== undefined) return `${words} (${code})`;
  return String((error as Error | undefined)?.message ?? error).split('\n')[0] ?? 'unknown error';
}

/** Device and inode, so two spellings of one file compare equal; null when it does not exist. */
function identity(path: string): string | null {
  try {
    const s = statSync(path);
    return `${s.dev}:${s.ino}`;
  } catch {
    return null;
  }
}

/**
 * Before an output is opened (and truncated): an existing directory, or a file that is
 * also one of the command's inputs, is refused. Returns the problem in words, or null.
 */
export function outputProblem(
  path: string,
  inputs: readonly { readonly flag: string; readonly path: string }[],
): string | null {
  // Many tools read `-` as standard output; written here it was a file called `-`.
  if (path === '-')
    return 'standard output is not written to here: name a file (./- for one called -)';
  try {
    if (statSync(path).isDirectory()) return 'is a directory, not a file';
  } catch {
    // Not there yet: opening it says whether it can be created.
  }
  const out = identity(path);
  for (const input of inputs) {
    const same =
      out !== null ? identity(input.path) === out : resolve(input.path) === resolve(path);
    if (same) return `is also the input of ${input.flag}: writing it would destroy that input`;
  }
  return null;
}

/**
 * A directory that outputs will be written into (`--out`), checked before the work that
 * fills it: a counterexample found after an hour must not be lost to a mistyped path.
 */
export function requireOutputDir(flag: string, dir: string): void {
  let problem: string | null = null;
  try {
    if (!statSync(dir).isDirectory()) problem = 'is not a directory';
    else accessSync(dir, constants.W_OK);
  } catch (error) {
    problem = fsProblem(error);
  }
  if (problem !== null) throw new InputError(`${flag} ${dir}: ${problem}`);
}

/**
 * `outputProblem` as an input error, for a command that writes its output after a long
 * read: checked first, so that a mistyped output path costs nothing and destroys nothing.
 */
export function requireOutput(
  path: string,
  what: string,
  inputs: readonly { readonly flag: string; readonly path: string }[],
): void {
  const problem = outputProblem(path, inputs);
  if (problem !== null) throw new InputError(`${path}: cannot write ${what}: ${problem}`);
}
