/*
 * How the wave × host grid fits its box: host names when they fit (a 24-host demo),
 * one letter per host when those fit (hundreds of hosts), and one bar per wave with
 * counts otherwise (thousands). Also where the arrow keys move the selection to, which
 * depends on how many hosts a row shows.
 */

export type GridMode = 'names' | 'cells' | 'bars';

export interface GridFit {
  readonly mode: GridMode;
  /** Hosts per screen row (per wave row in bars mode: all of them). */
  readonly cols: number;
  /** Width of one host in names mode. */
  readonly itemWidth: number;
}

/** Columns taken by a wave label (`▸w12 `). */
export const LABEL_WIDTH = 5;

/** Lines the grid's legend wraps to at a width. */
export function legendLines(width: number): number {
  return width >= 120 ? 1 : 2;
}

/** Host states a wave's counts can list in bars mode: the seven, and not joined. */
const BAR_PARTS = 8;

/** Columns of a bars-mode row after its label: the bar, the wave's size, its counts. */
export interface BarColumns {
  readonly bar: number;
  /** Width of the wave's size (` 5,000`). */
  readonly total: number;
  /** Width of the counts (`C 1,504 S 504 A 2,992`); longer counts are cut. */
  readonly counts: number;
}

/**
 * Bars-mode columns from the pane's width and the largest wave alone: the counts in a
 * row change every frame, their room does not, so the bars keep their length. The
 * counts get the room for all eight parts when the bar keeps half the row, else what
 * is left after that half.
 */
export function barColumns(width: number, largestWave: number): BarColumns {
  const digits = largestWave.toLocaleString('en-US').length;
  const total = digits + 1;
  const room = Math.max(0, width - LABEL_WIDTH - 2 - total - 3);
  const all = BAR_PARTS * (digits + 2) + BAR_PARTS - 1;
  const counts = Math.min(all, Math.max(0, room - Math.max(4, Math.ceil(room / 2))));
  return { bar: Math.max(1, room - counts), total, counts };
}

export function fitGrid(
  waves: readonly (readonly number[])[],
  hostNames: readonly string[],
  width: number,
  height: number,
): GridFit {
  const room = Math.max(1, width - LABEL_WIDTH);
  const rowsFor = (cols: number) =>
    waves.reduce((sum, w) => sum + Math.max(1, Math.ceil(w.length / cols)), 0);
  let longest = 0;
  for (const w of waves) for (const h of w) longest = Math.max(longest, hostNames[h]?.length ?? 0);
  const itemWidth = longest + 3; // "C name "
  const nameCols = Math.floor(room / itemWidth);
  if (nameCols > 0 && rowsFor(nameCols) <= height)
    return { mode: 'names', cols: nameCols, itemWidth };
  if (rowsFor(room) <= height) return { mode: 'cells', cols: room, itemWidth: 1 };
  return { mode: 'bars', cols: Number.MAX_SAFE_INTEGER, itemWidth: 1 };
}

export type Direction = 'left' | 'right' | 'up' | 'down';

/**
 * The host selected after an arrow key, given the waves as shown. Left/right walk the
 * hosts in order (across wave boundaries); up/down move a screen row, into the
 * neighbouring wave at its edges, keeping the column.
 */
export function moveSelection(
  waves: readonly (readonly number[])[],
  selected: number | null,
  dir: Direction,
  cols: number,
): number | null {
  const flat = waves.flat();
  if (flat.length === 0) return null;
  let row = waves.findIndex((w) => selected !== null && w.includes(selected));
  if (row < 0) return flat[0] ?? null;
  const wave = waves[row] as readonly number[];
  const pos = wave.indexOf(selected as number);
  if (dir === 'left' || dir === 'right') {
    const i = flat.indexOf(selected as number) + (dir === 'left' ? -1 : 1);
    return flat[Math.max(0, Math.min(flat.length - 1, i))] ?? selected;
  }
  const col = pos % cols;
  if (dir === 'up') {
    if (pos - cols >= 0) return wave[pos - cols] ?? selected;
    for (row--; row >= 0; row--) {
      const w = waves[row] as readonly number[];
      if (w.length === 0) continue;
      const lastRowStart = Math.floor((w.length - 1) / cols) * cols;
      return w[Math.min(w.length - 1, lastRowStart + col)] ?? selected;
    }
    return selected;
  }
  if (pos + cols < wave.length) return wave[pos + cols] ?? selected;
  // Still on this wave's last screen row? Then into the next wave.
  const lastRowStart = Math.floor((wave.length - 1) / cols) * cols;
  if (pos < lastRowStart) return wave[wave.length - 1] ?? selected;
  for (row++; row < waves.length; row++) {
    const w = waves[row] as readonly number[];
    if (w.length > 0) return w[Math.min(w.length - 1, col)] ?? selected;
  }
  return selected;
}
