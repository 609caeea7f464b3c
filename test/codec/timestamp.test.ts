import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeTimestamp, MAX_INSTANT, MIN_INSTANT, parseRfc3339 } from '../../src/codec/index.ts';
import { instant } from '../arbitraries/index.ts';

const anyInstant = fc.integer({ min: MIN_INSTANT, max: MAX_INSTANT });

describe('encodeTimestamp', () => {
  it('writes UTC, with milliseconds only when non-zero', () => {
    expect(encodeTimestamp(Date.UTC(2026, 4, 16, 1))).toBe('2026-05-16T01:00:00Z');
    expect(encodeTimestamp(Date.UTC(2026, 4, 16, 1, 0, 0, 123))).toBe('2026-05-16T01:00:00.123Z');
    expect(encodeTimestamp(Date.UTC(2026, 4, 16, 1, 0, 0, 5))).toBe('2026-05-16T01:00:00.005Z');
    expect(encodeTimestamp(0)).toBe('1970-01-01T00:00:00Z');
    expect(encodeTimestamp(-1)).toBe('1969-12-31T23:59:59.999Z');
    expect(encodeTimestamp(MIN_INSTANT)).toBe('0000-01-01T00:00:00Z');
    expect(encodeTimestamp(MAX_INSTANT)).toBe('9999-12-31T23:59:59.999Z');
  });

  it('agrees with Date#toISOString over years 0000-9999', () => {
    fc.assert(
      fc.property(anyInstant, (t) => {
        expect(encodeTimestamp(t)).toBe(new Date(t).toISOString().replace('.000Z', 'Z'));
      }),
      { numRuns: 10_000 },
    );
  });

  it('refuses values that are not Instants', () => {
    expect(() => encodeTimestamp(1.5)).toThrow(RangeError);
    expect(() => encodeTimestamp(Number.NaN)).toThrow(RangeError);
    expect(() => encodeTimestamp(MAX_INSTANT + 1)).toThrow(RangeError);
    expect(() => encodeTimestamp(MIN_INSTANT - 1)).toThrow(RangeError);
  });
});

describe('parseRfc3339', () => {
  it('inverts encodeTimestamp everywhere', () => {
    fc.assert(fc.property(anyInstant, (t) => parseRfc3339(encodeTimestamp(t)) === t));
    fc.assert(fc.property(instant, (t) => parseRfc3339(encodeTimestamp(t)) === t));
  });

  it.each([
    ['2026-05-16T01:00:00Z', '2026-05-16T01:00:00.000Z'],
    ['2026-05-16t01:00:00z', '2026-05-16T01:00:00.000Z'],
    ['2026-05-16 01:00:00Z', '2026-05-16T01:00:00.000Z'],
    ['2026-05-16T03:30:00+02:30', '2026-05-16T01:00:00.000Z'],
    ['2026-05-15T23:00:00-02:00', '2026-05-16T01:00:00.000Z'],
    ['2026-05-16T01:00:00-00:00', '2026-05-16T01:00:00.000Z'],
    ['2026-05-16T01:00:00.1Z', '2026-05-16T01:00:00.100Z'],
    ['2026-05-16T01:00:00.12Z', '2026-05-16T01:00:00.120Z'],
    ['2026-05-16T01:00:00.123456789Z', '2026-05-16T01:00:00.123Z'],
    ['2026-05-16T01:00:00.9999999Z', '2026-05-16T01:00:00.999Z'],
    ['2026-05-16T01:00:00.000000000001Z', '2026-05-16T01:00:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    ['2016-12-31T23:59:60Z', '2017-01-01T00:00:00.000Z'],
    ['0050-03-01T00:00:00Z', '0050-03-01T00:00:00.000Z'],
    ['0000-01-01T00:00:00Z', '0000-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
    ['2026-05-16T01:00:00+23:59', '2026-05-15T01:01:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    const t = parseRfc3339(text);
    expect(t).not.toBeNull();
    expect(new Date(t as number).toISOString()).toBe(iso);
  });

  it('rejects timestamps whose UTC form leaves years 0000-9999', () => {
    expect(parseRfc3339('0000-01-01T00:00:00+00:01')).toBeNull();
    expect(parseRfc3339('9999-12-31T23:59:59-00:01')).toBeNull();
  });

  it('reads offsets as Date.parse does', () => {
    const offset = fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 });
    const local = fc.integer({ min: Date.UTC(1, 0, 2), max: Date.UTC(9998, 11, 30) });
    fc.assert(
      fc.property(local, offset, fc.boolean(), (t, minutes, space) => {
        const pad = (n: number) => String(n).padStart(2, '0');
        const sign = minutes < 0 ? '-' : '+';
        const abs = Math.abs(minutes);
        const wall = new Date(t).toISOString().slice(0, 23); // the wall-clock reading
        const text = `${wall}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
        const expected = Date.parse(text);
        expect(parseRfc3339(space ? text.replace('T', ' ') : text)).toBe(expected);
      }),
    );
  });
});
