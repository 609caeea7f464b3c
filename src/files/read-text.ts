import { isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, readSync } from 'node:fs';
import { fsProblem } from './fs-problem.ts';
import { NOT_UTF8, openInput } from './open-input.ts';
import { firstNonUtf8, gzipAt, lineColumnOf, nonUtf8Problem } from './utf8.ts';

export type TextRead =
  | { readonly ok: true; readonly text: string }
  | {
      readonly ok: false;
      readonly problem: string;
      readonly code?: string;
      /** `line:column` of a NOT_UTF8 problem. */
      readonly at?: string;
    };

const MB = 2 ** 20;
/** Below V8's longest string (2^29 − 24 characters), so the text always fits in one. */
export const MAX_TEXT_BYTES = 511 * MB;

/**
 * A whole file as UTF-8 text, read at most `maxBytes` far. `readFileSync` trusts the size
 * a stat gives, and a device or a pipe has none: `/dev/zero` given as a fleet or a report
 * was read forever. A regular file over the limit is refused before a byte is read; a FIFO,
 * a socket or a block device is refused before it is opened (`openInput`).
 */
export function readTextFile(path: string, maxBytes = MAX_TEXT_BYTES): TextRead {
  const opened = openInput(path);
  if (!opened.ok) return opened;
  const fd = opened.fd;
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return { ok: false, problem: 'is a directory', code: 'EISDIR' };
    if (stat.isFile() && stat.size > maxBytes) return tooLarge(maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) return tooLarge(maxBytes);
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    }
    const bytes = Buffer.concat(chunks, total);
    if (!isUtf8(bytes)) {
      const bad = firstNonUtf8(bytes);
      const problem = nonUtf8Problem(bytes, bad, true);
      if (gzipAt(bytes, bad)) return { ok: false, problem, code: NOT_UTF8 };
      const { line, column } = lineColumnOf(bytes, bad);
      return { ok: false, problem, code: NOT_UTF8, at: `${line}:${column}` };
    }
    return { ok: true, text: bytes.toString('utf8') };
  } catch (error) {
    return failed(error);
  } finally {
    closeSync(fd);
  }
}

function failed(error: unknown): TextRead {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return { ok: false, problem: fsProblem(error), ...(code === undefined ? {} : { code }) };
}

function tooLarge(maxBytes: number): TextRead {
  return {
    ok: false,
    problem: `larger than ${maxBytes >= MB ? `${Math.floor(maxBytes / MB)} MB` : `${maxBytes} bytes`}, the most this file may hold`,
  };
}
