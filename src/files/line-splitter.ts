/**
 * Cuts streamed text into lines at `\n` (a `\r` before it is the line's, as Rust's
 * `BufRead::lines` has it), holding at most `maxChars` of one line: a line that grows past
 * that comes out as `null` at once and the rest of it is skipped as it streams. Without
 * the cap a file with no line break (a binary file, `/dev/zero`) is read into one string
 * until the heap or V8's string limit gives out, or forever.
 *
 * Each chunk is searched once: re-splitting a growing partial line at every chunk made
 * a 20 MB trace header cost quadratic time.
 */
/** Where lines go: an array, or one of wider lines (`Utf8Lines`). */
export interface LineSink {
  push(line: string | null): unknown;
}

export class LineSplitter {
  private pieces: string[] = [];
  private length = 0;
  /** Inside a line already reported as too long: drop text up to its end. */
  private skipping = false;

  constructor(private readonly maxChars: number) {}

  /** Appends to `out` the lines `text` completes, in order. */
  push(text: string, out: LineSink): void {
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      if (this.skipping) this.skipping = false;
      else if (this.length + nl - from > this.maxChars) out.push(null);
      else {
        const piece = text.slice(from, nl);
        out.push(this.length === 0 ? piece : this.pieces.join('') + piece);
      }
      this.pieces = [];
      this.length = 0;
      from = nl + 1;
    }
    if (from === text.length || this.skipping) return;
    const rest = from === 0 ? text : text.slice(from);
    this.length += rest.length;
    if (this.length > this.maxChars) {
      out.push(null);
      this.skipping = true;
      this.pieces = [];
      this.length = 0;
    } else this.pieces.push(rest);
  }

  /** The last line, when the text does not end with a line break. */
  end(out: LineSink): void {
    if (!this.skipping && this.length > 0) out.push(this.pieces.join(''));
    this.pieces = [];
    this.length = 0;
    this.skipping = false;
  }

  /**
   * Drops the line being read (its start came in earlier text); returns whether it had
   * already come out as too long, so that it is not reported twice.
   */
  discard(): boolean {
    const reported = this.skipping;
    this.pieces = [];
    this.length = 0;
    this.skipping = false;
    return reported;
  }
}

/** The line without the `\r` of a CRLF line break. */
export function withoutCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
