import { describe, expect, it } from 'vitest';
import { hostsOf, makeFleet, probeFault } from '../../sim/fleet/build.ts';
import { probe } from '../../sim/fleet/defaults.ts';
import type { Fleet } from '../../sim/fleet/fleet.ts';
import { findCycle, fleetIssue, formatFleetPath, validateFleet } from '../../sim/fleet/validate.ts';

/** Two channels sharing the `staged` policy (edge → stable), a canary policy, 5 hosts. */
function base(): Fleet {
  return makeFleet({
    name: 'test',
    channels: {
      edge: { rollout_policy: 'staged', initial_ref: 'v1', releases: [] },
      stable: {
        rollout_policy: 'staged',
        initial_ref: 'v1',
        releases: [
          { at_seconds: 600, ref: 'v2' },
          { at_seconds: 1200, ref: 'v3' },
        ],
      },
    },
    rollout_policies: {
      canary: {
        strategy: 'canary',
        on_health_failure: 'halt',
        waves: [{ hosts: ['web-01'], soak_minutes: 1 }],
      },
      staged: {
        strategy: 'staged',
        on_health_failure: 'rollback-and-halt',
        waves: [
          { hosts: ['edge-01', 'web-01'], soak_minutes: 5 },
          { hosts: ['edge-02', 'web-02', 'web-03'], soak_minutes: 5 },
        ],
      },
    },
    hosts: {
      ...hostsOf(['edge-01', 'edge-02'], { channel: 'edge', probes: [probe('http')] }),
      ...hostsOf(['web-01', 'web-02', 'web-03'], {
        channel: 'stable',
        tags: ['web'],
        probes: [probe('http')],
      }),
    },
    channel_edges: [{ gates: 'edge', gated: 'stable', reason: null }],
    host_edges: [{ gated: 'web-02', gates: 'web-01', reason: null }],
    disruption_budgets: [
      { selector: 'web', hosts: ['web-01', 'web-02'], max_in_flight: 1, max_in_flight_pct: null },
    ],
    faults: {
      probes: [probeFault({ pattern: 'flaky', rate: 0.5, hosts: ['web-03'], probe: 'http' })],
    },
  });
}

/** The value, which the test knows is there. */
function get<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('missing in the test fleet');
  return value;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };
/**
 * A deep, writable copy of the base fleet for one test to break. Through JSON, not
 * structuredClone: a canonical fleet shares one tags and one probes list between hosts
 * that have the same (it is read only), and structuredClone would keep them shared.
 */
const broken = (edit: (f: Mutable<Fleet>) => void): Fleet => {
  const fleet = JSON.parse(JSON.stringify(base())) as Mutable<Fleet>;
  edit(fleet);
  return fleet as Fleet;
};

