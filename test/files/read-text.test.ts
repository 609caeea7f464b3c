import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { NOT_REGULAR, openInput, readProblem } from '../../src/files/open-input.ts';
import { readTextFile } from '../../src/files/read-text.ts';
import { LineReader } from '../../src/trace/line-reader.ts';

const dir = mkdtempSync(join(tmpdir(), 'rollout-sim-read-text-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readTextFile', () => {
  test('reads a file whole as UTF-8, up to and including the limit', () => {
    const path = join(dir, 'ok.txt');
    writeFileSync(path, 'héllo\n');
    expect(readTextFile(path, 7)).toEqual({ ok: true, text: 'héllo\n' });
  });

  test('a regular file over the limit is refused by its size', () => {
    const path = join(dir, 'big.txt');
    writeFileSync(path, 'x'.repeat(2048));
    expect(readTextFile(path, 2047)).toEqual({
      ok: false,
      problem: 'larger than 2047 bytes, the most this file may hold',
    });
  });

  test.runIf(existsSync('/dev/zero'))('a device with no end is read only up to the limit', () => {
    expect(readTextFile('/dev/zero', 3 * 2 ** 20)).toEqual({
      ok: false,
      problem: 'larger than 3 MB, the most this file may hold',
    });
  });

  test('missing and directory paths say so in words, with the code', () => {
    expect(readTextFile(join(dir, 'none'))).toEqual({
      ok: false,
      problem: 'no such file or directory (ENOENT)',
      code: 'ENOENT',
    });
    expect(readTextFile(dir)).toEqual({ ok: false, problem: 'is a directory', code: 'EISDIR' });
  });
});

describe('openInput: what kinds of file an input may be', () => {
  const fifo = join(dir, 'fifo');
  let haveFifo = true;
  try {
    execFileSync('mkfifo', [fifo]);
  } catch {
    haveFifo = false;
  }

  test.runIf(haveFifo)('a FIFO is refused before it is opened (opening it would wait)', () => {
    const refused = { ok: false, problem: 'not a regular file (a FIFO)', code: NOT_REGULAR };
    expect(openInput(fifo)).toEqual(refused);
    expect(readTextFile(fifo)).toEqual(refused);
    expect(() => new LineReader(fifo)).toThrow(`${fifo}: not a regular file (a FIFO)`);
  });

  test('a refused kind is the whole problem; a failed read says it could not read', () => {
    expect(readProblem('p', { problem: 'not a regular file (a FIFO)', code: NOT_REGULAR })).toBe(
      'p: not a regular file (a FIFO)',
    );
    expect(readProblem('p', { problem: 'permission denied (EACCES)', code: 'EACCES' })).toBe(
      'p: cannot read: permission denied (EACCES)',
    );
  });

  test.runIf(existsSync('/dev/null'))(
    'a character device is read as it was: /dev/null is empty',
    () => {
      expect(readTextFile('/dev/null')).toEqual({ ok: true, text: '' });
    },
  );
});
