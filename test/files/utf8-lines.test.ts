import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { firstNonUtf8, lineColumnOf, wholeCharacters } from '../../src/files/utf8.ts';
import { type Line, Utf8Lines } from '../../src/files/utf8-lines.ts';

/** The WHATWG decoder, which refuses what is not UTF-8: the reference. */
const strict = new TextDecoder('utf-8', { fatal: true });
const valid = (bytes: Uint8Array) => {
  try {
    strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
};

/** What a line reader should give: each `\n`-ended line decoded, or a not-UTF-8 marker. */
function expected(bytes: Buffer, max: number): string[] {
  const lines: Buffer[] = [];
  let from = 0;
  for (let nl = bytes.indexOf(10); nl >= 0; nl = bytes.indexOf(10, from)) {
    lines.push(bytes.subarray(from, nl));
    from = nl + 1;
  }
  if (from < bytes.length) lines.push(bytes.subarray(from));
  return lines.map((l) => {
    if (!valid(l)) return 'NOT-UTF8';
    const text = l.toString('utf8');
    return text.length > max ? 'TOO-LONG' : text;
  });
}

const shown = (l: Line) => (l === null ? 'TOO-LONG' : typeof l === 'string' ? l : 'NOT-UTF8');

function read(chunks: readonly Buffer[], max: number): string[] {
  const lines = new Utf8Lines(max);
  const out: Line[] = [];
  for (const c of chunks) {
    // The reader's buffer is reused: the splitter must not keep a view of it.
    const reused = Buffer.from(c);
    lines.push(reused, out);
    reused.fill(0x58);
  }
  lines.end(out);
  return out.map(shown);
}

/** Bytes of good and bad UTF-8 and line breaks, cut at arbitrary places. */
const chunked = fc
  .array(
    fc.constantFrom(
      [0x61],
      [0x0a],
      [0xc3, 0xa9], // é
      [0xe2, 0x82, 0xac], // €
      [0xf0, 0x9f, 0x98, 0x80], // 😀
      [0xe9], // Latin-1 é
      [0xff],
      [0xc0, 0xaf], // overlong
      [0xed, 0xa0, 0x80], // a surrogate
      [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
      [0xe2, 0x82], // cut short
    ),
    { maxLength: 30 },
  )
  .chain((parts) => {
    const bytes = Buffer.from(parts.flat());
    return fc.uniqueArray(fc.nat({ max: bytes.length }), { maxLength: 8 }).map((cuts) => {
      const at = [0, ...cuts.sort((a, b) => a - b), bytes.length];
      return { bytes, chunks: at.slice(1).map((end, i) => bytes.subarray(at[i], end)) };
    });
  });

describe('firstNonUtf8', () => {
  test.prop([fc.uint8Array({ maxLength: 24 })])(
    'is -1 exactly when the decoder takes the bytes',
    (b) => {
      expect(firstNonUtf8(b) === -1).toBe(valid(b));
    },
  );
  test.prop([fc.uint8Array({ maxLength: 24 })])('everything before it is UTF-8', (b) => {
    const at = firstNonUtf8(b);
    if (at >= 0) {
      expect(valid(b.subarray(0, at))).toBe(true);
      expect(valid(b.subarray(0, at + 1))).toBe(false);
    }
  });
  test('names the place a reader can find', () => {
    const bytes = Buffer.from([0x61, 0x0a, 0xc3, 0xa9, 0x62, 0xe9, 0x0a]);
    expect(firstNonUtf8(bytes)).toBe(5);
    expect(lineColumnOf(bytes, 5)).toEqual({ line: 2, column: 3 });
  });
});

describe('wholeCharacters', () => {
  test('stops before a character the chunk cut short, and only then', () => {
    expect(wholeCharacters(Buffer.from([0x61, 0xe2, 0x82]))).toBe(1);
    expect(wholeCharacters(Buffer.from([0x61, 0xe2, 0x82, 0xac]))).toBe(4);
    expect(wholeCharacters(Buffer.from([0xf0, 0x9f, 0x98]))).toBe(0);
    expect(wholeCharacters(Buffer.from([0x61, 0xff]))).toBe(2);
  });
});

describe('Utf8Lines', () => {
  test.prop([chunked])(
    'every chunking reads the lines a whole-file reader gives',
    ({ bytes, chunks }) => {
      expect(read(chunks, 1000)).toEqual(expected(bytes, 1000));
    },
  );
  test.prop([chunked])('a line too long is reported once, as too long', ({ bytes, chunks }) => {
    const got = read(chunks, 3);
    const want = expected(bytes, 3);
    // A line both too long and not UTF-8 is reported as whichever is met first.
    expect(got.length).toBe(want.length);
    got.forEach((g, i) => {
      if (g === 'TOO-LONG' || g === 'NOT-UTF8') expect(['TOO-LONG', 'NOT-UTF8']).toContain(want[i]);
      else expect(g).toBe(want[i]);
    });
  });
  test('a bad line is named and the lines around it still read', () => {
    const out: Line[] = [];
    const lines = new Utf8Lines(100);
    lines.push(Buffer.from('one\ncaf\xe9\nthree\n', 'latin1'), out);
    lines.end(out);
    expect(out).toEqual(['one', { notUtf8: 'not UTF-8 text (byte 0xE9)' }, 'three']);
  });
  test('a character cut short by the end of the stream', () => {
    const out: Line[] = [];
    const lines = new Utf8Lines(100);
    lines.push(Buffer.from([0x61, 0x0a, 0x62, 0xe2, 0x82]), out);
    lines.end(out);
    expect(out).toEqual(['a', { notUtf8: 'not UTF-8 text (a character cut short at the end)' }]);
  });
});
