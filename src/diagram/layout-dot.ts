import { type DiagramModel, type Edge, type EdgeKind, edgeLabel } from './model.ts';

/*
 * DOT laid out for a picture (the SVG), not for tools: a state's self-loops are drawn as
 * one loop listing every cell, long labels are wrapped, and legal, no-op and refused
 * cells look different. `toDot` stays the one-edge-per-cell form tools parse.
 */

export interface Reached {
  readonly states: ReadonlySet<string>;
  /** `from|event|to` of every step seen. */
  readonly cells: ReadonlySet<string>;
}

const WRAP = 34;

const STYLE: Record<EdgeKind, string> = {
  transition: 'color="#1f2937", fontcolor="#1f2937"',
  self: 'color="#2563eb", fontcolor="#1e40af"',
  noop: 'style=dotted, color="#9ca3af", fontcolor="#6b7280"',
  error: 'style=dashed, color="#b91c1c", fontcolor="#b91c1c"',
};

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** Breaks a label at ", " and " " so no line runs much past `WRAP`; `\l` left-justifies in DOT. */
export function wrap(text: string, width = WRAP): string[] {
  const words = text.split(/(?<=,) | (?=\[)|(?<=\]) /);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** Refusing every event a state does not list is one fact; naming 20 events hides it. */
function labelOf(edge: Edge): string {
  if (edge.kind === 'error' && edge.outcome === 'IllegalForState' && edge.events.length > 3) {
    return 'any other event / IllegalForState';
  }
  return edgeLabel(edge);
}

const dotLabel = (lines: readonly string[]) =>
  `"${lines.map((l) => l.replace(/\\/g, '\\\\').replace(/"/g, '\\"')).join('\\l')}\\l"`;

function hit(edge: Edge, reached: Reached | undefined): boolean {
  if (reached === undefined) return false;
  const events = edge.events[0] === '*' ? [...reached.cells] : edge.events;
  return [...reached.cells].some((c) => {
    const [from, event, to] = c.split('|');
    return (
      from === edge.from &&
      to === edge.to &&
      (edge.events[0] === '*' || events.includes(event ?? ''))
    );
  });
}

export function toLayoutDot(model: DiagramModel, reached?: Reached): string {
  const lines = [
    `digraph ${quote(model.name)} {`,
    '  graph [rankdir=LR, nodesep=0.45, ranksep=1.0, pad=0.3, fontname="Helvetica", bgcolor=white];',
    '  node [shape=box, style="rounded,filled", fillcolor="#f9fafb", color="#374151", fontname="Helvetica-Bold", fontsize=16, margin="0.25,0.12"];',
    '  edge [fontname="Helvetica", fontsize=12, arrowsize=0.8];',
    '  __initial [shape=point, width=0.15, label="", fillcolor=black];',
  ];
  for (const s of model.states) {
    const mark = reached?.states.has(s)
      ? ', fillcolor="#fde68a", color="#b45309", penwidth=2.5'
      : '';
    lines.push(`  ${quote(s)} [label=${quote(s)}${mark}];`);
  }
  lines.push(`  __initial -> ${quote(model.initial)};`);
  // Self-loops of one kind on one state share a single loop, one line per cell.
  const loops = new Map<string, Edge[]>();
  for (const e of model.edges) {
    if (e.from === e.to) {
      const key = `${e.from}|${e.kind}`;
      loops.set(key, [...(loops.get(key) ?? []), e]);
      continue;
    }
    const bold = hit(e, reached) ? ', penwidth=3, color="#b45309"' : '';
    lines.push(
      `  ${quote(e.from)} -> ${quote(e.to)} [label=${dotLabel(wrap(labelOf(e)))}, ${STYLE[e.kind]}${bold}];`,
    );
  }
  for (const [key, group] of loops) {
    const [state, kind] = key.split('|') as [string, EdgeKind];
    const text = group.flatMap((e) =>
      wrap(labelOf(e)).map((l, i) => (i === 0 ? `• ${l}` : `  ${l}`)),
    );
    const bold = group.some((e) => hit(e, reached)) ? ', penwidth=3, color="#b45309"' : '';
    // Loops of different kinds leave from different sides so their labels do not stack.
    const port = { self: 'n', noop: 'sw', error: 's', transition: 'n' }[kind];
    lines.push(
      `  ${quote(state)}:${port} -> ${quote(state)}:${port} [label=${dotLabel(text)}, ${STYLE[kind]}${bold}];`,
    );
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
