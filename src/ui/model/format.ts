/** Simulated time since the run's start: `12:05.250` under an hour, `3:12:05` above. */
export function clock(ms: number): string {
  const total = Math.max(0, ms);
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor((total % 3_600_000) / 60_000);
  const s = Math.floor((total % 60_000) / 1000);
  const frac = Math.floor(total % 1000);
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  if (h > 0) return `${h}:${mm}:${ss}`;
  return `${mm}:${ss}.${String(frac).padStart(3, '0')}`;
}

/** A wall-clock duration in seconds: `4.2s`, `3m05s`. */
export function wall(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const m = Math.floor(seconds / 60);
  return `${m}m${String(Math.floor(seconds % 60)).padStart(2, '0')}s`;
}

/** `1,234`. */
export const count = (n: number): string => n.toLocaleString('en-US');

/** Cuts text to a width, with an ellipsis when it had to. */
export function clip(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}
