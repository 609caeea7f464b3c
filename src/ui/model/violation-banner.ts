/*
 * `check --open`: which invariant the counterexample breaks, said on the replay screen
 * from its first frame (the summary only prints once the screen is closed), and where.
 */

export interface Violation {
  /** The invariant's id, e.g. `rollout.no-skip`. */
  readonly invariant: string;
  readonly message: string;
  /** Index of the record that broke it, when known. */
  readonly index?: number;
}

/**
 * The banner at a replay position (records applied): the invariant and where it broke
 * first, the message after them, so a narrow screen cuts the message rather than the
 * name. Positions are counted as the header counts them: the record at index i is
 * `record i+1`.
 */
export function violationBanner(v: Violation, position: number): string {
  if (v.index === undefined) return `✗ ${v.invariant} violated: ${v.message}`;
  const at = v.index + 1;
  const where =
    position === at
      ? 'the newest on screen'
      : `${position < at ? 'ahead' : 'behind'}; g/G go there`;
  return `✗ ${v.invariant} violated at record ${at} (${where}): ${v.message}`;
}

/** The banner in at most two lines of `width`, broken between words (the rest is cut). */
export function bannerLines(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.length <= 2 ? lines : [lines[0] as string, lines.slice(1).join(' ')];
}
