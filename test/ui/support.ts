import type { Fleet } from '../../sim/fleet/fleet.ts';
import { PRESETS } from '../../sim/fleet/presets/index.ts';
import { type Profile, profile } from '../../sim/profile.ts';
import { simulate } from '../../sim/simulate.ts';
import type { RunSummary } from '../../sim/summary.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';

/*
 * Shared by the UI tests: a recorded run of a preset, and driving an Ink app the way a
 * keyboard does (one key at a time, letting Ink read each one).
 */

export interface Recorded {
  readonly fleet: Fleet;
  readonly profile: Profile;
  readonly seed: number;
  readonly records: TraceRecord[];
  readonly summary: RunSummary;
}

export function record(
  preset: string,
  seed = 1,
  profileName: 'faithful' | 'intent' = 'faithful',
): Recorded {
  const fleet = (PRESETS[preset] as NonNullable<(typeof PRESETS)[string]>).build();
  const p = profile(profileName);
  const records: TraceRecord[] = [];
  const { summary } = simulate({ fleet, profile: p, seed, sink: (r) => records.push(r) });
  return { fleet, profile: p, seed, records, summary };
}

export const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  tab: '\t',
  shiftTab: '\u001B[Z',
  enter: '\r',
  escape: '\u001B',
  backspace: '\u007F',
  home: '\u001B[H',
  end: '\u001B[F',
  ctrlC: '\u0003',
} as const;

export const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Stdin {
  write(data: string): void;
}

/** Types keys one at a time, giving Ink a moment to read and React to render each. */
export async function press(stdin: Stdin, ...keys: string[]): Promise<void> {
  for (const key of keys) {
    stdin.write(key);
    // A lone ESC is only known to be one after Ink's escape timeout.
    await tick(key === KEY.escape ? 60 : 15);
  }
}

/** Waits until the frame satisfies `check` (or fails with the last frame). */
export async function waitFor(
  frame: () => string | undefined,
  check: (text: string) => boolean,
  timeoutMs = 5000,
): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const text = frame() ?? '';
    if (check(text)) return text;
    if (Date.now() > until) throw new Error(`timed out waiting; last frame:\n${text}`);
    await tick(10);
  }
}

/** The frame's lines, trailing spaces removed. */
export const lines = (frame: string): string[] => frame.split('\n').map((l) => l.trimEnd());
