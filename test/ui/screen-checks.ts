import type { HelpedKey } from '../../src/ui/components/key-hints.ts';

/*
 * What a captured screen must look like for nothing to be drawn over anything else, as
 * plain checks over the text `tmux capture-pane -p` gives back. Each returns the
 * problems it found (empty when the screen is sound), so a failure names the line.
 */

const rows = (capture: string): string[] => capture.replace(/\n$/, '').split('\n');

/** The frame starts at the top (an overflowing frame scrolls its header away) and ends with the keys. */
export function frameProblems(capture: string, height: number): string[] {
  const all = rows(capture);
  const problems: string[] = [];
  const first = all[0] ?? '';
  if (!/^(rollout-sim )?▸ /.test(first) && !/^(live|replay|machine) /.test(first))
    problems.push(`line 1 is not the header: ${JSON.stringify(first)}`);
  if (all.length > height) problems.push(`${all.length} lines on a ${height}-line terminal`);
  if (!all.some((l) => /(^| · )q quit\s*$/.test(l))) problems.push('no footer ending in "q quit"');
  return problems;
}

/**
 * A pane title is its words, then `─` to the pane's edge (or the words cut with `…`):
 * anything else straight after them was drawn over the title.
 */
export function titleProblems(capture: string, width: number): string[] {
  return rows(capture)
    .map((l) => l.trimEnd())
    .filter((l) => /^[─◆] [A-Z]/.test(l))
    .filter((l) => !/^[─◆] [^─]+?(…|─+)( |$)/.test(l))
    .filter((l) => !(/^[─◆] [^─]+$/.test(l) && l.length >= width - 1)) // words filling the width
    .map((l) => `title line broken: ${JSON.stringify(l)}`);
}

/** The help box: its corners, and a `│` at both ends of every row between them. */
export function boxProblems(capture: string): string[] {
  const all = rows(capture).map((l) => l.trimEnd());
  const top = all.findIndex((l) => l.startsWith('╭'));
  const bottom = all.findIndex((l) => l.startsWith('╰'));
  if (top < 0 || bottom < top) return ['no help box (╭ … ╰)'];
  const problems: string[] = [];
  if (!all[top]?.endsWith('╮')) problems.push(`top border: ${JSON.stringify(all[top])}`);
  if (!all[bottom]?.endsWith('╯')) problems.push(`bottom border: ${JSON.stringify(all[bottom])}`);
  for (const l of all.slice(top + 1, bottom))
    if (!l.startsWith('│') || !l.endsWith('│')) problems.push(`box row: ${JSON.stringify(l)}`);
  return problems;
}

/** The rows inside the help box, borders and padding off. */
export function boxRows(capture: string): string[] {
  return rows(capture)
    .map((l) => l.trimEnd())
    .filter((l) => l.startsWith('│') && l.endsWith('│'))
    .map((l) => l.slice(2, -1).trimEnd());
}

/** Keys the help never showed, each with the first word of its sentence beside it. */
export function missingKeys(helpRows: readonly string[], keys: readonly HelpedKey[]): string[] {
  return keys
    .filter((k) => {
      const word = k.long.split(' ')[0] ?? '';
      const line = new RegExp(`^${escapeRe(k.key)} +${escapeRe(word)}`);
      return !helpRows.some((r) => line.test(r));
    })
    .map((k) => k.key);
}

/*
 * Every line the host detail pane draws, as pieces (a regular expression for the whole
 * piece and one for any start of it): a line matches whole, or — cut with `…` at the
 * pane's edge — as whole pieces then the start of the next. A line made of two, one
 * drawn over the other (`cp Pending · agent nonee 0`, `failed —  reverted — converge…`),
 * matches none of them.
 */
type Piece = readonly [full: string, start: string];

const escapeRe = (t: string) => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const lit = (text: string): Piece => [
  escapeRe(text),
  `(?:${[...text].map((_, i) => escapeRe(text.slice(0, i))).join('|')})`,
];
const T: Piece = [
  String.raw`(?:—|\+\d\d:\d\d\.\d{3}|\+\d+:\d\d:\d\d)`,
  String.raw`(?:—|\+[\d:.]*)?`,
];
const S: Piece = [String.raw`\S+`, String.raw`\S*`];
const D: Piece = [String.raw`\d+`, String.raw`\d*`];
const WORD: Piece = ['[A-Za-z]+', '[A-Za-z]*'];
const ANY: Piece = ['.*', '.*'];

const DETAIL_LINES: readonly (readonly Piece[])[] = [
  [lit('No host selected.')],
  [S, lit(' · '), S, lit(' · wave '), D, lit(' · '), S],
  [lit('cp '), WORD, lit(' · agent '), WORD],
  [lit('dispatched '), T, lit(' · changed '), T],
  [lit('target '), S],
  [lit('running '), S],
  [lit('faults '), D],
  [lit('── control-plane record')],
  [lit('── history (newest last)')],
  [lit('── history (none yet)')],
  [lit('dispatched '), T, lit('  acked '), T],
  [lit('activation '), T, lit(' → '), T],
  [lit('activation '), T, lit(' → '), T, lit('  failed '), T],
  [lit('soak due '), T, lit('  converged '), T],
  [lit('failed '), T, lit('  reverted '), T],
  [lit('failed '), T, lit('  reverted '), T, lit(' to '), S],
  [lit('policy applied '), S],
  [lit('probes '), ANY],
  [lit('seq '), D],
  [T, lit(' '), ANY],
  [lit('wave '), D, lit(' over time ('), D, lit(' host'), ANY],
  [WORD, [' +', ' *'], ['[ ▁▂▃▄▅▆▇█]*', '[ ▁▂▃▄▅▆▇█]*']],
];

/** Whether a detail line is one of the lines above, whole or cut at the edge. */
export function isDetailLine(line: string): boolean {
  const cut = line.endsWith('…');
  const text = cut ? line.slice(0, -1) : line;
  return DETAIL_LINES.some((pieces) => {
    const whole = pieces.map((p) => p[0]).join('');
    const forms = cut
      ? pieces.map(
          (p, k) =>
            `${pieces
              .slice(0, k)
              .map((q) => q[0])
              .join('')}${p[1]}`,
        )
      : [];
    return [whole, ...forms].some((f) => new RegExp(`^${f}$`).test(text));
  });
}

/** The detail pane's lines (the column from its `─ Host` title to the right edge) that are no line it draws. */
export function detailProblems(capture: string): string[] {
  const all = rows(capture);
  const titleRow = all.findIndex((l) => / [─◆] Host /.test(l));
  if (titleRow < 0) return ['no host detail pane'];
  const title = all[titleRow] as string;
  const x = title.search(/ [─◆] Host /) + 1;
  const problems: string[] = [];
  for (const l of all.slice(titleRow + 1)) {
    if (/^[─◆] Event log/.test(l)) break;
    const cell = l.slice(x).trimEnd();
    if (cell !== '' && !isDetailLine(cell)) problems.push(`detail line: ${JSON.stringify(cell)}`);
  }
  return problems;
}
