import type { DiagramModel, Edge } from '../../diagram/model.ts';

/*
 * A text layout of a machine's diagram model (src/diagram/model.ts), so that the
 * terminal draws the same machine the Mermaid and DOT exports draw: states in columns
 * by their longest distance from the initial state along forward transitions (edges
 * that lead back, like Converging → Active, do not push a state right), in the
 * machine's own state order within a column.
 */

export interface DiagramLayout {
  readonly columns: readonly (readonly string[])[];
  /** Edges that change state, and in-place ones (self), as the model has them. */
  readonly edges: readonly Edge[];
}

export function diagramLayout(model: DiagramModel): DiagramLayout {
  const edges = model.edges.filter((e) => e.kind === 'transition' || e.kind === 'self');
  const forward = new Map<string, string[]>();
  for (const e of edges) {
    if (e.kind !== 'transition' || e.from === e.to) continue;
    const list = forward.get(e.from) ?? [];
    if (!list.includes(e.to)) list.push(e.to);
    forward.set(e.from, list);
  }
  // Back edges: those closing a cycle in a depth-first walk from the initial state.
  const back = new Set<string>();
  const onStack = new Set<string>();
  const seen = new Set<string>();
  const walk = (s: string) => {
    seen.add(s);
    onStack.add(s);
    for (const t of forward.get(s) ?? []) {
      if (onStack.has(t)) back.add(`${s}\u0000${t}`);
      else if (!seen.has(t)) walk(t);
    }
    onStack.delete(s);
  };
  walk(model.initial);
  for (const s of model.states) if (!seen.has(s)) walk(s);

  // Longest path over the remaining (acyclic) edges, relaxed in topological order.
  const depth = new Map<string, number>(model.states.map((s) => [s, 0]));
  for (let pass = 0; pass < model.states.length; pass++) {
    let changed = false;
    for (const [s, targets] of forward) {
      for (const t of targets) {
        if (back.has(`${s}\u0000${t}`)) continue;
        const d = (depth.get(s) ?? 0) + 1;
        if (d > (depth.get(t) ?? 0)) {
          depth.set(t, d);
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  const columns: string[][] = [];
  for (const s of model.states) {
    const d = depth.get(s) ?? 0;
    while (columns.length <= d) columns.push([]);
    columns[d]?.push(s);
  }
  return { columns: columns.filter((c) => c.length > 0), edges };
}

/** The edges leaving `state` that change something, as the model labels them. */
export function edgesFrom(layout: DiagramLayout, state: string): Edge[] {
  return layout.edges.filter((e) => e.from === state);
}
