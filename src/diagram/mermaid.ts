import { type DiagramModel, edgeLabel } from './model.ts';

/**
 * Mermaid `stateDiagram-v2`. Mermaid reads `<`, `>` and `;` in a label as markup or a
 * statement end, so they are written as its entity codes.
 */
export function toMermaid(model: DiagramModel): string {
  const escape = (s: string) => s.replace(/;/g, '#59;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
  const lines = ['stateDiagram-v2', `  [*] --> ${model.initial}`];
  for (const state of model.states) {
    if (!model.edges.some((e) => e.from === state || e.to === state)) lines.push(`  ${state}`);
  }
  for (const edge of model.edges) lines.push(`  ${edge.from} --> ${edge.to} : ${escape(edgeLabel(edge))}`);
  return `${lines.join('\n')}\n`;
}
