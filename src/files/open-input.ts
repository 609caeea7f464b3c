import { closeSync, constants, fstatSync, openSync, type Stats, statSync } from 'node:fs';
import { fsProblem } from './fs-problem.ts';

/*
 * Every input file the CLI reads is opened here. Opening a FIFO for reading waits for a
 * writer, so `run --fleet p` on a FIFO nobody writes hung with nothing said; a socket
 * cannot be opened at all. Only regular files, directories (refused by the readers in
 * their own words) and character devices (`/dev/null`, `/dev/zero`, a terminal) are
 * opened; anything else is refused by its kind, before it is opened.
 */

/** The `code` of a file refused for its kind: its problem is a whole sentence. */
export const NOT_REGULAR = 'NOT_REGULAR';
/** A file that was read but is not UTF-8, with `at` its `line:column`. */
export const NOT_UTF8 = 'NOT_UTF8';

export type Opened =
  | { readonly ok: true; readonly fd: number }
  | { readonly ok: false; readonly problem: string; readonly code?: string };

/** "a FIFO" when the file is of a kind no input may be, else null. */
function refusedKind(stat: Stats): string | null {
  if (stat.isFile() || stat.isDirectory() || stat.isCharacterDevice()) return null;
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  if (stat.isBlockDevice()) return 'a block device';
  return 'not a file';
}

function failed(error: unknown): Opened {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return { ok: false, problem: fsProblem(error), ...(code === undefined ? {} : { code }) };
}

function refused(kind: string): Opened {
  return { ok: false, problem: `not a regular file (${kind})`, code: NOT_REGULAR };
}

/** Opens `path` for reading unless it is a FIFO, a socket or a block device. */
export function openInput(path: string): Opened {
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch (error) {
    return failed(error);
  }
  const kind = refusedKind(stat);
  if (kind !== null) return refused(kind);
  // Not blocking where it changes nothing (files, directories): a FIFO put in the file's
  // place since the stat is then opened at once, and refused below, instead of waited on.
  // A character device keeps blocking reads (a terminal would otherwise report EAGAIN).
  const flags = stat.isCharacterDevice()
    ? constants.O_RDONLY
    : constants.O_RDONLY | constants.O_NONBLOCK;
  let fd: number;
  try {
    fd = openSync(path, flags);
  } catch (error) {
    return failed(error);
  }
  try {
    const now = refusedKind(fstatSync(fd));
    if (now === null) return { ok: true, fd };
    closeSync(fd);
    return refused(now);
  } catch (error) {
    closeSync(fd);
    return failed(error);
  }
}

/**
 * `path: cannot read: …` for a read that failed, or `path: not a regular file (a FIFO)`
 * for a file refused for its kind, which says all there is to say.
 */
export function readProblem(
  path: string,
  failure: { readonly problem: string; readonly code?: string; readonly at?: string },
  cannot = 'cannot read',
): string {
  if (failure.code === NOT_UTF8)
    return `${path}${failure.at === undefined ? '' : `:${failure.at}`}: ${failure.problem}`;
  return failure.code === NOT_REGULAR
    ? `${path}: ${failure.problem}`
    : `${path}: ${cannot}: ${failure.problem}`;
}
