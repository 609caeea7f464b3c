import { closeSync, fstatSync, readSync } from 'node:fs';
import { InputError } from '../errors.ts';
import { fsProblem } from '../files/fs-problem.ts';
import { openInput, readProblem } from '../files/open-input.ts';
import { isNotUtf8, type Line, Utf8Lines } from '../files/utf8-lines.ts';

/**
 * The longest line read: below V8's string limit (2^29 − 24 characters on 64-bit), with
 * room for a million-host trace's header (about 215 M characters).
 */
export const MAX_LINE_CHARS = 500 * 2 ** 20;

/**
 * Reads a file line by line, synchronously, a chunk at a time: the simulator is
 * synchronous, and `replay --verify` compares each line it produces with the next line
 * of the file without holding either in memory.
 */
export class LineReader {
  private readonly fd: number;
  private readonly chunk = Buffer.alloc(1 << 16);
  private readonly splitter: Utf8Lines;
  private lines: Line[] = [];
  private index = 0;
  private done = false;
  /** 1-based number of the last line returned. */
  lineNumber = 0;

  /**
   * Opens `path`; a missing, unreadable or directory path is an InputError in words, and
   * so is a FIFO, a socket or a block device (`openInput`).
   */
  constructor(
    private readonly path: string,
    private readonly maxChars = MAX_LINE_CHARS,
  ) {
    this.splitter = new Utf8Lines(maxChars);
    const opened = openInput(path);
    if (!opened.ok) throw new InputError(readProblem(path, opened));
    this.fd = opened.fd;
    // Linux opens a directory for reading without complaint; only the read would fail.
    if (fstatSync(this.fd).isDirectory()) {
      closeSync(this.fd);
      throw new InputError(`${path}: cannot read: is a directory, not a file`);
    }
  }

  next(): string | null {
    while (this.index >= this.lines.length) {
      if (this.done) return null;
      let n: number;
      try {
        n = readSync(this.fd, this.chunk, 0, this.chunk.length, null);
      } catch (error) {
        throw new InputError(
          `${this.path}:${this.lineNumber + 1}: cannot read: ${fsProblem(error)}`,
        );
      }
      this.lines = [];
      this.index = 0;
      if (n === 0) {
        this.done = true;
        this.splitter.end(this.lines);
      } else this.splitter.push(this.chunk.subarray(0, n), this.lines);
    }
    this.lineNumber++;
    const line = this.lines[this.index++] as Line;
    if (isNotUtf8(line)) throw new InputError(`${this.path}:${this.lineNumber}: ${line.notUtf8}`);
    if (line === null)
      throw new InputError(
        `${this.path}:${this.lineNumber}: a line longer than ${Math.round(this.maxChars / 2 ** 20)} M characters: not a JSON Lines file`,
      );
    return line;
  }

  close(): void {
    closeSync(this.fd);
  }
}
