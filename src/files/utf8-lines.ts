import { isUtf8 } from 'node:buffer';
import { LineSplitter } from './line-splitter.ts';
import { firstNonUtf8, nonUtf8Problem, wholeCharacters } from './utf8.ts';

/** A line whose bytes are not UTF-8, in place of its text. */
export interface NotUtf8Line {
  readonly notUtf8: string;
}

export type Line = string | null | NotUtf8Line;

export const isNotUtf8 = (line: Line): line is NotUtf8Line =>
  typeof line === 'object' && line !== null;

/**
 * Cuts a byte stream into lines as `LineSplitter` cuts text (`null`: a line too long),
 * and a line that is not UTF-8 into a `NotUtf8Line`, so that a reader can name it at its
 * line and read on. Lines end at byte 0x0A, which no multi-byte character holds, so a
 * bad line is cut out without decoding its neighbours otherwise.
 */
export class Utf8Lines {
  private readonly text: LineSplitter;
  /** The start of a character the last chunk cut short. */
  private carry: Buffer = Buffer.alloc(0);
  /** Inside a line already reported as not UTF-8: drop bytes up to its end. */
  private skipping = false;
  /** No byte has been pushed yet: the next is the stream's first. */
  private atStart = true;

  constructor(maxChars: number) {
    this.text = new LineSplitter(maxChars);
  }

  /** Appends to `out` the lines `chunk` completes, in order. `chunk` may be reused after. */
  push(chunk: Buffer, out: Line[]): void {
    let data = this.carry.length === 0 ? chunk : Buffer.concat([this.carry, chunk]);
    this.carry = Buffer.alloc(0);
    let fileStart = this.atStart;
    if (data.length > 0) this.atStart = false;
    for (;;) {
      if (this.skipping) {
        const nl = data.indexOf(10);
        if (nl < 0) return;
        this.skipping = false;
        data = data.subarray(nl + 1);
      }
      const whole = data.subarray(0, wholeCharacters(data));
      if (isUtf8(whole)) {
        this.text.push(whole.toString('utf8'), out);
        // Copied: the caller's buffer is read into again.
        this.carry = Buffer.from(data.subarray(whole.length));
        return;
      }
      const bad = firstNonUtf8(whole);
      const lineStart = whole.lastIndexOf(10, bad) + 1;
      this.text.push(whole.subarray(0, lineStart).toString('utf8'), out);
      const problem = nonUtf8Problem(whole, bad, fileStart);
      fileStart = false;
      if (!this.text.discard()) out.push({ notUtf8: problem });
      const nl = data.indexOf(10, bad);
      if (nl < 0) {
        this.skipping = true;
        return;
      }
      data = data.subarray(nl + 1);
    }
  }

  /** The last line, when the stream does not end with a line break. */
  end(out: Line[]): void {
    if (this.carry.length > 0 && !this.skipping) {
      // A character cut short by the end of the stream.
      const reported = this.text.discard();
      if (!reported) out.push({ notUtf8: nonUtf8Problem(this.carry, this.carry.length) });
    } else if (!this.skipping) this.text.end(out);
    this.carry = Buffer.alloc(0);
    this.skipping = false;
  }
}
