import type { RolloutState } from '../../machines/rollout/state.ts';
import type { Instant } from '../../machines/time.ts';
import { counted } from '../counted.ts';
import type { Fleet, HostEdge } from '../fleet/fleet.ts';
import { entry } from '../map-entry.ts';
import type { ProfileFlags } from '../profile.ts';
import type { Stall, StallGroup } from './stall.ts';
import type { StallTracker, TrackedRollout } from './tracker.ts';
import { answerWaits } from './wait-graph.ts';

/** Rollout states after which nothing is owed: no host of theirs waits on anything. */
const SETTLED: readonly RolloutState[] = ['Terminal', 'Superseded', 'Pruned'];
/** States a rollout reaches by failing; they never get `terminal_at` (spec §4.8). */
const ENDED_BADLY: readonly RolloutState[] = ['Failed', 'Reverted'];

interface Draft {
  readonly key: string;
  /** Its place among the groups, in the order they were made. */
  readonly order: number;
  readonly rollout: TrackedRollout;
  readonly gate: string;
  readonly reason: string;
  readonly hosts: string[];
  since: Instant;
  /** Set for a root cause: why it never clears, and where the spec says so. */
  root: { readonly why: string; readonly spec: string } | null;
  /** Keys of the groups this one waits on. */
  readonly waitsOn: string[];
  /** What it waits on, in words, when it is not a root cause. */
  waitText: string;
  /** Said last: hosts in flight the control plane never heard finish (`unheard`). */
  tail: string;
}

const keyOf = (rid: string, gate: string, reason: string) => `${rid}\u0000${gate}\u0000${reason}`;

function waveHosts(fleet: Fleet, channel: string, wave: number): readonly string[] {
  const policy = fleet.rollout_policies[fleet.channels[channel]?.rollout_policy ?? ''];
  return policy?.waves[wave]?.hosts ?? [];
}

/**
 * `; the control plane never heard a, b report Converged`: hosts whose agents finished
 * what the control plane's mirror still waits for (an event answered, then dropped).
 */
function unheard(r: TrackedRollout): string {
  const hosts = [...r.agentConverged].filter((host) => r.hosts.get(host) === 'Soaking').sort();
  return hosts.length === 0
    ? ''
    : `; the control plane never heard ${hosts.join(', ')} report Converged`;
}

export interface AnalyseOptions {
  /**
   * Whether the run can go no further (the default: how a run ends). False asks what
   * holds each waiting host *now*, in a run still going (the UI's blocked-hosts screen):
   * a rollout with nothing held is then busy, not idle, and a predecessor is not called
   * stalled.
   */
  readonly settled?: boolean;
}

/**
 * Who waits on what once a run can go no further (DESIGN §4.5 `stall`), or null when
 * nothing waits: every rollout settled or ended and no host of an unsettled rollout held.
 * Pure over the tracker's fold of the trace, the fleet and the profile's flags.
 */
