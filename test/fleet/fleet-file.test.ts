import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { canonicalFleet } from '../../sim/fleet/canonical.ts';
import { DEFAULT_ACTIVATION_FAULTS, DEFAULT_NETWORK_FAULTS } from '../../sim/fleet/defaults.ts';
import { channelWaves, type Fleet } from '../../sim/fleet/fleet.ts';
import { validateFleet } from '../../sim/fleet/validate.ts';
import { fleetNameOf, formatOf, loadFleetFile, parseFleet } from '../../src/fleet-file/index.ts';

const EXAMPLE = new URL('../../examples/fleet.yaml', import.meta.url);

/** A fleet file as plain data, edited freely by the tests. */
// biome-ignore lint/suspicious/noExplicitAny: tests reach into and break documents of any shape
type Doc = Record<string, any>;

/** A small valid file: one channel, a staged policy of 2 waves, 6 hosts. */
function minimal(): Doc {
  return {
    channels: { stable: { rollout_policy: 'staged', initial_ref: 'v1' } },
    rollout_policies: {
      canary: { strategy: 'canary', waves: [{ hosts: ['web-01'] }] },
      staged: {
        strategy: 'staged',
        waves: [
          { hosts: ['web-01', 'web-02'], soak_minutes: 5 },
          { hosts: ['web-03', 'web-04', 'web-05', 'web-06'] },
        ],
      },
    },
    hosts: Object.fromEntries(
      ['web-01', 'web-02', 'web-03', 'web-04', 'web-05', 'web-06'].map((h) => [
        h,
        { channel: 'stable' },
      ]),
    ),
  };
}

/** Parse a file given as an object (written as YAML), after `edit` changed it. */
function parseEdited(edit: (file: Doc) => void, source = 'fleet.yaml') {
  const file = minimal();
  edit(file);
  return parseFleet(toYaml(file), source);
}

function ok(result: ReturnType<typeof parseFleet>): Fleet {
  if (!result.ok) throw new Error(result.error);
  return result.fleet;
}

describe('the example file (examples/fleet.yaml)', () => {
  let fleet: Fleet;
  beforeAll(() => {
    fleet = ok(loadFleetFile(EXAMPLE.pathname));
  });

  it('parses, validates and comes out canonical', () => {
    expect(validateFleet(fleet)).toBeNull();
    expect(JSON.stringify(canonicalFleet(fleet))).toBe(JSON.stringify(fleet));
    expect(fleet.name).toBe('example');
    expect(Object.keys(fleet.hosts)).toEqual([
      'canary-01',
      'canary-02',
      'canary-03',
      'db-01',
      'db-02',
      'web-01',
      'web-02',
      'web-03',
      'web-04',
      'web-05',
      'web-06',
    ]);
  });

  it('resolves channels and releases (minutes → seconds)', () => {
    expect(fleet.channels).toEqual({
      'canary-ring': { rollout_policy: 'canary', initial_ref: '2026.05.1', releases: [] },
      stable: {
        rollout_policy: 'staged',
        initial_ref: '2026.05.1',
        releases: [{ at_seconds: 2700, ref: '2026.05.2' }],
      },
    });
  });

  it('resolves wave selectors per policy, "*" taking the hosts no earlier wave took', () => {
    expect(fleet.rollout_policies.canary).toEqual({
      strategy: 'canary',
      on_health_failure: 'rollback-and-halt',
      waves: [
        { hosts: ['canary-01', 'canary-02'], soak_minutes: 10 },
        { hosts: ['canary-03'], soak_minutes: 5 },
      ],
    });
    expect(fleet.rollout_policies.staged).toEqual({
      strategy: 'staged',
      on_health_failure: 'halt',
      waves: [
        { hosts: ['web-01', 'web-02'], soak_minutes: 5 },
        { hosts: ['web-03', 'web-04', 'web-05', 'web-06'], soak_minutes: 10 },
        { hosts: ['db-01', 'db-02'], soak_minutes: 15 },
      ],
    });
    // an all-at-once policy no channel uses: one match-all wave of nobody
    expect(fleet.rollout_policies.emergency).toEqual({
      strategy: 'all-at-once',
      on_health_failure: 'rollback-and-halt',
      waves: [{ hosts: [], soak_minutes: 0 }],
    });
  });

  it('merges host_defaults: channel, probes by name, the host’s own probes and closure', () => {
    const http = {
      name: 'http',
      kind: 'http',
      mode: 'enforce',
      interval_seconds: 30,
      run_once: false,
    };
    const latency = {
      name: 'latency',
      kind: 'metrics',
      mode: 'observe',
      interval_seconds: 60,
      run_once: false,
    };
    expect(fleet.hosts['web-01']).toEqual({
      channel: 'stable',
      tags: ['web'],
      probes: [http, latency],
      initial_closure: 'web-01-base',
    });
    expect(fleet.hosts['canary-03']).toEqual({
      channel: 'canary-ring',
      tags: [],
      probes: [http, latency],
      initial_closure: 'canary-03-base',
    });
    expect(fleet.hosts['db-01']).toEqual({
      channel: 'stable',
      tags: ['db'],
      probes: [
        http,
        latency,
        { name: 'pg', kind: 'tcp', mode: 'enforce', interval_seconds: 15, run_once: false },
      ],
      initial_closure: 'db-01-2026.04',
    });
  });

  it('resolves edges and budgets', () => {
    expect(fleet.channel_edges).toEqual([
      {
        gates: 'canary-ring',
        gated: 'stable',
        reason: 'stable ships what the canary ring has run',
      },
    ]);
    expect(fleet.host_edges).toEqual([
      { gated: 'db-02', gates: 'db-01', reason: 'replica after primary' },
    ]);
    expect(fleet.disruption_budgets).toEqual([
      {
        selector: 'web-pool',
        hosts: ['web-01', 'web-02', 'web-03', 'web-04', 'web-05', 'web-06'],
        max_in_flight: 2,
        max_in_flight_pct: null,
      },
    ]);
  });

  it('resolves faults: rules expanded to hosts (by tags, by wave of the host’s own policy), times in seconds', () => {
    expect(fleet.faults.activation).toEqual({
      duration_seconds: [5, 30],
      failure_rate: 0,
      deferral_rate: 0.05,
      deferral_components: ['kernel', 'systemd'],
      failing_refs: [],
      deferring_refs: [],
    });
    expect(fleet.faults.probes).toEqual([
      {
        pattern: 'late-fail',
        refs: ['2026.05.2'],
        hosts: ['db-02'],
        probe: 'pg',
        rate: 1,
        after_seconds: 120,
      },
      {
        pattern: 'flaky',
        refs: [],
        hosts: ['web-01', 'web-02', 'web-03', 'web-04', 'web-05', 'web-06'],
        probe: 'latency',
        rate: 0.1,
        after_seconds: 0,
      },
      {
        pattern: 'recover',
        refs: [],
        hosts: ['db-01', 'db-02'],
        probe: 'http',
        rate: 1,
        after_seconds: 40,
      },
    ]);
    expect(fleet.faults.network).toEqual({
      latency_ms: [5, 50],
      drop_rate: 0.01,
      duplicate_rate: 0.005,
      partitions: [{ hosts: ['web-06'], from_seconds: 1200, to_seconds: 1500 }],
    });
    expect(fleet.faults.cp_restarts).toEqual([{ at_seconds: 1800, down_seconds: 45 }]);
    expect(fleet.operator).toEqual({
      reboot_deferred_after_seconds: [600, 1200],
      clearances: [
        { at_seconds: 5400, channel: 'stable', reason: 'failure investigated, cleared' },
      ],
    });
  });

  it('stages every host of a channel exactly once', () => {
    for (const [host, decl] of Object.entries(fleet.hosts))
      expect(
        channelWaves(fleet, decl.channel).filter((w) => w.hosts.includes(host)),
        host,
      ).toHaveLength(1);
  });

  it('reads the same from its JSON equivalent', () => {
    const json = JSON.stringify(parseYaml(readFileSync(EXAMPLE, 'utf8')), null, 2);
    expect(parseFleet(json, 'fleet.json')).toEqual({ ok: true, fleet });
    // …and the JSON is read as JSON: YAML-only syntax in a .json file is an error
    expect(parseFleet(`# comment\n${json}`, 'fleet.json')).toEqual({
      ok: false,
      error: 'fleet.json:1:1: JSON syntax error: expected a value, found "#"',
    });
  });
});

