import {
  type Document,
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node,
} from 'yaml';
import type { FleetPath } from '../../sim/fleet/validate.ts';
import { describeValue } from './issues.ts';

/*
 * What a parsed YAML document must not hold before it becomes plain data, found in one
 * pass over the document's nodes (an alias is looked up, never walked again):
 * - a key that is not a string: a list or mapping as key (`? [a, b]`) would become
 *   the text "[ a, b ]" with a Node warning on stderr, a null key the name "", and a
 *   number spelled other than JavaScript prints it (`01`, `1.0`, `0x10`) another name
 *   than the file shows. A plain `1:` stays the name "1", as it always was;
 * - an alias inside the node it refers to (`a: &x [*x]`): the data would contain
 *   itself, and everything walking it ran out of stack;
 * - an alias with no anchor before it;
 * - aliases that multiply the document (an alias bomb, "billion laughs"): a few lines
 *   can stand for billions of values. yaml's `maxAliasCount` bounds how often each
 *   anchor is used, not how big the anchored node is: 9,000 uses of a 50,000-item list
 *   took 20 s to refuse for a misspelt key. So the values aliases add are counted, and
 *   the uses of each anchor too, so that the limit yaml would throw on without a place
 *   is said where it is crossed.
 */

/** The most values aliases may add to what the file spells out. */
export const MAX_ALIAS_EXPANSION = 1_000_000;
/** As yaml's `maxAliasCount` (set to the same): the most uses of one anchor. */
export const MAX_ALIAS_USES = 10_000;

export interface YamlTreeProblem {
  /** Offset in the text of the offending key or alias. */
  readonly offset: number;
  /** The keys and indices leading to it (for a key, to the mapping that holds it). */
  readonly path: FleetPath;
  readonly message: string;
}

class Found {
  constructor(readonly problem: YamlTreeProblem) {}
}

/** yaml's `hasAnchor`, which its CommonJS build does not export. */
function hasAnchor(node: unknown): node is Node & { anchor: string } {
  return (
    (isScalar(node) || isCollection(node)) && typeof node.anchor === 'string' && node.anchor !== ''
  );
}

function kind(node: unknown): string {
  return isMap(node) ? 'a mapping' : isSeq(node) ? 'a list' : 'an alias';
}

/** What is wrong with `key` of a mapping (`target` the node an alias key refers to), or null. */
function keyProblem(key: unknown, target: unknown): string | null {
  const node = isAlias(key) ? target : key;
  const alias = isAlias(key) ? ` (the alias *${key.source})` : '';
  if (node === null || node === undefined) return key === null ? 'a key must not be empty' : null;
  if (!isScalar(node)) return `a key must be a string, got ${kind(node)}${alias}`;
  const value = node.value;
  // The `<<` of a merge (a symbol) is yaml's own to resolve.
  if (typeof value === 'string' || typeof value === 'symbol') return null;
  const source = node.source;
  if (value === null)
    return source === ''
      ? `a key must not be empty${alias}`
      : `key ${source} reads as null${alias}; quote it (${JSON.stringify(source)}) to keep it as written`;
  if (typeof value === 'number' || typeof value === 'boolean') {
    if (String(value) === source) return null;
    const what = typeof value === 'number' ? `the number ${value}` : String(value);
    return `key ${source} reads as ${what}${alias}; quote it (${JSON.stringify(source)}) to keep it as written`;
  }
  return `a key must be a string, got ${describeValue(value)}${alias}`;
}

/*
 * The tags of YAML 1.2's core schema. Any other (`!!set`, `!!omap`, `!!timestamp`,
 * `!!binary`, a custom `!thing`) was read as something else without a word: a `!!set`
 * as an empty mapping, a custom-tagged mapping as nothing.
 */
const CORE = 'tag:yaml.org,2002:';
const CORE_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => CORE + t),
);

const shownTag = (tag: string) => (tag.startsWith(CORE) ? `!!${tag.slice(CORE.length)}` : tag);

/** What `<<` may merge: a mapping, an alias of one, or a list of those. */
function mergeable(value: unknown, anchors: ReadonlyMap<string, Node>): boolean {
  const map = (v: unknown) => isMap(isAlias(v) ? anchors.get(v.source) : v);
  return map(value) || (isSeq(value) && value.items.every(map));
}

interface Frame {
  readonly node: Node | null;
  /** Children in document order: a mapping's pairs, a list's items, a pair's key and value. */
  readonly kids: readonly unknown[];
  next: number;
  /** Values this node stands for, aliases expanded; it grows as its children end. */
  size: number;
  /** The path length of this node; each child's component goes after it. */
  readonly base: number;
  readonly list: boolean;
  /** A mapping's keys as plain data has them (`1` and `"1"` are both "1"). */
  readonly keys: Set<string> | null;
}

