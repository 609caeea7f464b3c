import { describe, expect, test } from 'vitest';
import { type CorpusCase, describeMismatch, loadCorpus, runCase, sameJson } from './corpus.ts';
import { KNOWN_DIFFERENCES } from './known-differences.ts';

/*
 * nixfleet's own reducers at 080d6cd answered every line of the corpus; `rollout-sim
 * step` must give the same answer to each (shared/conformance/README.md says how to
 * compare). One test per machine and kind, listing every line that disagrees.
 */

const corpus = loadCorpus();
const groups = new Map<string, CorpusCase[]>();
for (const c of corpus) {
  const key = `${c.machine} ${c.kind}`;
  groups.set(key, [...(groups.get(key) ?? []), c]);
}

describe('conformance corpus nixfleet-080d6cd', () => {
  test('holds the 25,941 lines its README describes', () => {
    expect(corpus).toHaveLength(25_941);
    expect(groups.get('rollout matrix')).toHaveLength(4_600);
    expect(groups.get('host matrix')).toHaveLength(21_112);
    expect(groups.get('rollout edge')).toHaveLength(103);
    expect(groups.get('host edge')).toHaveLength(126);
  });

  for (const [group, cases] of groups) {
    test(`${group}: every answer agrees with nixfleet`, () => {
      const differing = cases.map(runCase).filter((m) => m !== null);
      const mismatches = differing.filter((m) => !Object.hasOwn(KNOWN_DIFFERENCES, m.case));
      const shown = mismatches.slice(0, 20).map(describeMismatch).join('\n\n');
      const more = mismatches.length > 20 ? `\n\n… and ${mismatches.length - 20} more` : '';
      expect(
        mismatches,
        `${mismatches.length} of ${cases.length} lines differ:\n\n${shown}${more}`,
      ).toEqual([]);
      // Every known difference of this group still differs (else its entry is stale).
      const known = cases
        .filter((c) => Object.hasOwn(KNOWN_DIFFERENCES, c.case))
        .map((c) => c.case);
      expect(differing.map((m) => m.case).sort()).toEqual(known.sort());
    });
  }
});

describe('comparing with the corpus past 2^53', () => {
  // The corpus stored 2^53 + 1 as the double 2^53; our answer must be the exact bigint.
  test('an exact bigint agrees with the double the corpus rounded it to', () => {
    expect(sameJson({ seq: 2n ** 53n + 1n }, { seq: 2 ** 53 }, 2n ** 53n + 1n)).toBe(true);
  });
  test('a rounded number, or another bigint, does not', () => {
    expect(sameJson({ seq: 2 ** 53 }, { seq: 2 ** 53 }, 2n ** 53n + 1n)).toBe(false);
    expect(sameJson({ seq: 2n ** 53n }, { seq: 2 ** 53 }, 2n ** 53n + 1n)).toBe(false);
  });
});
