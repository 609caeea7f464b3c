import { closeSync, openSync, writeSync } from 'node:fs';
import type { TraceRecord } from '../../sim/trace-record.ts';
import { InputError } from '../errors.ts';
import { encodeHeader, encodeRecord, type TraceHeader } from './format.ts';

const FLUSH_AT = 1 << 20;

/**
 * Streams a trace to a file as the run produces it: lines are buffered up to about a
 * megabyte and then written, so memory does not grow with the length of the run.
 */
export class TraceWriter {
  private readonly fd: number;
  private buffer: string[] = [];
  private size = 0;

  constructor(path: string, header: TraceHeader) {
    try {
      this.fd = openSync(path, 'w');
    } catch (error) {
      throw new InputError(
        `${path}: cannot write the trace: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    this.line(JSON.stringify(encodeHeader(header)));
  }

  readonly record = (r: TraceRecord): void => {
    this.line(JSON.stringify(encodeRecord(r)));
  };

  private line(text: string): void {
    this.buffer.push(text);
    this.size += text.length + 1;
    if (this.size >= FLUSH_AT) this.flush();
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    writeSync(this.fd, `${this.buffer.join('\n')}\n`);
    this.buffer = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