/** The first problem of `doc` in document order, or null. */
export function yamlTreeProblem(
  doc: Document,
  maxExpansion = MAX_ALIAS_EXPANSION,
): YamlTreeProblem | null {
  // The latest node with each anchor: an alias refers to the last one before it.
  const anchors = new Map<string, Node>();
  // Anchored nodes that are complete, with their size; one not here is still open: an ancestor.
  const sizes = new Map<Node, number>();
  const uses = new Map<Node, number>();
  const path: (string | number)[] = [];
  const stack: Frame[] = [];
  let added = 0;

  const fail = (node: unknown, message: string): never => {
    const range = (node as { range?: readonly number[] } | null)?.range;
    throw new Found({ offset: range?.[0] ?? 0, path: [...path], message });
  };

  /** The size of a leaf, or null when `node` opened a frame. */
  const open = (node: unknown): number | null => {
    if (node === null || node === undefined) return 1;
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target === undefined)
        fail(node, `unknown alias *${node.source} (no &${node.source} before it)`);
      const size = sizes.get(target as Node);
      if (size === undefined)
        fail(
          node,
          `recursive alias *${node.source}: it is inside the &${node.source} it refers to`,
        );
      const count = (uses.get(target as Node) ?? 0) + 1;
      uses.set(target as Node, count);
      if (count > MAX_ALIAS_USES)
        fail(
          node,
          `alias *${node.source} used more than ${MAX_ALIAS_USES.toLocaleString('en-US')} times`,
        );
      added += (size as number) - 1;
      if (added > maxExpansion)
        fail(
          node,
          `aliases expand the file by more than ${maxExpansion.toLocaleString('en-US')} values (an alias bomb?)`,
        );
      return size as number;
    }
    const tag = (node as { tag?: unknown }).tag;
    if (typeof tag === 'string' && !CORE_TAGS.has(tag))
      fail(
        node,
        `tag ${shownTag(tag)} is not supported: a fleet file holds mappings, lists, strings, numbers, true/false and null`,
      );
    if (hasAnchor(node)) anchors.set(node.anchor, node);
    if (isScalar(node)) {
      if (hasAnchor(node)) sizes.set(node, 1);
      return 1;
    }
    if (isMap(node) || isSeq(node)) {
      stack.push({
        node,
        kids: node.items,
        next: 0,
        size: 1,
        base: path.length,
        list: isSeq(node),
        keys: isMap(node) ? new Set() : null,
      });
      return null;
    }
    if (isPair(node)) {
      const key = node.key;
      const problem = keyProblem(key, isAlias(key) ? anchors.get(key.source) : undefined);
      // The path is the mapping's (a pair in a list, `[a: 1]`, is a mapping of its own there).
      if (problem !== null) fail(key ?? node.value, problem);
      const scalar = isAlias(key) ? anchors.get(key.source) : key;
      const merge = isScalar(scalar) && typeof scalar.value === 'symbol';
      if (merge && !mergeable(node.value, anchors))
        fail(node.value ?? key, 'a merge (<<) takes a mapping, an alias of one, or a list of them');
      const name = merge ? '<<' : isScalar(scalar) ? String(scalar.value) : '';
      // Equal scalars are refused before (`uniqueKeys`); these are equal only as names.
      const keys = stack[stack.length - 1]?.keys;
      if (keys !== undefined && keys !== null && isScalar(scalar) && !merge) {
        if (keys.has(name))
          fail(
            key,
            `duplicate key ${JSON.stringify(name)} (${isAlias(key) ? `the alias *${key.source} is` : 'as a name,'} the same as an earlier key)`,
          );
        keys.add(name);
      }
      path.push(name);
      stack.push({
        node: null,
        kids: [key, node.value],
        next: 0,
        size: 0,
        base: path.length,
        list: false,
        keys: null,
      });
      return null;
    }
    return 1;
  };

  try {
    const root = open(doc.contents);
    if (root !== null) return null;
    while (stack.length > 0) {
      const frame = stack[stack.length - 1] as Frame;
      if (frame.next < frame.kids.length) {
        const i = frame.next++;
        path.length = frame.base;
        // A mapping's pair pushes its own key; a list's items are numbered.
        if (frame.list) path.push(i);
        const size = open(frame.kids[i]);
        if (size !== null) frame.size += size;
        continue;
      }
      stack.pop();
      if (frame.node !== null && hasAnchor(frame.node)) sizes.set(frame.node, frame.size);
      const parent = stack[stack.length - 1];
      if (parent !== undefined) parent.size += frame.size;
    }
    return null;
  } catch (e) {
    if (e instanceof Found) return e.problem;
    throw e;
  }
}
