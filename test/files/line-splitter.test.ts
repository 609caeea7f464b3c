import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { LineSplitter, withoutCr } from '../../src/files/line-splitter.ts';

/** What a line-by-line reader should give: lines at `\n`, the last one only if not empty. */
function expected(text: string, max: number): (string | null)[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((l) => (l.length > max ? null : l));
}

function split(chunks: readonly string[], max: number): (string | null)[] {
  const splitter = new LineSplitter(max);
  const out: (string | null)[] = [];
  for (const c of chunks) splitter.push(c, out);
  splitter.end(out);
  return out;
}

/** Text cut at arbitrary places: every chunking of the same text must read the same. */
const chunked = fc
  .array(fc.constantFrom('a', 'bc', '\n', '\r', '\u2028', 'ééé', '\n\n'), { maxLength: 40 })
  .chain((parts) => {
    const text = parts.join('');
    return fc.uniqueArray(fc.nat({ max: text.length }), { maxLength: 8 }).map((cuts) => {
      const at = [0, ...cuts.sort((a, b) => a - b), text.length];
      return { text, chunks: at.slice(1).map((end, i) => text.slice(at[i], end)) };
    });
  });

describe('LineSplitter', () => {
  test.prop([chunked, fc.integer({ min: 0, max: 12 })])(
    'any chunking gives the lines of the whole text, a line over the limit as null, once',
    ({ text, chunks }, max) => {
      expect(split(chunks, max)).toEqual(expected(text, max));
    },
  );

  test('U+2028 and a lone \\r are text, not line breaks (Node 24 readline splits at U+2028)', () => {
    expect(split(['{"a":"x\u2028y"}\r\n', 'b\rc\n'], 100)).toEqual(['{"a":"x\u2028y"}\r', 'b\rc']);
    expect(withoutCr('{}\r')).toBe('{}');
    expect(withoutCr('b\rc')).toBe('b\rc');
  });

  test('an endless line is reported once, as soon as it passes the limit, and holds nothing', () => {
    const splitter = new LineSplitter(10);
    const out: (string | null)[] = [];
    splitter.push('0123456789', out);
    expect(out).toEqual([]);
    splitter.push('x', out);
    expect(out).toEqual([null]);
    for (let i = 0; i < 1000; i++) splitter.push('yyyyyyyyyy', out);
    expect(out).toEqual([null]);
    splitter.push('tail\nnext\n', out);
    expect(out).toEqual([null, 'next']);
  });
});
