import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { InputError } from '../errors.ts';
import { fsProblem } from '../files/fs-problem.ts';

/**
 * Reads a file line by line, synchronously, a chunk at a time: the simulator is
 * synchronous, and `replay --verify` compares each line it produces with the next line
 * of the file without holding either in memory.
 */
export class LineReader {
  private readonly fd: number;
  private readonly chunk = Buffer.alloc(1 << 16);
  /** Keeps a character whose bytes straddle two chunks whole. */
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private lines: string[] = [];
  private index = 0;
  private done = false;
  /** 1-based number of the last line returned. */
  lineNumber = 0;

  /** Opens `path`; a missing, unreadable or directory path is an InputError in words. */
  constructor(private readonly path: string) {
    try {
      this.fd = openSync(path, 'r');
    } catch (error) {
      throw new InputError(`${path}: cannot read: ${fsProblem(error)}`);
    }
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
      if (n === 0) {
        this.done = true;
        const rest = this.pending + this.decoder.end();
        this.lines = rest === '' ? [] : [rest];
        this.pending = '';
      } else {
        const text = this.pending + this.decoder.write(this.chunk.subarray(0, n));
        const parts = text.split('\n');
        this.pending = parts.pop() ?? '';
        this.lines = parts;
      }
      this.index = 0;
    }
    this.lineNumber++;
    return this.lines[this.index++] as string;
  }

  close(): void {
    closeSync(this.fd);
  }
}
