/*
 * Deep equality for plain data (records, events, effects: objects, arrays, strings,
 * numbers, bigints, booleans, null). `node:util`'s isDeepStrictEqual handles every
 * kind of object and costs a fifth of a checked run doing so; this handles only what
 * the machines produce, and does not compare prototypes. A key present as `undefined`
 * differs from a missing key, as in vitest's toStrictEqual, so a machine that writes a
 * field the spec does not is seen.
 */
export function plainEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!plainEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let n = 0;
  for (const k in x) {
    if (!(k in y) || !plainEqual(x[k], y[k])) return false;
    n++;
  }
  for (const _ in y) n--;
  return n === 0;
}

/** The keys of either object whose values are not `plainEqual`, in first-seen order. */
export function differingKeys(a: object, b: object): string[] {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  return Object.keys({ ...x, ...y }).filter((k) => !plainEqual(x[k], y[k]));
}
