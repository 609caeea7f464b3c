import { type DiagramModel, edgeLabel } from './model.ts';

/** Mermaid reads `<`, `>` and `;` in a label as markup or a statement end: write its entity codes. */
const escapeLabel = (s: string) =>
  s.replace(/;/g, '#59;').replace(/</g, '#lt;').replace(/>/g, '#gt;');

/**
 * Mermaid `stateDiagram-v2`. Mermaid keeps only the last self-loop it is given for a
 * state, so each state's self-loops become one edge with a label line per loop.
 */
export function toMermaid(model: DiagramModel): string {
  const lines = ['stateDiagram-v2', `  [*] --> ${model.initial}`];
  for (const state of model.states) {
    if (!model.edges.some((e) => e.from === state || e.to === state)) lines.push(`  ${state}`);
  }
  const loops = new Map<string, string[]>();
  for (const edge of model.edges) {
    if (edge.from !== edge.to) continue;
    loops.set(edge.from, [...(loops.get(edge.from) ?? []), escapeLabel(edgeLabel(edge))]);
  }
  const drawn = new Set<string>();
  for (const edge of model.edges) {
    if (edge.from !== edge.to) {
      lines.push(`  ${edge.from} --> ${edge.to} : ${escapeLabel(edgeLabel(edge))}`);
    } else if (!drawn.has(edge.from)) {
      drawn.add(edge.from);
      lines.push(`  ${edge.from} --> ${edge.from} : ${(loops.get(edge.from) ?? []).join('<br>')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
