import { type DiagramModel, type EdgeKind, edgeLabel } from './model.ts';

const STYLE: Record<EdgeKind, string> = {
  transition: '',
  self: '',
  noop: ', style=dotted, color=gray40, fontcolor=gray40',
  error: ', style=dashed, color=firebrick, fontcolor=firebrick',
};

/** Graphviz DOT, left to right, one node per state (all of them, even if unreachable). */
export function toDot(model: DiagramModel): string {
  const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const lines = [
    `digraph ${quote(model.name)} {`,
    '  rankdir=LR;',
    '  node [shape=box, style=rounded, fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
    '  __initial [shape=point, label=""];',
    ...model.states.map((s) => `  ${quote(s)};`),
    `  __initial -> ${quote(model.initial)};`,
    ...model.edges.map(
      (e) => `  ${quote(e.from)} -> ${quote(e.to)} [label=${quote(edgeLabel(e))}${STYLE[e.kind]}];`,
    ),
    '}',
  ];
  return `${lines.join('\n')}\n`;
}
