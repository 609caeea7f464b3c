import { describe, expect, test } from 'vitest';
import { MAX_NESTING, tooDeepAt } from '../../src/fleet-file/nesting.ts';
import { parseFleetText } from '../../src/fleet-file/syntax.ts';

const nest = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

describe('fleet files nested too deep', () => {
  test('are refused before parsing, with where the limit is crossed, in JSON and YAML', () => {
    const deep = nest(100_000);
    expect(parseFleetText(`{"hosts": ${deep}}`, 'f.json')).toEqual({
      ok: false,
      error: `f.json:1:${10 + MAX_NESTING}: nested deeper than 128 levels`,
    });
    expect(parseFleetText(`# a fleet\nhosts: ${deep}\n`, 'f.yaml')).toEqual({
      ok: false,
      error: `f.yaml:2:${8 + MAX_NESTING}: nested deeper than 128 levels`,
    });
  });

  test('up to the limit, the file goes on to the parser', () => {
    expect(tooDeepAt(nest(MAX_NESTING), false)).toBeNull();
    expect(tooDeepAt(nest(MAX_NESTING + 1), false)).toBe(MAX_NESTING);
  });

  test('brackets in strings and YAML comments are not nesting', () => {
    const inString = `{"name": "${'['.repeat(500)}"}`;
    expect(tooDeepAt(inString, false)).toBeNull();
    expect(tooDeepAt(`name: '${'{'.repeat(500)}'\n`, true)).toBeNull();
    expect(tooDeepAt(`name: "a \\" ${'['.repeat(500)}"\n`, true)).toBeNull();
    expect(tooDeepAt(`# ${'['.repeat(500)}\nhosts: {}\n`, true)).toBeNull();
    // An apostrophe inside a plain scalar opens no quoted string.
    expect(tooDeepAt(`name: it's\nhosts: ${nest(MAX_NESTING + 1)}\n`, true)).not.toBeNull();
  });

  test('YAML block nesting counts too: indentation and "- " on one line (each ran out of stack)', () => {
    const mappings = (n: number) =>
      `${Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} 1\n`;
    expect(tooDeepAt(mappings(MAX_NESTING), true)).toBeNull();
    expect(parseFleetText(mappings(1000), 'f.yaml')).toEqual({
      ok: false,
      error: `f.yaml:${MAX_NESTING + 1}:${MAX_NESTING + 1}: nested deeper than 128 levels`,
    });
    const sequences = (n: number) => `${'- '.repeat(n)}x\n`;
    expect(tooDeepAt(sequences(MAX_NESTING), true)).toBeNull();
    expect(parseFleetText(sequences(1000), 'f.yaml')).toEqual({
      ok: false,
      error: `f.yaml:1:${2 * MAX_NESTING + 1}: nested deeper than 128 levels`,
    });
  });

  test('going back out of a block frees its levels; comments, blank lines and --- do not nest', () => {
    const wide = Array.from(
      { length: 1000 },
      (_, i) => `k${i}:\n  - a\n  - b: { c: 1 }\n\n# note\n---`,
    ).join('\n');
    expect(tooDeepAt(wide, true)).toBeNull();
    // JSON has no block nesting.
    expect(tooDeepAt(`${' '.repeat(200)}1`, false)).toBeNull();
  });
});
