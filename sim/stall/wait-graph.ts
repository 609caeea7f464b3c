/*
 * The graph of who waits on whom among a stall's groups, answered in time linear in its
 * size. A chain of channel edges (or host edges) thousands long is one group a link, and
 * asking each group on its own walked the chain again for each: quadratic, a hang at
 * 200,000 channels.
 */

/** A group of the graph: a root cause or not, and the keys of the groups it waits on. */
export interface WaitNode {
  readonly key: string;
  readonly isRoot: boolean;
  readonly waitsOn: readonly string[];
}

export interface WaitAnswers<N extends WaitNode> {
  /** Whether the group can never clear: it is a root cause, or waits on one or on a cycle. */
  readonly permanent: (key: string) => boolean;
  /** Whether the group is on a cycle of waits. */
  readonly cyclic: (key: string) => boolean;
  /** The first root cause a breadth-first walk of the group's waits meets, or null. */
  readonly firstRoot: (key: string) => N | null;
}

export function answerWaits<N extends WaitNode>(nodes: ReadonlyMap<string, N>): WaitAnswers<N> {
  const component = components(nodes);
  const firstRoots = new Map<string, N | null>();
  return {
    permanent: (key) => component.permanent.get(key) ?? false,
    cyclic: (key) => component.cyclic.get(key) ?? false,
    firstRoot: (key) => firstRoot(key, nodes, firstRoots),
  };
}

/** The keys a node waits on that name a node, in its order. */
function edges<N extends WaitNode>(nodes: ReadonlyMap<string, N>, key: string): string[] {
  return (nodes.get(key)?.waitsOn ?? []).filter((k) => nodes.has(k));
}

/**
 * Tarjan's strongly connected components, without recursion (a chain 200,000 long
 * would overflow the stack). A component comes out after every component it reaches,
 * so each one's `permanent` is known from those it waits on when it is finished.
 */
function components<N extends WaitNode>(
  nodes: ReadonlyMap<string, N>,
): { permanent: Map<string, boolean>; cyclic: Map<string, boolean> } {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const permanent = new Map<string, boolean>();
  const cyclic = new Map<string, boolean>();
  let next = 0;
  for (const start of nodes.keys()) {
    if (index.has(start)) continue;
    const frames: { key: string; out: string[]; at: number }[] = [];
    const enter = (key: string) => {
      index.set(key, next);
      low.set(key, next);
      next++;
      stack.push(key);
      onStack.add(key);
      frames.push({ key, out: edges(nodes, key), at: 0 });
    };
    enter(start);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as (typeof frames)[number];
      if (frame.at < frame.out.length) {
        const k = frame.out[frame.at++] as string;
        if (!index.has(k)) enter(k);
        else if (onStack.has(k))
          low.set(frame.key, Math.min(low.get(frame.key) as number, index.get(k) as number));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent !== undefined)
        low.set(parent.key, Math.min(low.get(parent.key) as number, low.get(frame.key) as number));
      if (low.get(frame.key) !== index.get(frame.key)) continue;
      const members: string[] = [];
      let k: string;
      do {
        k = stack.pop() as string;
        onStack.delete(k);
        members.push(k);
      } while (k !== frame.key);
      const inside = new Set(members);
      const isCycle = members.length > 1 || edges(nodes, frame.key).includes(frame.key);
      const isPermanent =
        isCycle ||
        members.some((m) => nodes.get(m)?.isRoot === true) ||
        members.some((m) =>
          edges(nodes, m).some((o) => !inside.has(o) && permanent.get(o) === true),
        );
      for (const m of members) {
        permanent.set(m, isPermanent);
        cyclic.set(m, isCycle);
      }
    }
  }
  return { permanent, cyclic };
}

/**
 * A group that waits on exactly one other, itself no root cause, has that one's answer:
 * a breadth-first walk from it meets that group first and then walks on as a walk from
 * there would. Chains are followed so, each link once; anything else is walked.
 */
function firstRoot<N extends WaitNode>(
  from: string,
  nodes: ReadonlyMap<string, N>,
  known: Map<string, N | null>,
): N | null {
  // A root cause's own walk may come back round to it, which a walk from the group it
  // waits on would take for the answer; the stall asks only of groups that are none.
  if (nodes.get(from)?.isRoot === true) return walk(from, nodes);
  const chain: string[] = [];
  const onChain = new Set<string>();
  let key = from;
  let answer: N | null = null;
  for (;;) {
    const memo = known.get(key);
    if (memo !== undefined) {
      answer = memo;
      break;
    }
    const out = nodes.get(key)?.waitsOn ?? [];
    if (out.length !== 1 || out[0] === key) {
      answer = walk(key, nodes);
      known.set(key, answer);
      break;
    }
    chain.push(key);
    onChain.add(key);
    const only = out[0] as string;
    const next = nodes.get(only);
    if (next === undefined) break;
    if (next.isRoot) {
      answer = next;
      break;
    }
    // Round a cycle of single waits with no root cause on it: none to find.
    if (onChain.has(only)) break;
    key = only;
  }
  for (const k of chain) known.set(k, answer);
  return answer;
}

function walk<N extends WaitNode>(from: string, nodes: ReadonlyMap<string, N>): N | null {
  const seen = new Set<string>([from]);
  const todo = [...(nodes.get(from)?.waitsOn ?? [])];
  for (let i = 0; i < todo.length; i++) {
    const k = todo[i] as string;
    if (seen.has(k)) continue;
    seen.add(k);
    const d = nodes.get(k);
    if (d === undefined) continue;
    if (d.isRoot) return d;
    for (const w of d.waitsOn) todo.push(w);
  }
  return null;
}
