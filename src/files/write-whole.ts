import { closeSync, fstatSync, openSync, unlinkSync, writeSync } from 'node:fs';

/*
 * A file the CLI writes is written whole or not at all. `writeSync` with a string may
 * write only part of it and say so in its return value, not as an error: past a file-size
 * limit (`ulimit -f`) a trace was cut at 8 KB and explore printed a replay command for it.
 */

/** Writes all of `text` to `fd`, or throws the error that stopped it (EFBIG, ENOSPC). */
export function writeAll(fd: number, text: string): void {
  const data = Buffer.from(text);
  let at = 0;
  while (at < data.length) {
    const n = writeSync(fd, data, at, data.length - at);
    // A write of nothing would loop for ever; the next one reports why.
    if (n === 0) writeSync(fd, data, at, data.length - at);
    at += n;
  }
}

/**
 * Writes `text` to `path` whole; on an error the partial file is removed (a regular file
 * only: a device or a pipe is not ours to delete) and the error thrown on.
 */
export function writeWhole(path: string, text: string): void {
  const fd = openSync(path, 'w');
  try {
    writeAll(fd, text);
    closeSync(fd);
  } catch (error) {
    let regular = false;
    try {
      regular = fstatSync(fd).isFile();
      closeSync(fd);
    } catch {
      // Closed already, or gone: nothing more to undo.
    }
    if (regular) {
      try {
        unlinkSync(path);
      } catch {
        // Not ours to remove after all; the error still says what went wrong.
      }
    }
    throw error;
  }
}
