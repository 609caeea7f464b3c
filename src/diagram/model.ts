import type { MachineEntry } from '../../machines/catalog.ts';

/*
 * A drawable model of a machine, read from its XState definition: one edge per
 * (state, event, condition) candidate, classified so diagrams can leave out the cells
 * that change nothing (no-ops) or refuse the event (errors) unless asked for everything.
 */

export type EdgeKind = 'transition' | 'self' | 'noop' | 'error';

export interface Edge {
  readonly from: string;
  /** The state after the step: `from` itself for self, no-op and error edges. */
  readonly to: string;
  /** The event type, or `*` for a refusal that applies to every event. */
  readonly events: readonly string[];
  readonly condition: string | null;
  readonly kind: EdgeKind;
  /** For error edges, the error variant produced. */
  readonly outcome: string | null;
}

export interface DiagramModel {
  readonly name: string;
  readonly initial: string;
  readonly states: readonly string[];
  readonly edges: readonly Edge[];
}

type Named = string | { readonly type: string; readonly params?: unknown };
const nameOf = (n: Named) => (typeof n === 'string' ? n : n.type);
const paramsOf = (n: Named) => (typeof n === 'string' ? undefined : n.params);

/** Refusing actions are named `reject<ErrorVariant>`; the variant is what the cell yields. */
function refusal(actions: readonly Named[]): string | null {
  const reject = actions.find((a) => nameOf(a).startsWith('reject'));
  if (reject === undefined) return null;
  const variant = nameOf(reject).slice('reject'.length);
  return variant === 'Illegal' ? 'IllegalForState' : variant;
}

/** Actions that only book-keep the step (the seq stamp) do not make a cell a change. */
const BOOKKEEPING = new Set(['markSeq']);

/** What one transition candidate does: change state, act in place, nothing, or refuse. */
export function classify(t: {
  readonly target?: readonly { key: string }[] | undefined;
  readonly actions: readonly unknown[];
}): {
  kind: EdgeKind;
  outcome: string | null;
} {
  const actions = t.actions as Named[];
  const outcome = refusal(actions);
  if (outcome !== null) return { kind: 'error', outcome };
  if (t.target !== undefined && t.target.length > 0) return { kind: 'transition', outcome: null };
  return {
    kind: actions.every((a) => BOOKKEEPING.has(nameOf(a))) ? 'noop' : 'self',
    outcome: null,
  };
}

/**
 * `merge` folds events that share a cell shape into one edge; document-ordered formats
 * (SCXML) ask for the edges unmerged, in candidate order, so that merging cannot move a
 * fallback ahead of a guarded candidate of the same event.
 */
export function diagramModel(
  entry: MachineEntry,
  options: { all: boolean; merge?: boolean },
): DiagramModel {
  const { machine } = entry;
  const edges: Edge[] = [];
  const label = (guard: Named | undefined): string | null => {
    if (guard === undefined) return null;
    const fn = entry.guardLabels[nameOf(guard)];
    return fn === undefined ? nameOf(guard) : fn(paramsOf(guard) as never);
  };

  for (const [from, node] of Object.entries(machine.root.states)) {
    const listed = [...node.transitions.keys()].filter((k) => k !== '*');
    // Wildcards last: in document-ordered formats (SCXML) the first match wins.
    const cells = [...node.transitions].sort(([a], [b]) => Number(a === '*') - Number(b === '*'));
    for (const [descriptor, candidates] of cells) {
      const events =
        descriptor === '*' ? entry.events.filter((e) => !listed.includes(e)) : [descriptor];
      // Conditions of earlier candidates in this cell, drawn and hidden: a fallback reads
      // as `else` after drawn ones, and names the refusals it survives when those are hidden.
      const drawnBefore: string[] = [];
      const hiddenBefore: string[] = [];
      for (const t of candidates) {
        const guard = t.guard as Named | undefined;
        const isRefusalGuard = guard !== undefined && entry.refusalGuards.includes(nameOf(guard));
        const { kind, outcome } = classify(t);
        const target = t.target?.[0]?.key ?? null;
        const hidden = !options.all && (kind === 'noop' || kind === 'error');
        const condition =
          guard !== undefined
            ? label(guard)
            : drawnBefore.length > 0
              ? 'else'
              : hiddenBefore.length > 0
                ? `unless ${hiddenBefore.join(', ')}`
                : null;
        if (guard !== undefined && !isRefusalGuard)
          (hidden ? hiddenBefore : drawnBefore).push(label(guard) ?? '');
        if (hidden) continue;
        if (events.length === 0) continue;
        // A refusal guard fronts every cell alike: draw it once per state, for all events.
        if (
          isRefusalGuard &&
          edges.some((e) => e.from === from && e.events[0] === '*' && e.kind === 'error')
        )
          continue;
        const edgeEvents = isRefusalGuard ? ['*'] : events;
        edges.push({ from, to: target ?? from, events: edgeEvents, condition, kind, outcome });
      }
    }
  }
  return {
    name: entry.name,
    initial: String(machine.config.initial),
    states: Object.keys(machine.root.states),
    edges: options.merge === false ? edges : merge(edges),
  };
}

/** One edge per (from, to, condition, kind, outcome): events that share a cell shape share a line. */
function merge(edges: readonly Edge[]): Edge[] {
  const byKey = new Map<string, Edge>();
  for (const e of edges) {
    const key = JSON.stringify([e.from, e.to, e.condition, e.kind, e.outcome]);
    const prior = byKey.get(key);
    if (prior === undefined) byKey.set(key, e);
    else if (!prior.events.includes('*')) {
      byKey.set(key, { ...prior, events: [...new Set([...prior.events, ...e.events])] });
    }
  }
  return [...byKey.values()];
}

/** `Event [condition] / outcome`, the text every format puts on an edge. */
export function edgeLabel(edge: Edge): string {
  const events = edge.events.join(', ');
  const condition = edge.condition === null ? '' : ` [${edge.condition}]`;
  const outcome =
    edge.kind === 'error' ? ` / ${edge.outcome}` : edge.kind === 'noop' ? ' / no-op' : '';
  return `${events}${condition}${outcome}`;
}