describe('validateFleet', () => {
  it('accepts a valid fleet, including a policy shared by two channels', () => {
    expect(validateFleet(base())).toBeNull();
  });

  it.each<[string, (f: Mutable<Fleet>) => void, string]>([
    [
      'unknown policy',
      (f) => {
        get(f.channels.stable).rollout_policy = 'canry';
      },
      'channels.stable.rollout_policy: unknown policy "canry" (known: canary, staged)',
    ],
    [
      // A rollout id is channel@ref: `stable@v@1` split into the wrong channel and ref.
      'an "@" in a ref',
      (f) => {
        get(f.channels.stable).initial_ref = 'v@1';
      },
      'channels.stable.initial_ref: invalid ref "v@1" (must be non-empty, with no spaces and no "@": a rollout id is channel@ref)',
    ],
    [
      // Capped in the field's own unit, as `--soak` is: 600 years of minutes got through.
      'a soak of more than ten years of minutes',
      (f) => {
        get(get(f.rollout_policies.staged).waves[0]).soak_minutes = 315_360_000;
      },
      'rollout_policies.staged.waves[0].soak_minutes: must be ≤ 5256000 (ten years of minutes), got 315360000',
    ],
    [
      'unknown host in a wave',
      (f) => {
        get(get(f.rollout_policies.staged).waves[1]).hosts.push('web-99');
      },
      'rollout_policies.staged.waves[1].hosts[3]: unknown host "web-99"',
    ],
    [
      'host in two waves',
      (f) => {
        get(get(f.rollout_policies.staged).waves[1]).hosts.push('web-01');
      },
      'rollout_policies.staged.waves[1].hosts[3]: host "web-01" is already in wave 0',
    ],
    [
      'host twice in one wave',
      (f) => {
        get(get(f.rollout_policies.staged).waves[0]).hosts.push('web-01');
      },
      'rollout_policies.staged.waves[0].hosts[2]: host "web-01" is listed twice in this wave',
    ],
    [
      'negative soak',
      (f) => {
        get(get(f.rollout_policies.staged).waves[0]).soak_minutes = -5;
      },
      'rollout_policies.staged.waves[0].soak_minutes: must be ≥ 0, got -5',
    ],
    [
      'fractional soak',
      (f) => {
        get(get(f.rollout_policies.canary).waves[0]).soak_minutes = 1.5;
      },
      'rollout_policies.canary.waves[0].soak_minutes: expected an integer, got 1.5',
    ],
    [
      'unknown strategy',
      (f) => {
        (f.rollout_policies.canary as { strategy: string }).strategy = 'yolo';
      },
      'rollout_policies.canary.strategy: unknown strategy "yolo" (known: canary, staged, all-at-once)',
    ],
    [
      'host on an unknown channel',
      (f) => {
        get(f.hosts['web-01']).channel = 'stabel';
      },
      'hosts.web-01.channel: unknown channel "stabel" (known: edge, stable)',
    ],
    [
      'invalid host name',
      (f) => {
        f.hosts['web 04'] = { ...get(f.hosts['web-01']) };
      },
      'hosts["web 04"]: invalid host name "web 04" (letters, digits, ".", "_" and "-", starting with a letter or digit)',
    ],
    [
      'duplicate probe',
      (f) => {
        get(f.hosts['web-01']).probes.push({ ...get(get(f.hosts['web-01']).probes[0]) });
      },
      'hosts.web-01.probes[1].name: probe "http" is declared twice',
    ],
    [
      'probe interval 0',
      (f) => {
        get(get(f.hosts['web-01']).probes[0]).interval_seconds = 0;
      },
      "hosts.web-01.probes[0].interval_seconds: must be ≥ 0.001 (a millisecond, the clock's resolution), got 0",
    ],
    [
      'bad probe mode',
      (f) => {
        (get(f.hosts['web-01']).probes[0] as { mode: string }).mode = 'strict';
      },
      'hosts.web-01.probes[0].mode: unknown mode "strict" (known: enforce, observe, disabled)',
    ],
    [
      'initial closure equal to a target closure',
      (f) => {
        get(f.hosts['web-01']).initial_closure = 'v2-web-01';
      },
      'hosts.web-01.initial_closure: "v2-web-01" is the host\'s target closure for ref "v2"',
    ],
    [
      'releases out of order',
      (f) => {
        get(get(f.channels.stable).releases[1]).at_seconds = 600;
      },
      'channels.stable.releases[1].at_seconds: releases must be in strictly increasing time order: 600 s is not after the previous release at 600 s',
    ],
    [
      'negative release time',
      (f) => {
        get(get(f.channels.stable).releases[0]).at_seconds = -1;
      },
      'channels.stable.releases[0].at_seconds: must be ≥ 0, got -1',
    ],
    [
      'release of the initial ref',
      (f) => {
        get(get(f.channels.stable).releases[0]).ref = 'v1';
      },
      'channels.stable.releases[0].ref: ref "v1" is the channel\'s initial_ref',
    ],
    [
      'a ref released twice',
      (f) => {
        get(get(f.channels.stable).releases[1]).ref = 'v2';
      },
      'channels.stable.releases[1].ref: ref "v2" is already released by releases[0]',
    ],
    [
      'cycle in channel edges',
      (f) => {
        f.channel_edges = [
          { gates: 'stable', gated: 'edge', reason: null },
          { gates: 'edge', gated: 'stable', reason: null },
        ];
      },
      'channel_edges: cycle stable → edge → stable',
    ],
    [
      'a channel gating itself',
      (f) => {
        f.channel_edges.push({ gates: 'stable', gated: 'stable', reason: null });
      },
      'channel_edges: cycle stable → stable',
    ],
    [
      'channel edge to an unknown channel',
      (f) => {
        get(f.channel_edges[0]).gated = 'prod';
      },
      'channel_edges[0].gated: unknown channel "prod" (known: edge, stable)',
    ],
    [
      'duplicate channel edge',
      (f) => {
        f.channel_edges.push({ gates: 'edge', gated: 'stable', reason: 'again' });
      },
      'channel_edges[1]: duplicate of channel_edges[0]',
    ],
    [
      'host edge to an unknown host',
      (f) => {
        get(f.host_edges[0]).gates = 'web-9';
      },
      'host_edges[0].gates: unknown host "web-9"',
    ],
    [
      'host gating itself',
      (f) => {
        get(f.host_edges[0]).gates = 'web-02';
      },
      'host_edges[0].gates: host "web-02" cannot gate itself',
    ],
    [
      'budget over an unknown host',
      (f) => {
        get(f.disruption_budgets[0]).hosts.push('db-01');
      },
      'disruption_budgets[0].hosts[2]: unknown host "db-01"',
    ],
    [
      'budget max_in_flight 0',
      (f) => {
        get(f.disruption_budgets[0]).max_in_flight = 0;
      },
      'disruption_budgets[0].max_in_flight: must be ≥ 1, got 0',
    ],
    [
      'budget percentage over 100',
      (f) => {
        get(f.disruption_budgets[0]).max_in_flight_pct = 150;
      },
      'disruption_budgets[0].max_in_flight_pct: must be ≤ 100, got 150',
    ],
    [
      'rate above 1',
      (f) => {
        f.faults.activation.failure_rate = 1.5;
      },
      'faults.activation.failure_rate: must be in [0, 1], got 1.5',
    ],
    [
      'NaN rate',
      (f) => {
        f.faults.network.drop_rate = Number.NaN;
      },
      'faults.network.drop_rate: must be in [0, 1], got NaN',
    ],
    [
      'inverted range',
      (f) => {
        f.faults.activation.duration_seconds = [30, 5];
      },
      'faults.activation.duration_seconds: must be [min, max] with 0 ≤ min ≤ max, got [30, 5]',
    ],
    [
      'negative range',
      (f) => {
        f.faults.network.latency_ms = [-1, 5];
      },
      'faults.network.latency_ms: must be [min, max] with 0 ≤ min ≤ max, got [-1, 5]',
    ],
    [
      "a successor cadence below the clock's millisecond (it would never leave the instant)",
      (f) => {
        f.faults.successor_releases = { rate: 1, every_seconds: 1e-300, until_seconds: 60 };
      },
      "faults.successor_releases.every_seconds: must be ≥ 0.001 (a millisecond, the clock's resolution), got 1e-300",
    ],
    [
      'more successor refs than a run can hold',
      (f) => {
        f.faults.successor_releases = { rate: 1, every_seconds: 0.001, until_seconds: 60 };
      },
      'faults.successor_releases.every_seconds: 0.001 s until 60 s offers 60,000 successor refs a channel, more than 10,000',
    ],
    [
      'a crash chance above one',
      (f) => {
        f.faults.cp_crashes = {
          rate: 1.5,
          every_seconds: 60,
          until_seconds: 600,
          down_seconds: 30,
        };
      },
      'faults.cp_crashes.rate: must be in [0, 1], got 1.5',
    ],
    [
      'more crash moments than a run can hold',
      (f) => {
        f.faults.cp_crashes = {
          rate: 0.1,
          every_seconds: 0.001,
          until_seconds: 60,
          down_seconds: 30,
        };
      },
      'faults.cp_crashes.every_seconds: 0.001 s until 60 s offers 60,000 moments to crash, more than 10,000',
    ],
    [
      'a crash that is never back',
      (f) => {
        f.faults.cp_crashes = { rate: 0.1, every_seconds: 60, until_seconds: 600, down_seconds: 0 };
      },
      "faults.cp_crashes.down_seconds: must be ≥ 0.001 (a millisecond, the clock's resolution), got 0",
    ],
    [
      'a probe interval below a millisecond',
      (f) => {
        const host = f.hosts['edge-01'];
        if (host === undefined) throw new Error('edge-01 is in the base fleet');
        f.hosts['edge-01'] = { ...host, probes: [{ ...probe('http'), interval_seconds: 0.0001 }] };
      },
      "hosts.edge-01.probes[0].interval_seconds: must be ≥ 0.001 (a millisecond, the clock's resolution), got 0.0001",
    ],
    [
      'no deferral component',
      (f) => {
        f.faults.activation.deferral_components = [];
      },
      'faults.activation.deferral_components: must name at least one component',
    ],
    [
      'failing ref that no channel publishes',
      (f) => {
        f.faults.activation.failing_refs = ['v9'];
      },
      'faults.activation.failing_refs[0]: unknown ref "v9" (known: v1, v2, v3)',
    ],
    [
      'fault rule on an unknown host',
      (f) => {
        get(f.faults.probes[0]).hosts = ['web-7'];
      },
      'faults.probes[0].hosts[0]: unknown host "web-7"',
    ],
    [
      'fault rule on a probe its hosts do not have',
      (f) => {
        get(f.faults.probes[0]).probe = 'htp';
      },
      'faults.probes[0].probe: no host it applies to has a probe named "htp"',
    ],
    [
      'unknown fault pattern',
      (f) => {
        (f.faults.probes[0] as { pattern: string }).pattern = 'sometimes';
      },
      'faults.probes[0].pattern: unknown pattern "sometimes" (known: fail, flaky, breaks, late-fail, recover)',
    ],
    [
      'partition ending before it starts',
      (f) => {
        f.faults.network.partitions = [{ hosts: [], from_seconds: 60, to_seconds: 60 }];
      },
      'faults.network.partitions[0].to_seconds: must be after from_seconds (60), got 60',
    ],
    [
      'partition of an unknown host',
      (f) => {
        f.faults.network.partitions = [{ hosts: ['x'], from_seconds: 0, to_seconds: 60 }];
      },
      'faults.network.partitions[0].hosts[0]: unknown host "x"',
    ],
    [
      'CP restart of no duration',
      (f) => {
        f.faults.cp_restarts = [{ at_seconds: 10, down_seconds: 0 }];
      },
      "faults.cp_restarts[0].down_seconds: must be ≥ 0.001 (a millisecond, the clock's resolution), got 0",
    ],
    [
      'inverted reboot range',
      (f) => {
        f.operator.reboot_deferred_after_seconds = [900, 600];
      },
      'operator.reboot_deferred_after_seconds: must be [min, max] with 0 ≤ min ≤ max, got [900, 600]',
    ],
    [
      'clearance of an unknown channel',
      (f) => {
        f.operator.clearances = [{ at_seconds: 10, channel: 'prod', reason: 'x' }];
      },
      'operator.clearances[0].channel: unknown channel "prod" (known: edge, stable)',
    ],
    [
      'no hosts',
      (f) => {
        f.hosts = {};
      },
      'hosts: must declare at least one host',
    ],
  ])('%s', (_, edit, message) => {
    expect(validateFleet(broken(edit))).toBe(message);
  });

  it('accepts a wave host whose channel uses another policy (waves belong to the policy)', () => {
    expect(
      validateFleet(broken((f) => get(get(f.rollout_policies.staged).waves[1]).hosts.splice(0, 1))),
    ).toBeNull();
    expect(validateFleet(base())).toBeNull();
  });

  it('reports the path as a list of keys too', () => {
    expect(
      fleetIssue(
        broken((f) => {
          get(f.hosts['web-01']).channel = 'x';
        }),
      )?.path,
    ).toEqual(['hosts', 'web-01', 'channel']);
  });

  it('does not mistake Object.prototype members for declared names', () => {
    expect(
      validateFleet(
        broken((f) => {
          get(f.channels.stable).rollout_policy = 'constructor';
        }),
      ),
    ).toBe('channels.stable.rollout_policy: unknown policy "constructor" (known: canary, staged)');
  });

  describe('control characters (printed in the terminal and in traces)', () => {
    it.each<[string, (f: Mutable<Fleet>) => void, string]>([
      [
        'in the fleet name',
        (f) => {
          f.name = 'prod\u001b[2J';
        },
        'name: must not contain control characters, got "prod\\u001b[2J"',
      ],
      [
        'in a ref',
        (f) => {
          get(f.channels.stable).initial_ref = 'v1\u001b[31m';
        },
        'channels.stable.initial_ref: must not contain control characters, got "v1\\u001b[31m"',
      ],
      [
        'a newline in a reason',
        (f) => {
          get(f.channel_edges[0]).reason = 'first\nsecond';
        },
        'channel_edges[0].reason: must not contain control characters, got "first\\nsecond"',
      ],
      [
        'DEL in a probe kind',
        (f) => {
          get(get(f.hosts['web-01']).probes[0]).kind = 'ht\u007ftp';
        },
        'hosts.web-01.probes[0].kind: must not contain control characters, got "ht\\u007ftp"',
      ],
      [
        'a C1 control (U+009B, CSI) in a ref',
        (f) => {
          get(f.channels.stable).initial_ref = 'v1\u009b2J';
        },
        'channels.stable.initial_ref: must not contain control characters, got "v1\\u009b2J"',
      ],
      [
        'U+0080, the first C1 control, in a probe kind',
        (f) => {
          get(get(f.hosts['web-01']).probes[0]).kind = 'ht\u0080tp';
        },
        'hosts.web-01.probes[0].kind: must not contain control characters, got "ht\\u0080tp"',
      ],
      [
        'a tab in a host name, as a key',
        (f) => {
          f.hosts['web\t04'] = get(f.hosts['web-03']);
        },
        'hosts["web\\t04"]: a key must not contain control characters, got "web\\t04"',
      ],
      [
        // Trojan Source: a right-to-left override reorders what a terminal shows after it.
        'a right-to-left override (U+202E) in a ref',
        (f) => {
          get(f.channels.stable).initial_ref = 'v\u202e1';
        },
        'channels.stable.initial_ref: must not contain control characters, got "v\\u202e1"',
      ],
      [
        'a right-to-left isolate (U+2067) in a reason',
        (f) => {
          get(f.channel_edges[0]).reason = 'ok\u2067x';
        },
        'channel_edges[0].reason: must not contain control characters, got "ok\\u2067x"',
      ],
      [
        'NUL in a channel name, as a key',
        (f) => {
          f.channels['x\u0000'] = get(f.channels.edge);
        },
        'channels["x\\u0000"]: a key must not contain control characters, got "x\\u0000"',
      ],
    ])('%s', (_, edit, message) => {
      expect(validateFleet(broken(edit))).toBe(message);
    });

    it('quotes a long text around its first control character', () => {
      const name = `${'a'.repeat(100)}\u001b${'b'.repeat(100)}`;
      expect(validateFleet(broken((f) => (f.name = name)))).toBe(
        `name: must not contain control characters, got …"${'a'.repeat(20)}\\u001b${'b'.repeat(19)}"…`,
      );
    });

    it('lets other text through: spaces, non-ASCII, emoji', () => {
      expect(validateFleet(broken((f) => (f.name = 'Prod fleet · Zürich 🚀')))).toBeNull();
      // A zero-width joiner (U+200D) is how emoji compose: not a control.
      expect(validateFleet(broken((f) => (f.name = 'team 👩\u200d💻')))).toBeNull();
      // U+00A0 (no-break space), just past the C1 controls, is text.
      expect(validateFleet(broken((f) => (f.name = 'Prod\u00a0fleet')))).toBeNull();
    });
  });

  it('formats paths like the codecs do', () => {
    expect(formatFleetPath(['channels', 'stable', 'releases', 2, 'ref'])).toBe(
      'channels.stable.releases[2].ref',
    );
    expect(formatFleetPath(['hosts', 'db.1', 'tags', 0])).toBe('hosts["db.1"].tags[0]');
    expect(formatFleetPath([])).toBe('');
    // JSON leaves DEL and the C1 controls raw; a path never prints them.
    expect(formatFleetPath(['hosts', 'a\u007f\u009b'])).toBe('hosts["a\\u007f\\u009b"]');
  });

  it('findCycle finds the first cycle along declaration order, or none', () => {
    expect(
      findCycle([
        { gates: 'a', gated: 'b' },
        { gates: 'b', gated: 'c' },
      ]),
    ).toBeNull();
    expect(
      findCycle([
        { gates: 'a', gated: 'b' },
        { gates: 'b', gated: 'c' },
        { gates: 'c', gated: 'b' },
      ]),
    ).toEqual(['b', 'c', 'b']);
  });
});