export function analyseStall(
  tracker: StallTracker,
  fleet: Fleet,
  flags: ProfileFlags,
  now: Instant,
  options: AnalyseOptions = {},
): Stall | null {
  const settled = options.settled ?? true;
  const drafts = new Map<string, Draft>();
  const group = (
    rollout: TrackedRollout,
    gate: string,
    reason: string,
    host: string,
    since: Instant,
  ): Draft => {
    const key = keyOf(rollout.rolloutId, gate, reason);
    let d = drafts.get(key);
    if (d === undefined) {
      d = {
        key,
        order: drafts.size,
        rollout,
        gate,
        reason,
        hosts: [],
        since,
        root: null,
        waitsOn: [],
        waitText: '',
        tail: '',
      };
      drafts.set(key, d);
    }
    d.hosts.push(host);
    d.since = Math.min(d.since, since);
    return d;
  };

  const current = new Map<string, TrackedRollout>();
  for (const r of tracker.rollouts.values()) {
    if (r.state !== 'Superseded') current.set(r.channel, r);
  }

  for (const r of tracker.rollouts.values()) {
    if (SETTLED.includes(r.state)) continue;
    for (const [host, hold] of r.holds) {
      const state = r.hosts.get(host) ?? 'Pending';
      if (state === 'Pending') group(r, hold.gate, hold.reason, host, hold.since);
    }
    if (fleet.operator.reboot_deferred_after_seconds === null) {
      for (const [host, state] of r.hosts) {
        if (state === 'Deferred')
          group(r, 'deferred', 'activation deferred until a reboot', host, now).root = {
            why: 'no operator reboots deferred hosts in this fleet, and only Converged counts for RolloutTerminal',
            spec: '§4.4, §4.6',
          };
      }
    }
  }

  const byRollout = new Map<TrackedRollout, Draft[]>();
  const holding = new Map<TrackedRollout, Map<string, Draft[]>>();
  for (const d of drafts.values()) {
    entry(byRollout, d.rollout, () => []).push(d);
    const hosts = entry(holding, d.rollout, () => new Map<string, Draft[]>());
    for (const h of d.hosts) {
      const held = entry(hosts, h, () => []);
      if (held[held.length - 1] !== d) held.push(d);
    }
  }
  const context: Context = {
    byRollout,
    holding,
    current: new Map([...current.values()].map((r) => [r.rolloutId, r])),
    gatedBy: edgesByGated(fleet),
  };
  for (const d of drafts.values()) classify(d, context, fleet, flags, settled);

  // A rollout not settled with nothing held is idle: it waits on hosts no gate mentions.
  // While the run goes on, such a rollout is only busy with its dispatched hosts.
  for (const r of settled ? tracker.rollouts.values() : []) {
    if (SETTLED.includes(r.state) || ENDED_BADLY.includes(r.state)) continue;
    if (byRollout.has(r)) continue;
    const states = [...new Set(r.hosts.values())].sort().join(', ') || 'no host records';
    const d = group(r, 'idle', `${r.rolloutId} is ${r.state} with nothing to dispatch`, '-', now);
    d.hosts.length = 0;
    d.root = {
      why: `its hosts (${states}) will not change again and none of them is held by a gate${unheard(r)}`,
      spec: '§4.3, §4.4',
    };
  }
  if (drafts.size === 0) return null;

  const waits = answerWaits(
    new Map(
      [...drafts].map(([k, d]) => [k, { key: k, isRoot: d.root !== null, waitsOn: d.waitsOn, d }]),
    ),
  );
  const groups: StallGroup[] = [...drafts.values()]
    .map((d) => {
      const isPermanent = waits.permanent(d.key);
      const cyclic = d.root === null && waits.cyclic(d.key);
      return {
        rolloutId: d.rollout.rolloutId,
        gate: d.gate,
        reason: d.reason,
        hosts: [...d.hosts].sort(),
        since: d.since,
        permanent: isPermanent,
        why:
          d.root?.why ??
          (cyclic
            ? `a cycle of edges: ${d.waitText}, which waits on this one`
            : d.waitText + heldBy(waits.firstRoot(d.key)?.d) + d.tail),
        spec: d.root?.spec ?? SPEC_OF[d.gate] ?? '§4.5',
      };
    })
    .sort(
      (a, b) =>
        a.rolloutId.localeCompare(b.rolloutId) || a.since - b.since || a.gate.localeCompare(b.gate),
    );
  const blocked = new Set(groups.flatMap((g) => g.hosts.map((h) => `${g.rolloutId} ${h}`)));
  return { groups, blockedHosts: blocked.size };
}

const SPEC_OF: Readonly<Record<string, string>> = {
  quarantine: '§4.7',
  'channel-edges': '§4.8',
  'wave-promotion': '§4.4, §4.5',
  'wave-promotion-host-unstaged': '§4.5',
  'host-edge': '§4.9',
  'disruption-budget': '§4.10',
  'compliance-wave': '§4.11',
  halt: '§6.9',
};

/** `, held by compliance-wave on ring-1@v1 (2 hosts)`: the root cause a waiting group leads to. */
function heldBy(root: Draft | undefined): string {
  return root === undefined
    ? ''
    : `, held by ${root.gate} on ${root.rollout.rolloutId} (${counted(root.hosts.length, 'host')})`;
}

/** What classifying a group reads, indexed once for all groups. */
interface Context {
  readonly byRollout: ReadonlyMap<TrackedRollout, readonly Draft[]>;
  /** Each rollout's groups by the hosts they hold. */
  readonly holding: ReadonlyMap<TrackedRollout, ReadonlyMap<string, readonly Draft[]>>;
  /** Each channel's current rollout, by its id. */
  readonly current: ReadonlyMap<string, TrackedRollout>;
  /** The indices into `fleet.host_edges` of each gated host's edges. */
  readonly gatedBy: ReadonlyMap<string, readonly number[]>;
}

function edgesByGated(fleet: Fleet): Map<string, number[]> {
  const by = new Map<string, number[]>();
  fleet.host_edges.forEach((e, i) => {
    entry(by, e.gated, () => []).push(i);
  });
  return by;
}

/** The keys of every group of `rollout` holding one of `hosts`. */
function groupsHolding(
  context: Context,
  rollout: TrackedRollout,
  hosts: readonly string[],
): string[] {
  const byHost = context.holding.get(rollout);
  const found = new Set<Draft>();
  for (const h of hosts) for (const d of byHost?.get(h) ?? []) found.add(d);
  return [...found].sort((a, b) => a.order - b.order).map((d) => d.key);
}

