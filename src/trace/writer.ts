import { closeSync, fstatSync, openSync, unlinkSync } from 'node:fs';
import type { Unfinished } from '../../sim/stall/stall.ts';
import type { RunSummary } from '../../sim/summary.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';
import { RUN_START } from '../../sim/world.ts';
import { InputError } from '../errors.ts';
import { fsProblem, outputProblem } from '../files/fs-problem.ts';
import { writeAll } from '../files/write-whole.ts';
import { encodeHeader, encodeRecord, type TraceHeader } from './format.ts';

const FLUSH_AT = 1 << 20;

export interface TraceWriterOptions {
  /** The command's input files: the trace must not overwrite one of them. */
  readonly inputs?: readonly { readonly flag: string; readonly path: string }[];
}

/**
 * Streams a trace to a file as the run produces it: lines are buffered up to about a
 * megabyte and then written, so memory does not grow with the length of the run.
 *
 * Nothing is left half-written: a run that stops early ends the file with an `end`
 * record saying `interrupted` or `error` (`finishEarly`), and a file that cannot be
 * written to the end (a full device, say) is removed (`discard`).
 */
export class TraceWriter {
  private fd: number | null;
  private buffer: string[] = [];
  private size = 0;
  private ended = false;
  /**
   * Only a regular file is ever removed: a device (`/dev/full`, `/dev/stdout`) or a pipe
   * given as the trace path is not ours to delete.
   */
  private readonly removable: boolean;
  /** Whether `discard` did remove the file (a file in /proc, say, cannot be). */
  private removed = false;

  constructor(
    private readonly path: string,
    header: TraceHeader,
    options: TraceWriterOptions = {},
  ) {
    const problem = outputProblem(path, options.inputs ?? []);
    if (problem !== null) throw new InputError(`${path}: cannot write the trace: ${problem}`);
    try {
      this.fd = openSync(path, 'w');
    } catch (error) {
      throw new InputError(`${path}: cannot write the trace: ${fsProblem(error)}`);
    }
    this.removable = fstatSync(this.fd).isFile();
    this.line(JSON.stringify(encodeHeader(header)));
  }

  readonly record = (r: TraceRecord): void => {
    if (r.type === 'end') this.ended = true;
    this.line(JSON.stringify(encodeRecord(r)));
  };

  /** Whether the simulation's own `end` record has been written. */
  get complete(): boolean {
    return this.ended;
  }

  private line(text: string): void {
    this.buffer.push(text);
    this.size += text.length + 1;
    if (this.size >= FLUSH_AT) this.flush();
  }

  private flush(): void {
    if (this.buffer.length === 0 || this.fd === null) return;
    const text = `${this.buffer.join('\n')}\n`;
    this.buffer = [];
    this.size = 0;
    try {
      writeAll(this.fd, text);
    } catch (error) {
      this.discard();
      throw new InputError(
        `${this.path}: cannot write the trace: ${fsProblem(error)}${this.removal}`,
      );
    }
  }

  /**
   * End a run that did not finish: the summary so far, marked `interrupted` or `error`,
   * becomes the last record, so the file stays a complete, readable trace.
   */
  finishEarly(how: Unfinished, summary: RunSummary): void {
    if (this.fd === null || this.ended) return;
    this.ended = true;
    const t = RUN_START + summary.simSeconds * 1000;
    this.line(
      JSON.stringify(encodeRecord({ type: 'end', t, summary: { ...summary, ended: how } })),
    );
    this.close();
  }

  /** What `discard` did, for the error message. */
  private get removal(): string {
    return this.removed ? '; the partial file was removed' : '';
  }

  /** Close and delete the file (a regular file only): used when it could not be written to its end. */
  discard(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    this.buffer = [];
    try {
      closeSync(fd);
    } catch {
      // The file is being removed anyway.
    }
    if (!this.removable) return;
    try {
      unlinkSync(this.path);
      this.removed = true;
    } catch {
      // Already gone, or not ours to remove: the message says nothing was removed.
    }
  }

  close(): void {
    this.flush();
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      closeSync(fd);
    } catch (error) {
      this.fd = fd;
      this.discard();
      throw new InputError(
        `${this.path}: cannot write the trace: ${fsProblem(error)}${this.removal}`,
      );
    }
  }
}
