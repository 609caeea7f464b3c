import { describe, expect, it } from 'vitest';
import { explore } from '../../sim/explore/explore.ts';
import { withFaultAlphabet } from '../../sim/explore/fault-alphabet.ts';
import { canonicalFault, hostClasses, hostOfChoice } from '../../sim/explore/symmetry.ts';
import type { Fleet } from '../../sim/fleet/fleet.ts';
import { generateFleet } from '../../sim/fleet/generate.ts';
import { PRESETS } from '../../sim/fleet/presets/index.ts';
import { profile } from '../../sim/profile.ts';

const preset = (name: string): Fleet => {
  const p = PRESETS[name];
  if (p === undefined) throw new Error(name);
  return p.build();
};

describe('hostClasses', () => {
  it('puts the hosts of one wave together and keeps waves apart', () => {
    const fleet = generateFleet({ hosts: 5, waves: 2, channels: 1 });
    const classes = hostClasses(fleet);
    const distinct = new Set([...classes.values()].map((c) => c.join(',')));
    // Every host is in exactly the class it names, and classes do not overlap.
    for (const [host, members] of classes) expect(members).toContain(host);
    const all = [...distinct].flatMap((c) => c.split(','));
    expect(new Set(all).size).toBe(all.length);
    expect(distinct.size).toBeLessThan(5);
  });

  it('keeps a host named by an edge or by a budget with a limit in a class of its own', () => {
    const fleet = generateFleet({ hosts: 4, waves: 1, channels: 1 });
    const [a, b, c] = Object.keys(fleet.hosts).sort() as [string, string, string];
    const edged: Fleet = {
      ...fleet,
      host_edges: [{ gated: a, gates: b, reason: null }],
      disruption_budgets: [
        { selector: 'x', hosts: [c], max_in_flight: 1, max_in_flight_pct: null },
      ],
    };
    const classes = hostClasses(edged);
    for (const h of [a, b, c]) expect(classes.get(h)).toEqual([h]);
  });
});

describe('canonicalFault', () => {
  const classes = new Map([
    ['h1', ['h1', 'h2', 'h3']],
    ['h2', ['h1', 'h2', 'h3']],
    ['h3', ['h1', 'h2', 'h3']],
    ['solo', ['solo']],
  ]);
  it('allows the first alike host, a host already hit, and the next one not yet hit', () => {
    expect(canonicalFault(classes, 'h1', [])).toBe(true);
    expect(canonicalFault(classes, 'h2', [])).toBe(false);
    expect(canonicalFault(classes, 'h1', ['h1'])).toBe(true);
    expect(canonicalFault(classes, 'h2', ['h1'])).toBe(true);
    expect(canonicalFault(classes, 'h3', ['h1'])).toBe(false);
    expect(canonicalFault(classes, 'solo', ['h1'])).toBe(true);
    expect(canonicalFault(classes, null, [])).toBe(true);
  });

  it('reads the host out of a choice point by its whole name', () => {
    const hosts = new Set(['web-1', 'web-10']);
    expect(hostOfChoice(hosts, 'drop agent_event web-10')).toBe('web-10');
    expect(hostOfChoice(hosts, 'successor published on stable')).toBeNull();
  });
});

describe('explore with symmetry', () => {
  for (const [name, fleet] of [
    ['bad-release', preset('bad-release')],
    ['supersede', preset('supersede')],
    ['generated 5 hosts', generateFleet({ hosts: 5, waves: 2, channels: 1, soakMinutes: 0 })],
  ] as const) {
    it(`${name}: fewer paths, the same violations as every host faulted`, () => {
      const all = withFaultAlphabet(fleet, 'all');
      const options = { fleet: all, profile: profile('faithful'), maxFaults: 1, maxRuns: 20_000 };
      const reduced = explore(options);
      const full = explore({ ...options, symmetry: false });
      expect(reduced.truncated || full.truncated).toBe(false);
      expect(reduced.symmetric).toBeGreaterThan(0);
      expect(reduced.runs + reduced.symmetric).toBe(full.runs);
      const ids = (r: typeof full) => r.violations.map((v) => v.invariant).sort();
      expect(ids(reduced)).toEqual(ids(full));
      expect(full.symmetric).toBe(0);
    });
  }
});