function classify(
  d: Draft,
  context: Context,
  fleet: Fleet,
  flags: ProfileFlags,
  settled: boolean,
): void {
  const r = d.rollout;
  switch (d.gate) {
    case 'compliance-wave':
      if (!flags.compliance_latest_wins) {
        d.root = {
          why: 'the compliance count is append-only (faithful): a probe failure in an earlier wave counts for ever, even after it recovered',
          spec: '§4.11, §6.15',
        };
      } else {
        d.waitText = 'waits until the failing enforce probes of earlier waves pass again';
      }
      return;
    case 'halt':
      d.root = {
        why: `the rollout is halted (${r.state}): a halted rollout dispatches nothing more until a new ref supersedes it`,
        spec: '§4.5, §6.9',
      };
      return;
    case 'quarantine':
      d.root = {
        why: 'quarantine rows are never removed and OperatorClearance is not implemented',
        spec: '§4.7, §6.1',
      };
      return;
    case 'wave-promotion-host-unstaged':
      d.root = { why: 'the host is in no wave of its channel (default deny)', spec: '§4.5' };
      return;
    case 'channel-edges': {
      const m = /^(.+) is (\w+), not terminal$/.exec(d.reason);
      const pred = m === null ? undefined : context.current.get(m[1] as string);
      // Faithful leaves a channel whose manifest poll failed out of the tick's set, and the
      // edge behind it then passes: a fleet whose polls fail may see the hold clear.
      if (
        pred !== undefined &&
        !flags.manifest_failure_keeps_last &&
        (fleet.faults.manifest_failure_rate ?? 0) > 0
      ) {
        d.waitText = `waits on the predecessor ${pred.rolloutId} (${pred.state}), or on a failed manifest poll of ${pred.channel}, after which the edge passes ("no verified manifest: pass")`;
        return;
      }
      if (pred !== undefined && ENDED_BADLY.includes(pred.state)) {
        d.root = {
          why: `the predecessor ${pred.rolloutId} ended ${pred.state} and so never gets terminal_at; the edge holds until a new ${pred.channel} ref reaches Terminal`,
          spec: '§4.8',
        };
        return;
      }
      if (pred !== undefined) {
        for (const x of context.byRollout.get(pred) ?? []) d.waitsOn.push(x.key);
        d.waitText = `waits on the predecessor ${pred.rolloutId} (${pred.state})${settled ? ', which is stalled itself' : ' to reach Terminal'}`;
      } else {
        d.waitText = `waits on the predecessor channel's rollout: ${d.reason}`;
      }
      return;
    }
    case 'wave-promotion': {
      const wave = r.currentWave;
      const hosts = waveHosts(fleet, r.channel, wave);
      const failed = hosts.filter((h) => ENDED_BADLY.includes(r.hosts.get(h) as RolloutState));
      if (failed.length > 0) {
        d.root = {
          why: `wave ${wave} can never complete: ${failed.join(', ')} ended ${r.hosts.get(failed[0] as string)}, and only Converged or Deferred hosts let the cursor move`,
          spec: '§4.4',
        };
        return;
      }
      for (const k of groupsHolding(context, r, hosts)) if (k !== d.key) d.waitsOn.push(k);
      d.waitText = `waits for wave ${wave} of ${r.rolloutId} to complete`;
      d.tail = unheard(r);
      return;
    }
    case 'host-edge': {
      const indices = [...new Set(d.hosts.flatMap((h) => context.gatedBy.get(h) ?? []))];
      const gating = indices.sort((a, b) => a - b).map((i) => fleet.host_edges[i] as HostEdge);
      const gates = [...new Set(gating.map((e) => e.gates))];
      const bad = gates.filter((h) => ENDED_BADLY.includes(r.hosts.get(h) as RolloutState));
      if (bad.length > 0) {
        d.root = {
          why: `the gating host ${bad.join(', ')} ended ${r.hosts.get(bad[0] as string)} and never becomes Converged or Deferred`,
          spec: '§4.9',
        };
        return;
      }
      for (const k of groupsHolding(context, r, gates)) if (k !== d.key) d.waitsOn.push(k);
      d.waitText = `waits on the gating host${gates.length === 1 ? '' : 's'} ${gates.join(', ')}`;
      return;
    }
    case 'disruption-budget':
      // The hosts in flight are often the answer: a Converged lost on its way back.
      d.waitText = 'waits for hosts in flight under the same budget to finish';
      d.tail = unheard(r);
      return;
    default:
      d.waitText = `held by ${d.gate}: ${d.reason}`;
  }
}
