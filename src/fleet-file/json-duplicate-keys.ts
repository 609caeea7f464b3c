import { formatFleetPath } from '../../sim/fleet/validate.ts';

/*
 * JSON.parse keeps the last of two equal keys without a word; a YAML fleet file with the
 * same mistake is refused (`uniqueKeys`). This scan finds the first duplicate key of an
 * already valid JSON text, so JSON fleet files are refused alike, with the key's place.
 */

export interface DuplicateKey {
  /** Offset of the second occurrence's opening quote. */
  readonly offset: number;
  readonly key: string;
  /** The keys and indices leading to the object that holds it. */
  readonly path: readonly (string | number)[];
}

/** `duplicate key "n" in variants[0].metrics (JSON would keep only the last one)`. */
export function duplicateKeyProblem(d: DuplicateKey): string {
  const inside = d.path.length === 0 ? '' : ` in ${formatFleetPath(d.path)}`;
  return `duplicate key ${JSON.stringify(d.key)}${inside} (JSON would keep only the last one)`;
}

interface Frame {
  readonly keys: Set<string> | null; // null: an array
  index: number;
  /** The key (or index) this container sits under in its parent. */
  readonly at: string | number | null;
  /** The key being read, before its value. */
  pending: string | null;
}

/** The first duplicate key of valid JSON `text`, or null. */
export function findDuplicateKey(text: string): DuplicateKey | null {
  const stack: Frame[] = [];
  let i = 0;
  const readString = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const here = (): string | number | null => {
    const top = stack[stack.length - 1];
    if (top === undefined) return null;
    return top.keys === null ? top.index : top.pending;
  };
  while (i < text.length) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (c === '{' || c === '[') {
      stack.push({ keys: c === '{' ? new Set() : null, index: 0, at: here(), pending: null });
      i++;
    } else if (c === '}' || c === ']') {
      stack.pop();
      i++;
    } else if (c === ',') {
      if (top?.keys === null) top.index++;
      else if (top !== undefined) top.pending = null;
      i++;
    } else if (c === '"') {
      const offset = i;
      const s = readString();
      // A string where a key is expected: before its ':'.
      if (top?.keys != null && top.pending === null) {
        if (top.keys.has(s)) {
          const path = stack.slice(1).map((f) => f.at as string | number);
          return { offset, key: s, path };
        }
        top.keys.add(s);
        top.pending = s;
      }
    } else i++;
  }
  return null;
}
