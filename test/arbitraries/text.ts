import fc from 'fast-check';

/**
 * Strings for names, ids and messages: mostly plausible words, sometimes anything at all
 * (graphemes, and lone surrogates that JSON must escape).
 */
export const text: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/), weight: 3 },
  { arbitrary: fc.string(), weight: 1 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 8 }), weight: 1 },
);

/** A rollout id, usually `channel@ref`. */
export const rolloutIdText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.tuple(text, text).map(([channel, ref]) => `${channel}@${ref}`), weight: 3 },
  { arbitrary: text, weight: 1 },
);

/** A probe name; `__proto__` is left to a dedicated test. */
export const probeName: fc.Arbitrary<string> = text.filter((name) => name !== '__proto__');
