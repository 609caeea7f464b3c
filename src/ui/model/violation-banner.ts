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
 * The banner line at a replay position (records applied). Positions are counted as the
 * header counts them: the record at index i is `record i+1`.
 */
export function violationBanner(v: Violation, position: number): string {
  const head = `✗ ${v.invariant} violated: ${v.message}`;
  if (v.index === undefined) return head;
  const at = v.index + 1;
  const where =
    position === at
      ? `at record ${at}, the newest on screen`
      : `at record ${at} (${position < at ? 'ahead' : 'behind'}; g/G go there)`;
  return `${head} · ${where}`;
}
