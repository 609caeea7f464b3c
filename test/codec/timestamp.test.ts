import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareTimestamps, type Timestamp } from '../../machines/time.ts';
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
  });

  it('writes nanoseconds, leap seconds and signed years as chrono does', () => {
    const at = (text: string) => encodeTimestamp(parseRfc3339(text) as Timestamp);
    expect(at('2026-05-16T01:00:10.123456789Z')).toBe('2026-05-16T01:00:10.123456789Z');
    expect(at('2026-05-16T01:00:10.9999Z')).toBe('2026-05-16T01:00:10.999900Z');
    expect(at('2026-05-16T01:00:10.000000001Z')).toBe('2026-05-16T01:00:10.000000001Z');
    expect(at('2026-05-16T01:00:10.000Z')).toBe('2026-05-16T01:00:10Z');
    expect(at('2016-12-31T23:59:60Z')).toBe('2016-12-31T23:59:60Z');
    expect(at('2016-12-31T23:59:60.5Z')).toBe('2016-12-31T23:59:60.500Z');
    expect(at('0000-01-01T00:00:00+01:00')).toBe('-0001-12-31T23:00:00Z');
    expect(at('+2026-05-16T01:00:10Z')).toBe('2026-05-16T01:00:10Z');
    expect(at('2026-05-16T01:00:10+0200')).toBe('2026-05-15T23:00:10Z');
    expect(at('2026-05-16T01:00:10 UTC')).toBe('2026-05-16T01:00:10Z');
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
    ['2026-05-16T01:00:00.000000000001Z', '2026-05-16T01:00:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    ['0050-03-01T00:00:00Z', '0050-03-01T00:00:00.000Z'],
    ['0000-01-01T00:00:00Z', '0000-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
    ['2026-05-16T01:00:00+23:59', '2026-05-15T01:01:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    const t = parseRfc3339(text);
    expect(t).not.toBeNull();
    expect(new Date(t as number).toISOString()).toBe(iso);
  });

  it('keeps sub-millisecond digits and leap seconds, and orders them to the nanosecond', () => {
    const soak = parseRfc3339('2026-05-16T01:05:00.0005Z') as Timestamp;
    expect(soak).toEqual({ second: Date.UTC(2026, 4, 16, 1, 5) / 1000, nanos: 500_000 });
    expect(compareTimestamps(Date.UTC(2026, 4, 16, 1, 5), soak)).toBeLessThan(0);
    const leap = parseRfc3339('2016-12-31T23:59:60.999Z') as Timestamp;
    expect(compareTimestamps(leap, Date.UTC(2016, 11, 31, 23, 59, 59, 999))).toBeGreaterThan(0);
    expect(compareTimestamps(leap, Date.UTC(2017, 0, 1))).toBeLessThan(0);
  });

  it('reads years past 0000-9999 only as chrono does: with a sign, up to ±262143', () => {
    expect(parseRfc3339('0000-01-01T00:00:00+00:01')).not.toBeNull();
    expect(parseRfc3339('+10000-01-01T00:00:00Z')).not.toBeNull();
    expect(parseRfc3339('10000-01-01T00:00:00Z')).toBeNull();
    expect(parseRfc3339('+262144-01-01T00:00:00Z')).toBeNull();
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