describe('resolution', () => {
  it('fills defaults: name from the file name, on_health_failure, soak 0, probe fields, faults, operator', () => {
    const fleet = ok(
      parseEdited((f) => {
        f.hosts['web-01'].probes = [{ name: 'http' }];
      }, 'conf/my-fleet.yml'),
    );
    expect(fleet.name).toBe('my-fleet');
    expect(fleet.rollout_policies.staged?.on_health_failure).toBe('rollback-and-halt');
    expect(fleet.rollout_policies.staged?.waves[1]?.soak_minutes).toBe(0);
    expect(fleet.hosts['web-01']?.probes).toEqual([
      { name: 'http', kind: 'http', mode: 'enforce', interval_seconds: 30, run_once: false },
    ]);
    expect(fleet.hosts['web-02']).toEqual({
      channel: 'stable',
      tags: [],
      probes: [],
      initial_closure: 'web-02-base',
    });
    expect(fleet.faults).toEqual({
      activation: DEFAULT_ACTIVATION_FAULTS,
      probes: [],
      network: DEFAULT_NETWORK_FAULTS,
      cp_restarts: [],
    });
    expect(fleet.operator).toEqual({ reboot_deferred_after_seconds: [600, 1200], clearances: [] });
    expect(fleet.channel_edges).toEqual([]);
    expect(fleet.host_edges).toEqual([]);
    expect(fleet.disruption_budgets).toEqual([]);
  });

  it('all-at-once without waves is one soak-0 wave of every host of the channels using the policy', () => {
    const fleet = ok(
      parseEdited((f) => {
        f.channels.edge = { rollout_policy: 'now', initial_ref: 'v1' };
        f.channels.beta = { rollout_policy: 'now', initial_ref: 'v1' };
        f.rollout_policies.now = { strategy: 'all-at-once' };
        f.hosts['edge-02'] = { channel: 'edge' };
        f.hosts['edge-01'] = { channel: 'edge' };
        f.hosts['beta-01'] = { channel: 'beta' };
      }),
    );
    expect(fleet.rollout_policies.now).toEqual({
      strategy: 'all-at-once',
      on_health_failure: 'rollback-and-halt',
      waves: [{ hosts: ['beta-01', 'edge-01', 'edge-02'], soak_minutes: 0 }],
    });
  });

  it('selects wave hosts by tags (all of them), by glob (* and ?), or both', () => {
    const fleet = ok(
      parseEdited((f) => {
        f.hosts['web-01'].tags = ['eu', 'canary'];
        f.hosts['web-02'].tags = ['eu'];
        f.hosts['web-03'].tags = ['eu', 'big'];
        f.rollout_policies.staged.waves = [
          { selector: { tags: ['eu', 'canary'] } },
          { selector: { tags: ['eu'], glob: 'web-0?' } },
          { selector: 'web-0?' },
        ];
      }),
    );
    expect(channelWaves(fleet, 'stable').map((w) => w.hosts)).toEqual([
      ['web-01'],
      ['web-02', 'web-03'],
      ['web-04', 'web-05', 'web-06'],
    ]);
  });

  it('treats glob metacharacters other than * and ? literally', () => {
    const fleet = ok(
      parseEdited((f) => {
        f.hosts['web.07'] = { channel: 'stable' };
        f.rollout_policies.staged.waves = [{ selector: 'web.*' }, { selector: '*' }];
      }),
    );
    expect(channelWaves(fleet, 'stable')[0]?.hosts).toEqual(['web.07']);
  });

  it('applies host_defaults: default channel, tags added, probes merged by name', () => {
    const fleet = ok(
      parseEdited((f) => {
        f.host_defaults = {
          channel: 'stable',
          tags: ['fleet'],
          probes: [{ name: 'http' }, { name: 'disk', mode: 'observe' }],
        };
        f.hosts['web-01'] = {
          tags: ['web', 'fleet'],
          probes: [{ name: 'http', interval_seconds: 10 }],
        };
        f.hosts['web-02'] = {};
      }),
    );
    expect(fleet.hosts['web-01']).toEqual({
      channel: 'stable',
      tags: ['fleet', 'web'],
      probes: [
        { name: 'disk', kind: 'http', mode: 'observe', interval_seconds: 30, run_once: false },
        { name: 'http', kind: 'http', mode: 'enforce', interval_seconds: 10, run_once: false },
      ],
      initial_closure: 'web-01-base',
    });
    expect(fleet.hosts['web-02']?.tags).toEqual(['fleet']);
    // a host with nothing of its own may be left empty in YAML (`web-03:`)
    const bare = ok(
      parseFleet(
        toYaml({ ...minimal(), host_defaults: { channel: 'stable' } }).replace(
          'web-03:\n    channel: stable',
          'web-03:',
        ),
        'f.yaml',
      ),
    );
    expect(bare.hosts['web-03']?.channel).toBe('stable');
    expect(fleet.hosts['web-02']?.probes.map((p) => p.name)).toEqual(['disk', 'http']);
  });

  it('converts every minutes key to seconds (to the millisecond)', () => {
    const fleet = ok(
      parseEdited((f) => {
        f.channels.stable.releases = [
          { at_minutes: 0.1, ref: 'v2' },
          { at_seconds: 90, ref: 'v3' },
        ];
        f.faults = {
          network: { partitions: [{ from_minutes: 1.5, to_seconds: 100 }] },
          cp_restarts: [{ at_minutes: 2, down_seconds: 5 }],
        };
        f.operator = {
          reboot_deferred_after_minutes: [1, 2.5],
          clearances: [{ at_minutes: 3, channel: 'stable' }],
        };
      }),
    );
    expect(fleet.channels.stable?.releases).toEqual([
      { at_seconds: 6, ref: 'v2' },
      { at_seconds: 90, ref: 'v3' },
    ]);
    expect(fleet.faults.network.partitions).toEqual([
      { hosts: [], from_seconds: 90, to_seconds: 100 },
    ]);
    expect(fleet.faults.cp_restarts).toEqual([{ at_seconds: 120, down_seconds: 5 }]);
    expect(fleet.operator).toEqual({
      reboot_deferred_after_seconds: [60, 150],
      clearances: [{ at_seconds: 180, channel: 'stable', reason: 'operator clearance' }],
    });
  });

  it('accepts the legacy before/after spelling of channel edges, and reboot: null', () => {
    const fleet = ok(
      parseEdited((f) => {
        f.channels.edge = { rollout_policy: 'staged', initial_ref: 'v1' };
        f.hosts['edge-01'] = { channel: 'edge' };
        f.channel_edges = [{ before: 'edge', after: 'stable' }];
        f.operator = { reboot_deferred_after_minutes: null };
      }),
    );
    expect(fleet.channel_edges).toEqual([{ gates: 'edge', gated: 'stable', reason: null }]);
    expect(fleet.operator.reboot_deferred_after_seconds).toBeNull();
  });

  it('expands fault-rule waves with each host’s own channel policy, and budget matches', () => {
    const fleet = ok(
      parseEdited((f) => {
        f.hosts['web-02'].tags = ['db'];
        f.faults = {
          probes: [
            { pattern: 'fail', waves: [1] },
            { pattern: 'recover', tags: ['db'], after_seconds: 5 },
          ],
        };
        f.disruption_budgets = [{ selector: 'odd', match: 'web-0?', max_in_flight_pct: 50 }];
      }),
    );
    expect(fleet.faults.probes.map((r) => r.hosts)).toEqual([
      ['web-03', 'web-04', 'web-05', 'web-06'],
      ['web-02'],
    ]);
    expect(fleet.disruption_budgets[0]).toEqual({
      selector: 'odd',
      hosts: ['web-01', 'web-02', 'web-03', 'web-04', 'web-05', 'web-06'],
      max_in_flight: null,
      max_in_flight_pct: 50,
    });
  });

  it('sorts map keys and host lists but keeps the order of lists that mean something', () => {
    const fleet = ok(
      parseFleet(
        [
          'hosts: {b: {channel: s, tags: [z, a]}, a: {channel: s}, c: {channel: s}}',
          'rollout_policies: {p: {strategy: staged, waves: [{hosts: [c, a]}, {hosts: [b]}]}}',
          'channels: {s: {rollout_policy: p, initial_ref: r1}}',
          'faults: {probes: [{pattern: fail, hosts: [c, b]}, {pattern: flaky, rate: 0.5}]}',
        ].join('\n'),
        'x.yaml',
      ),
    );
    expect(Object.keys(fleet)).toEqual([
      'name',
      'channels',
      'rollout_policies',
      'hosts',
      'channel_edges',
      'host_edges',
      'disruption_budgets',
      'faults',
      'operator',
    ]);
    expect(Object.keys(fleet.hosts)).toEqual(['a', 'b', 'c']);
    expect(fleet.hosts.b?.tags).toEqual(['a', 'z']);
    expect(fleet.rollout_policies.p?.waves.map((w) => w.hosts)).toEqual([['a', 'c'], ['b']]);
    expect(fleet.faults.probes.map((r) => r.pattern)).toEqual(['fail', 'flaky']);
    expect(fleet.faults.probes[0]?.hosts).toEqual(['b', 'c']);
  });

  it('supports YAML anchors and merge keys', () => {
    const fleet = ok(
      parseFleet(
        [
          'channels: {s: {rollout_policy: p, initial_ref: r1}}',
          'rollout_policies: {p: {strategy: all-at-once}}',
          'hosts:',
          '  a: &h {channel: s, tags: [x]}',
          '  b: *h',
          '  c: {<<: *h, tags: [y]}',
        ].join('\n'),
        'x.yaml',
      ),
    );
    expect(Object.values(fleet.hosts).map((h) => h.tags)).toEqual([['x'], ['x'], ['y']]);
  });

  it('chooses the syntax by extension', () => {
    expect(formatOf('a/b.json')).toBe('json');
    expect(formatOf('a/b.JSON')).toBe('json');
    expect(formatOf('b.yaml')).toBe('yaml');
    expect(formatOf('b.yml')).toBe('yaml');
    expect(formatOf('fleet')).toBe('yaml');
    expect(fleetNameOf('dir/prod.fleet.json')).toBe('prod.fleet');
    expect(fleetNameOf('fleet')).toBe('fleet');
    expect(ok(parseFleet(JSON.stringify(minimal()), 'fleet.txt')).name).toBe('fleet.txt');
  });
});

