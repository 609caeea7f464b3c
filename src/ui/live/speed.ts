/*
 * Playback speeds: virtual milliseconds per wall millisecond. ×1 is real time; `max`
 * runs the simulation as fast as the time slices allow.
 */
export const SPEEDS = [
  1,
  2,
  5,
  10,
  20,
  50,
  100,
  200,
  500,
  1000,
  2000,
  5000,
  10_000,
  Infinity,
] as const;

/** The demo's soak is minutes long: ×10 shows a wave's soak in half a minute. */
export const DEFAULT_SPEED_INDEX = SPEEDS.indexOf(10);

export function speedLabel(index: number): string {
  const s = SPEEDS[index] ?? 1;
  return s === Infinity ? 'max' : `×${s.toLocaleString('en-US')}`;
}

export function faster(index: number): number {
  return Math.min(SPEEDS.length - 1, index + 1);
}

export function slower(index: number): number {
  return Math.max(0, index - 1);
}

/** The widest label, for the header's fixed column. */
export const SPEED_LABEL_WIDTH = Math.max(...SPEEDS.map((_, i) => speedLabel(i).length));