describe('clock skew and replays', () => {
  it('reads a skew either side of zero and replays with the missing rate 0', () => {
    const fleet = ok(
      parseEdited((f) => {
        f.faults = { clock_skew_seconds: [-90, 30], replays: { wave_advances: 0.2 } };
      }),
    );
    expect(fleet.faults.clock_skew_seconds).toEqual([-90, 30]);
    expect(fleet.faults.replays).toEqual({ events_past_route: 0, wave_advances: 0.2 });
    expect(validateFleet(fleet)).toBeNull();
  });

  it('leaves both out when the file does not name them', () => {
    const fleet = ok(parseEdited(() => {}));
    expect(fleet.faults.clock_skew_seconds).toBeUndefined();
    expect(fleet.faults.replays).toBeUndefined();
    expect(fleet.faults.manifest_failure_rate).toBeUndefined();
  });

  it('reads a manifest failure rate', () => {
    const fleet = ok(
      parseEdited((f) => {
        f.faults = { manifest_failure_rate: 0.25 };
      }),
    );
    expect(fleet.faults.manifest_failure_rate).toBe(0.25);
    expect(validateFleet(fleet)).toBeNull();
  });
});

describe('errors: one line, prefixed with the source, naming the path', () => {
  it.each<[string, (f: Doc) => void, string]>([
    [
      'a key typo',
      (f) => {
        f.rollout_policies.staged.waves[0] = { hosts: ['web-01', 'web-02'], soak_minute: 5 };
      },
      'fleet.yaml: rollout_policies.staged.waves[0].soak_minute: unknown key (did you mean "soak_minutes"?)',
    ],
    [
      'a typo in a required key (reported as the typo, not as the missing key)',
      (f) => {
        f.channels.stable = { rollout_polcy: 'staged', initial_ref: 'v1' };
      },
      'fleet.yaml: channels.stable.rollout_polcy: unknown key (did you mean "rollout_policy"?)',
    ],
    [
      'a top-level key typo',
      (f) => {
        f.host_default = {};
      },
      'fleet.yaml: host_default: unknown key (did you mean "host_defaults"?)',
    ],
    [
      'an unknown key with no close match',
      (f) => {
        f.hosts['web-01'].colour = 'blue';
      },
      'fleet.yaml: hosts.web-01.colour: unknown key (known: channel, tags, probes, initial_closure)',
    ],
    [
      'an unknown policy',
      (f) => {
        f.channels.stable.rollout_policy = 'canry';
      },
      'fleet.yaml: channels.stable.rollout_policy: unknown policy "canry" (known: canary, staged)',
    ],
    [
      'an unknown channel',
      (f) => {
        f.hosts['web-03'].channel = 'stabel';
      },
      'fleet.yaml: hosts.web-03.channel: unknown channel "stabel" (known: stable)',
    ],
    [
      'an unknown host in a wave',
      (f) => {
        f.rollout_policies.staged.waves[1].hosts = ['web-03', 'web-04', 'web-05', 'web-99'];
      },
      'fleet.yaml: rollout_policies.staged.waves[1].hosts[3]: unknown host "web-99"',
    ],
    [
      'a host in two waves',
      (f) => {
        f.rollout_policies.staged.waves[1].hosts[0] = 'web-01';
      },
      'fleet.yaml: rollout_policies.staged.waves[1].hosts[0]: host "web-01" is already in wave 0',
    ],
    [
      'a host a selector already placed',
      (f) => {
        f.rollout_policies.staged.waves = [{ selector: 'web-*' }, { hosts: ['web-02'] }];
      },
      'fleet.yaml: rollout_policies.staged.waves[1].hosts[0]: host "web-02" is already in wave 0',
    ],
    [
      'a channel no host follows (its rollout stayed Opening: the run ended "stalled")',
      (f) => {
        f.channels.edge = { rollout_policy: 'staged', initial_ref: 'v1' };
      },
      'fleet.yaml: channels.edge: no host follows this channel, so its rollout would stay Opening and never finish',
    ],
    [
      'a cycle in channel edges',
      (f) => {
        f.channels.edge = { rollout_policy: 'staged', initial_ref: 'v1' };
        f.hosts['edge-01'] = { channel: 'edge' };
        f.channel_edges = [
          { gates: 'stable', gated: 'edge' },
          { gates: 'edge', gated: 'stable' },
        ];
      },
      'fleet.yaml: channel_edges: cycle stable → edge → stable',
    ],
    [
      'an unknown channel in a legacy edge (named by the file’s key)',
      (f) => {
        f.channel_edges = [{ before: 'canary-ring', after: 'stable' }];
      },
      'fleet.yaml: channel_edges[0].before: unknown channel "canary-ring" (known: stable)',
    ],
    [
      'a negative soak',
      (f) => {
        f.rollout_policies.staged.waves[0].soak_minutes = -5;
      },
      'fleet.yaml: rollout_policies.staged.waves[0].soak_minutes: must be ≥ 0, got -5',
    ],
    [
      'a fractional soak',
      (f) => {
        f.rollout_policies.staged.waves[0].soak_minutes = 2.5;
      },
      'fleet.yaml: rollout_policies.staged.waves[0].soak_minutes: expected an integer, got 2.5',
    ],
    [
      'a bad rate',
      (f) => {
        f.faults = { activation: { failure_rate: 1.5 } };
      },
      'fleet.yaml: faults.activation.failure_rate: must be in [0, 1], got 1.5',
    ],
    [
      'a clock skew with one number',
      (f) => {
        f.faults = { clock_skew_seconds: [30] };
      },
      'fleet.yaml: faults.clock_skew_seconds: expected [min, max] (two numbers), got 1 number',
    ],
    [
      'a clock skew the wrong way round',
      (f) => {
        f.faults = { clock_skew_seconds: [60, -60] };
      },
      'fleet.yaml: faults.clock_skew_seconds: must be [min, max] with min ≤ max, got [60, -60]',
    ],
    [
      'a replay rate past 1',
      (f) => {
        f.faults = { replays: { events_past_route: 2 } };
      },
      'fleet.yaml: faults.replays.events_past_route: must be in [0, 1], got 2',
    ],
    [
      'a manifest failure rate past 1',
      (f) => {
        f.faults = { manifest_failure_rate: 1.5 };
      },
      'fleet.yaml: faults.manifest_failure_rate: must be in [0, 1], got 1.5',
    ],
    [
      'a wrong type',
      (f) => {
        f.hosts['web-01'].tags = 'web';
      },
      'fleet.yaml: hosts.web-01.tags: expected a list, got "web"',
    ],
    [
      'a number where a ref is expected (unquoted YAML)',
      (f) => {
        f.channels.stable.initial_ref = 2026.05;
      },
      'fleet.yaml: channels.stable.initial_ref: expected a string, got 2026.05',
    ],
    [
      'a missing required key',
      (f) => {
        delete f.channels.stable.initial_ref;
      },
      'fleet.yaml: channels.stable.initial_ref: missing (expected a string)',
    ],
    [
      'a missing section',
      (f) => {
        delete f.hosts;
      },
      'fleet.yaml: hosts: missing (expected a mapping)',
    ],
    [
      'a bad enum value',
      (f) => {
        f.rollout_policies.staged.strategy = 'stagged';
      },
      'fleet.yaml: rollout_policies.staged.strategy: expected one of "canary", "staged", "all-at-once", got "stagged"',
    ],
    [
      'a staged policy without waves',
      (f) => {
        delete f.rollout_policies.staged.waves;
      },
      'fleet.yaml: rollout_policies.staged.waves: a staged policy needs at least one wave (only all-at-once may omit them)',
    ],
    [
      'a wave with both hosts and a selector',
      (f) => {
        f.rollout_policies.staged.waves[0].selector = '*';
      },
      'fleet.yaml: rollout_policies.staged.waves[0].selector: give only one of hosts, selector',
    ],
    [
      'a wave with neither hosts nor selector',
      (f) => {
        f.rollout_policies.staged.waves[0] = { soak_minutes: 1 };
      },
      'fleet.yaml: rollout_policies.staged.waves[0]: missing hosts or selector',
    ],
    [
      'an empty host list',
      (f) => {
        f.rollout_policies.staged.waves[0].hosts = [];
      },
      'fleet.yaml: rollout_policies.staged.waves[0].hosts: must not be empty',
    ],
    [
      'a selector that matches nothing',
      (f) => {
        f.rollout_policies.staged.waves[1] = { selector: { tags: ['db'] } };
      },
      'fleet.yaml: rollout_policies.staged.waves[1].selector: matches no host of "stable" that is not already in an earlier wave',
    ],
    [
      'a selector of the wrong shape',
      (f) => {
        f.rollout_policies.staged.waves[1] = { selector: 5 };
      },
      'fleet.yaml: rollout_policies.staged.waves[1].selector: expected a selector: a glob string like "web-*" or {tags: [...], glob: "..."}',
    ],
    [
      'a typo inside a selector',
      (f) => {
        f.rollout_policies.staged.waves[1] = { selector: { tag: ['db'] } };
      },
      'fleet.yaml: rollout_policies.staged.waves[1].selector.tag: unknown key (did you mean "tags"?)',
    ],
    [
      'a host without a channel',
      (f) => {
        f.hosts['web-02'] = { tags: [] };
      },
      'fleet.yaml: hosts.web-02.channel: missing (set it on the host or in host_defaults)',
    ],
    // A host gives no initial_closure: the default `<host>-base` is written nowhere, so
    // the error names the host and where the clashing ref is (it named
    // hosts.base.initial_closure, a key the file does not have).
    [
      'a default initial_closure that is the target closure of the initial ref',
      (f) => {
        f.channels.stable.initial_ref = 'base';
        f.hosts.base = { channel: 'stable' };
      },
      'fleet.yaml: hosts.base: its default initial_closure "base-base" is the host\'s target closure for ref "base" (channels.stable.initial_ref): give the host an initial_closure',
    ],
    [
      '… of a release, with the channel from host_defaults',
      (f) => {
        f.host_defaults = { channel: 'stable' };
        f.channels.stable.releases = [{ at_minutes: 5, ref: 'base' }];
        f.hosts.base = null;
      },
      'fleet.yaml: hosts.base: its default initial_closure "base-base" is the host\'s target closure for ref "base" (channels.stable.releases[0].ref): give the host an initial_closure',
    ],
    [
      'an initial_closure the file gives is still named where it is written',
      (f) => {
        f.channels.stable.initial_ref = 'base';
        f.hosts.base = { channel: 'stable', initial_closure: 'base-base' };
      },
      'fleet.yaml: hosts.base.initial_closure: "base-base" is the host\'s target closure for ref "base"',
    ],
    [
      'an invalid host name',
      (f) => {
        f.hosts['web 07'] = { channel: 'stable' };
      },
      'fleet.yaml: hosts["web 07"]: invalid name "web 07" (letters, digits, ".", "_" and "-", starting with a letter or digit)',
    ],
    [
      'a probe declared twice',
      (f) => {
        f.hosts['web-01'].probes = [{ name: 'http' }, { name: 'http', mode: 'observe' }];
      },
      'fleet.yaml: hosts.web-01.probes[1].name: probe "http" is declared twice',
    ],
    [
      'a probe interval of 0',
      (f) => {
        f.hosts['web-01'].probes = [{ name: 'http', interval_seconds: 0 }];
      },
      "fleet.yaml: hosts.web-01.probes[0].interval_seconds: must be ≥ 0.001 (a millisecond, the clock's resolution), got 0",
    ],
    [
      'both at_minutes and at_seconds',
      (f) => {
        f.channels.stable.releases = [{ at_minutes: 1, at_seconds: 60, ref: 'v2' }];
      },
      'fleet.yaml: channels.stable.releases[0].at_seconds: give only one of at_minutes, at_seconds',
    ],
    [
      'a release without a time',
      (f) => {
        f.channels.stable.releases = [{ ref: 'v2' }];
      },
      'fleet.yaml: channels.stable.releases[0]: missing at_minutes or at_seconds',
    ],
    [
      'releases out of order (named by the file’s at_minutes)',
      (f) => {
        f.channels.stable.releases = [
          { at_minutes: 10, ref: 'v2' },
          { at_minutes: 5, ref: 'v3' },
        ];
      },
      'fleet.yaml: channels.stable.releases[1].at_minutes: releases must be in strictly increasing time order: 300 s is not after the previous release at 600 s',
    ],
    [
      'a release of the initial ref',
      (f) => {
        f.channels.stable.releases = [{ at_minutes: 10, ref: 'v1' }];
      },
      'fleet.yaml: channels.stable.releases[0].ref: ref "v1" is the channel\'s initial_ref',
    ],
    [
      'a flaky rule without a rate',
      (f) => {
        f.faults = { probes: [{ pattern: 'flaky' }] };
      },
      'fleet.yaml: faults.probes[0].rate: required for pattern "flaky" (the failure probability of each run)',
    ],
    [
      'a fault rule with two host selections',
      (f) => {
        f.faults = { probes: [{ pattern: 'fail', hosts: ['web-01'], tags: ['web'] }] };
      },
      'fleet.yaml: faults.probes[0].tags: give only one of hosts, tags, waves',
    ],
    [
      'a fault rule on waves no host is in',
      (f) => {
        f.faults = { probes: [{ pattern: 'fail', waves: [7] }] };
      },
      "fleet.yaml: faults.probes[0].waves: matches no host: no host is in these waves of its channel's policy",
    ],
    [
      'a fault rule on an unknown probe',
      (f) => {
        f.faults = { probes: [{ pattern: 'fail', hosts: ['web-01'], probe: 'htp' }] };
      },
      'fleet.yaml: faults.probes[0].probe: no host it applies to has a probe named "htp"',
    ],
    [
      'a deferring ref no channel publishes',
      (f) => {
        f.faults = { activation: { deferring_refs: ['v9'] } };
      },
      'fleet.yaml: faults.activation.deferring_refs[0]: unknown ref "v9" (known: v1)',
    ],
    [
      'an inverted range',
      (f) => {
        f.faults = { network: { latency_ms: [50, 5] } };
      },
      'fleet.yaml: faults.network.latency_ms: must be [min, max] with min ≤ max, got [50, 5]',
    ],
    [
      'a range of the wrong length',
      (f) => {
        f.operator = { reboot_deferred_after_minutes: [10] };
      },
      'fleet.yaml: operator.reboot_deferred_after_minutes: expected [min, max] (two numbers), got 1 number',
    ],
    [
      'a partition ending before it starts (named by the file’s to_minutes)',
      (f) => {
        f.faults = { network: { partitions: [{ from_minutes: 5, to_minutes: 5 }] } };
      },
      'fleet.yaml: faults.network.partitions[0].to_minutes: must be after from_seconds (300), got 300',
    ],
    [
      'a budget of 0 in flight',
      (f) => {
        f.disruption_budgets = [{ selector: 'all', match: '*', max_in_flight: 0 }];
      },
      'fleet.yaml: disruption_budgets[0].max_in_flight: must be ≥ 1, got 0',
    ],
    [
      'a budget over an unknown host',
      (f) => {
        f.disruption_budgets = [{ selector: 'all', hosts: ['web-01', 'db-01'], max_in_flight: 1 }];
      },
      'fleet.yaml: disruption_budgets[0].hosts[1]: unknown host "db-01"',
    ],
    [
      'a clearance for an unknown channel',
      (f) => {
        f.operator = { clearances: [{ at_minutes: 1, channel: 'beta' }] };
      },
      'fleet.yaml: operator.clearances[0].channel: unknown channel "beta" (known: stable)',
    ],
    [
      'an escape sequence in the fleet name',
      (f) => {
        f.name = 'prod\u001b[2J';
      },
      'fleet.yaml: name: must not contain control characters, got "prod\\u001b[2J"',
    ],
    [
      'an "@" in a release ref',
      (f) => {
        f.channels.stable.releases = [{ at_minutes: 1, ref: 'v@2' }];
      },
      'fleet.yaml: channels.stable.releases[0].ref: invalid ref "v@2" (must be non-empty, with no spaces and no "@": a rollout id is channel@ref)',
    ],
    [
      'an escape sequence in a ref',
      (f) => {
        f.channels.stable.releases = [{ at_minutes: 1, ref: 'v2\u001b[31m' }];
      },
      'fleet.yaml: channels.stable.releases[0].ref: must not contain control characters, got "v2\\u001b[31m"',
    ],
    [
      'a control character in a host name',
      (f) => {
        f.hosts['web\u001b07'] = { channel: 'stable' };
      },
      'fleet.yaml: hosts["web\\u001b07"]: a key must not contain control characters, got "web\\u001b07"',
    ],
    [
      'a control character in a policy name, where it is referred to',
      (f) => {
        f.channels.stable.rollout_policy = 'staged\u0007';
      },
      'fleet.yaml: channels.stable.rollout_policy: must not contain control characters, got "staged\\u0007"',
    ],
    [
      'a newline in a host_defaults probe kind (named where the file has it)',
      (f) => {
        f.host_defaults = { probes: [{ name: 'http', kind: 'http\nx' }] };
      },
      'fleet.yaml: host_defaults.probes[0].kind: must not contain control characters, got "http\\nx"',
    ],
    [
      'a C1 control (U+0085, NEL) in a host_defaults probe kind',
      (f) => {
        f.host_defaults = { probes: [{ name: 'http', kind: 'http\u0085x' }] };
      },
      'fleet.yaml: host_defaults.probes[0].kind: must not contain control characters, got "http\\u0085x"',
    ],
    [
      'U+009F, the last C1 control, in an edge reason',
      (f) => {
        f.host_edges = [{ gated: 'web-02', gates: 'web-01', reason: 'x\u009f' }];
      },
      'fleet.yaml: host_edges[0].reason: must not contain control characters, got "x\\u009f"',
    ],
    [
      'DEL in an edge reason',
      (f) => {
        f.host_edges = [{ gated: 'web-02', gates: 'web-01', reason: 'x\u007f' }];
      },
      'fleet.yaml: host_edges[0].reason: must not contain control characters, got "x\\u007f"',
    ],
    [
      'a control character in a selector glob',
      (f) => {
        f.rollout_policies.staged.waves = [{ selector: 'web-\u001b*' }];
      },
      'fleet.yaml: rollout_policies.staged.waves[0].selector: must not contain control characters, got "web-\\u001b*"',
    ],
  ])('%s', (_, edit, message) => {
    expect(parseEdited(edit)).toEqual({ ok: false, error: message });
  });

  it('names a huge unknown key by its start and length, with no guess at what it meant', () => {
    // A 5 MB key was echoed whole, after a "did you mean" that filled a 5M × 13 matrix
    // for every known key (52 s, 1.4 GB).
    const key = 'k'.repeat(200_000);
    const nested = 'q'.repeat(100_000);
    expect(
      parseEdited((f) => {
        (f as Record<string, unknown>)[key] = 1;
      }),
    ).toEqual({
      ok: false,
      error: `fleet.yaml: ["${'k'.repeat(60)}"… (200,000 characters)]: unknown key (known: name, channels, rollout_policies, host_defaults, hosts, channel_edges, host_edges, disruption_budgets, faults, operator)`,
    });
    expect(
      parseEdited((f) => {
        f.hosts['web-01'] = { channel: 'stable', [nested]: 1 } as never;
      }),
    ).toEqual({
      ok: false,
      error: `fleet.yaml: hosts.web-01["${'q'.repeat(60)}"… (100,000 characters)]: unknown key (known: channel, tags, probes, initial_closure)`,
    });
  });

  it('takes an "@" in a closure, a store path, though not in a ref', () => {
    const r = parseEdited((f) => {
      f.hosts['web-01'] = { channel: 'stable', initial_closure: '/nix/store/abc-sys@1' };
    });
    expect(r.ok).toBe(true);
  });

  it.each<[string, string, string]>([
    [
      'bad YAML syntax',
      'channels:\n  stable: {rollout_policy: staged\nhosts: {}\n',
      'fleet.yaml:3:1: YAML syntax error: ',
    ],
    [
      'a YAML duplicate key',
      'hosts: {}\nchannels: {}\nhosts: {}\n',
      'fleet.yaml:3:1: YAML syntax error: Map keys must be unique',
    ],
    ['a YAML tab indent', 'hosts:\n\ta: 1\n', 'fleet.yaml:2:1: YAML syntax error: '],
    [
      'several YAML documents',
      'a: 1\n---\nb: 2\n',
      'fleet.yaml:2:1: YAML syntax error: a fleet file holds one YAML document, and a second starts here',
    ],
    // yaml only warns, and keeps the text: the error was `expected a number, got "1"`.
    [
      'a value its tag does not fit (!!float 1)',
      'name: x\nhosts:\n  a: {}\nchannels: {}\nfoo: !!float 1\n',
      "fleet.yaml:5:6: YAML syntax error: the value does not fit its tag !!float (leave the tag out: a fleet file's values need none)",
    ],
  ])('%s', (_, text, prefix) => {
    const result = parseFleet(text, 'fleet.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.startsWith(prefix), result.error).toBe(true);
      expect(result.error).not.toContain('\n');
    }
  });

  it('reports bad YAML syntax with line and column, in one line', () => {
    expect(parseFleet('channels:\n  stable: rollout_policy: staged\n', 'fleet.yaml')).toEqual({
      ok: false,
      error:
        'fleet.yaml:2:11: YAML syntax error: Nested mappings are not allowed in compact mappings',
    });
  });

  it('reports bad JSON syntax with line and column', () => {
    expect(parseFleet('{\n  "channels": {},\n  "hosts": {,}\n}', 'fleet.json')).toEqual({
      ok: false,
      error:
        'fleet.json:3:13: JSON syntax error: expected a property name in double quotes, found ","',
    });
    expect(parseFleet('{"hosts": [1, 2,]}', 'f.json')).toEqual({
      ok: false,
      error: 'f.json:1:17: JSON syntax error: expected a value, found "]"',
    });
    expect(parseFleet('{"hosts": {}', 'f.json')).toEqual({
      ok: false,
      error:
        'f.json:1:13: JSON syntax error: expected "," or "}" after a property value, found end of input',
    });
    expect(parseFleet('', 'f.json')).toEqual({
      ok: false,
      error: 'f.json:1:1: JSON syntax error: the file is empty',
    });
  });

  it('rejects a document that is not a mapping', () => {
    expect(parseFleet('', 'fleet.yaml')).toEqual({
      ok: false,
      error:
        'fleet.yaml: expected a mapping at the top level (channels, rollout_policies, hosts, …), got an empty document',
    });
    expect(parseFleet('- a\n- b\n', 'fleet.yaml')).toEqual({
      ok: false,
      error:
        'fleet.yaml: expected a mapping at the top level (channels, rollout_policies, hosts, …), got a list',
    });
    expect(parseFleet('42', 'fleet.json')).toEqual({
      ok: false,
      error:
        'fleet.json: expected a mapping at the top level (channels, rollout_policies, hosts, …), got 42',
    });
  });

  describe('YAML that plain data cannot hold as written', () => {
    /** The minimal file as YAML with `hosts:` replaced by `hosts` (text). */
    const withHosts = (hosts: string) =>
      toYaml({ ...minimal(), hosts: undefined }).replace(/^hosts:.*$/m, '') + hosts;

    it.each<[string, string, string]>([
      [
        'a list as key',
        'hosts:\n  ? [web-01]\n  : {}\n',
        ':2:5: hosts: a key must be a string, got a list',
      ],
      [
        'a mapping as key',
        'hosts:\n  ? {a: 1}\n  : {}\n',
        ':2:5: hosts: a key must be a string, got a mapping',
      ],
      [
        'an alias of a list as key',
        'hosts:\n  web-01: &k [a]\n  *k : {}\n',
        ':3:3: hosts: a key must be a string, got a list (the alias *k)',
      ],
      [
        'a key of binary data',
        'hosts:\n  !!binary aGk=: {}\n',
        ':2:12: hosts: a key must be a string, got binary data',
      ],
      [
        'a null key',
        'hosts:\n  ~: {}\n',
        ':2:3: hosts: key ~ reads as null; quote it ("~") to keep it as written',
      ],
      ['an empty key', 'hosts: {: {}}\n', ':1:9: hosts: a key must not be empty'],
      [
        'a number spelt another way',
        'hosts:\n  1.0: {}\n',
        ':2:3: hosts: key 1.0 reads as the number 1; quote it ("1.0") to keep it as written',
      ],
      [
        'a hexadecimal number',
        'hosts:\n  0x10: {}\n',
        ':2:3: hosts: key 0x10 reads as the number 16; quote it ("0x10") to keep it as written',
      ],
      [
        'a boolean spelt another way',
        'hosts:\n  True: {}\n',
        ':2:3: hosts: key True reads as true; quote it ("True") to keep it as written',
      ],
      [
        'a number and a string that are one name',
        'hosts:\n  1: {}\n  "1": {}\n',
        ':3:3: hosts: duplicate key "1" (as a name, the same as an earlier key)',
      ],
      [
        'an alias key repeating a key',
        'hosts:\n  &h web-01: {}\n  *h : {}\n',
        ':3:3: hosts: duplicate key "web-01" (the alias *h is the same as an earlier key)',
      ],
      [
        'a key inside a list item',
        'hosts:\n  web-01: {tags: [? [a]: 1]}\n',
        ':2:21: hosts.web-01.tags[0]: a key must be a string, got a list',
      ],
      [
        'a recursive alias',
        'hosts: &x\n  web-01: *x\n',
        ':2:11: hosts.web-01: recursive alias *x: it is inside the &x it refers to',
      ],
      [
        'a recursive merge',
        'hosts:\n  web-01: &x {<<: *x}\n',
        ':2:19: hosts.web-01["<<"]: recursive alias *x: it is inside the &x it refers to',
      ],
      [
        'an alias with no anchor',
        'hosts:\n  web-01: *nope\n',
        ':2:11: hosts.web-01: unknown alias *nope (no &nope before it)',
      ],
    ])('%s', (_, hosts, error) => {
      const text = withHosts(hosts);
      const line = text.split('\n').findIndex((l) => l.startsWith('hosts:')) + 1;
      // The expected line numbers count from the `hosts:` line.
      const at = error.replace(/^:(\d+):/, (_m, n) => `:${Number(n) + line - 1}:`);
      expect(parseFleet(text, 'fleet.yaml')).toEqual({ ok: false, error: `fleet.yaml${at}` });
    });

    it('keeps a plain number or boolean key as the name it spells (1: is the host "1")', () => {
      const text = [
        'channels: {stable: {rollout_policy: all, initial_ref: v1}}',
        'rollout_policies: {all: {strategy: all-at-once}}',
        'hosts:',
        '  1: {channel: stable}',
        '  true: {channel: stable}',
      ].join('\n');
      expect(Object.keys(ok(parseFleet(text, 'fleet.yaml')).hosts)).toEqual(['1', 'true']);
    });

    it('refuses aliases that multiply the file, before anything walks the copies', () => {
      // 2,000 items used 600 times: 1.2 million values from 20 kB. 9,000 uses of a
      // 50,000-item list took 20 s before, to say the key x was unknown.
      const list = Array.from({ length: 2000 }, (_, i) => `h${i}`).join(', ');
      const uses = Array.from({ length: 600 }, (_, i) => `  c${i}: *a`).join('\n');
      const text = `x: &a [${list}]\nchannels:\n${uses}\n`;
      expect(parseFleet(text, 'fleet.yaml')).toEqual({
        ok: false,
        error:
          'fleet.yaml:503:9: channels.c500: aliases expand the file by more than 1,000,000 values (an alias bomb?)',
      });
    });

    it('refuses an anchor used more than 10,000 times, where it is', () => {
      const uses = Array.from({ length: 10_001 }, (_, i) => `  h${i}: *c`).join('\n');
      expect(parseFleet(`x: &c {channel: stable}\nhosts:\n${uses}\n`, 'fleet.yaml')).toEqual({
        ok: false,
        error: 'fleet.yaml:10003:11: hosts.h10000: alias *c used more than 10,000 times',
      });
    });

    it('reads anchors, aliases and merges as before', () => {
      const fleet = ok(
        parseFleet(
          withHosts(
            'hosts:\n  web-01: &d {channel: stable, tags: [&t web]}\n  web-02: *d\n  web-03: {<<: *d, tags: [*t, x]}\n  web-04: *d\n  web-05: *d\n  web-06: *d\n',
          ),
          'fleet.yaml',
        ),
      );
      expect(fleet.hosts['web-03']?.tags).toEqual(['web', 'x']);
    });
  });

  it('rejects __proto__ keys instead of silently losing them', () => {
    const text = JSON.stringify(minimal()).replace(
      '"web-01":{',
      '"__proto__":{"channel":"stable"},"web-01":{',
    );
    expect(parseFleet(text, 'f.json')).toEqual({
      ok: false,
      error: 'f.json: hosts.__proto__: unsupported key',
    });
  });

  describe('files', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'fleet-file-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('reports a missing file', () => {
      const path = join(dir, 'nope.yaml');
      expect(loadFleetFile(path)).toEqual({ ok: false, error: `${path}: no such file` });
    });

    it('reports a directory', () => {
      expect(loadFleetFile(dir)).toEqual({
        ok: false,
        error: `${dir}: is a directory, not a fleet file`,
      });
    });

    it('loads a file, skipping a byte-order mark, and names errors by the path given', () => {
      const path = join(dir, 'prod.json');
      writeFileSync(path, `\ufeff${JSON.stringify(minimal())}`);
      expect(ok(loadFleetFile(path)).name).toBe('prod');
      const bad = join(dir, 'bad.yaml');
      writeFileSync(
        bad,
        toYaml({
          ...minimal(),
          channels: { stable: { rollout_policy: 'canry', initial_ref: 'v1' } },
        }),
      );
      expect(loadFleetFile(bad)).toEqual({
        ok: false,
        error: `${bad}: channels.stable.rollout_policy: unknown policy "canry" (known: canary, staged)`,
      });
    });
  });
});
