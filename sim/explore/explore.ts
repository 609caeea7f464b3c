import { HOST_EVENT_TYPES } from '../../machines/host/event.ts';
import type { HostRecord } from '../../machines/host/state.ts';
import { HOST_STATES } from '../../machines/host/state.ts';
import { ROLLOUT_EVENT_TYPES } from '../../machines/rollout/event.ts';
import { ROLLOUT_STATES } from '../../machines/rollout/state.ts';
import { channelWaves, type Fleet } from '../fleet/fleet.ts';
import type { Profile } from '../profile.ts';
import {
  type Action,
  apply,
  describeAction,
  enabled,
  type Observation,
  openingState,
} from './actions.ts';
import { type AgentState, type ExploreBounds, initialState, type WorldState } from './model.ts';

/*
 * Bounded exhaustive exploration: breadth-first over every interleaving of the untimed
 * world's actions, with states hashed so each is expanded once, and hosts that are
 * interchangeable (same channel, wave and probes, in no edge or budget) counted rather
 * than enumerated: a state's key lists their sub-states sorted, with the host's own name
 * blanked out. Breadth-first means the first path to a violation is a shortest one.
 */

export interface Coverage {
  /** `state|event` → outcomes seen (a target state, or an error variant). */
  readonly rollout: ReadonlyMap<string, ReadonlySet<string>>;
  readonly host: ReadonlyMap<string, ReadonlySet<string>>;
  readonly rolloutStates: ReadonlySet<string>;
  readonly hostStates: ReadonlySet<string>;
}

export interface ExploreResult {
  readonly states: number;
  readonly transitions: number;
  readonly seconds: number;
  /** True when the state limit stopped the search before the graph was exhausted. */
  readonly truncated: boolean;
  readonly coverage: Coverage;
  /** The first violation of each invariant, with a shortest path to it. */
  readonly violations: readonly {
    readonly invariant: string;
    readonly message: string;
    readonly path: readonly string[];
  }[];
}

export interface ExploreOptions {
  readonly fleet: Fleet;
  readonly profile: Profile;
  readonly bounds: ExploreBounds;
  readonly maxStates: number;
  readonly onProgress?: (states: number) => void;
}

/** Which hosts may be swapped without changing what can happen. */
function symmetryClasses(fleet: Fleet): Map<string, string> {
  const pinned = new Set<string>();
  for (const e of fleet.host_edges) pinned.add(e.gated).add(e.gates);
  for (const b of fleet.disruption_budgets) for (const h of b.hosts) pinned.add(h);
  for (const r of fleet.faults.probes) for (const h of r.hosts) pinned.add(h);
  const classOf = new Map<string, string>();
  for (const channel of Object.keys(fleet.channels)) {
    channelWaves(fleet, channel).forEach((w, i) => {
      for (const h of w.hosts) {
        const probes = JSON.stringify(
          fleet.hosts[h]?.probes.map((p) => [p.mode, p.interval_seconds]),
        );
        classOf.set(h, pinned.has(h) ? `host:${h}` : `${channel}/${i}/${probes}`);
      }
    });
  }
  for (const h of Object.keys(fleet.hosts)) if (!classOf.has(h)) classOf.set(h, `host:${h}`);
  return classOf;
}

// States share their unchanged records and agents, so their key parts are computed once.
const recordKeys = new WeakMap<HostRecord, string>();
const agentKeys = new WeakMap<AgentState, string>();

/** The parts of a host record that can change what happens next (every timestamp is 0 here). */
function recordKey(r: HostRecord | undefined | null): string {
  if (r === undefined || r === null) return '-';
  let key = recordKeys.get(r);
  if (key === undefined) {
    key = computeRecordKey(r);
    recordKeys.set(r, key);
  }
  return key;
}

function computeRecordKey(r: HostRecord): string {
  const probes = Object.entries(r.probes)
    .map(([n, p]) => `${n}:${p.mode[0]}${p.status[0]}`)
    .join(',');
  return [
    r.state,
    r.lastEventSeq,
    r.currentClosureAtDispatch ?? '',
    r.currentClosure ?? '',
    r.revertedTo ?? '',
    r.policyApplied ?? '',
    r.dispatchAckedAt === null ? '' : 'a',
    r.probeObservedFirstAt === null ? '' : 'o',
    r.probeFailureFirstAt === null ? '' : 'f',
    probes,
  ].join('|');
}

function keyOf(s: WorldState, classes: Map<string, string>): string {
  const ids = Object.keys(s.cp).sort();
  const byClass = new Map<string, string[]>();
  for (const [host, cls] of classes) {
    const a = s.agents[host] as AgentState;
    let agent = agentKeys.get(a);
    if (agent === undefined) {
      agent = agentKey(a);
      agentKeys.set(a, agent);
    }
    const cp = ids.map((id) => recordKey(s.cp[id]?.[host])).join(';');
    const quarantined =
      s.quarantine.length === 0 ? '' : s.quarantine.filter((q) => q.endsWith(`-${host}`)).join(',');
    const text = `${agent}~${cp}~${s.queue[host] ?? ''}~${quarantined}`.replaceAll(host, '#');
    byClass.set(cls, [...(byClass.get(cls) ?? []), text]);
  }
  const hosts = [...byClass.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([cls, parts]) => `${cls}:${parts.sort().join('&')}`)
    .join('\n');
  const rollouts = s.rollouts
    .map(
      (r) =>
        `${r.rolloutId}:${r.state}:${r.currentWave}:${r.terminalAt === null ? '' : 't'}:${r.supersededAt === null ? '' : 's'}`,
    )
    .join(',');
  const published = Object.entries(s.published)
    .map(([c, n]) => `${c}=${n}`)
    .join(',');
  return `${s.faults}\n${rollouts}\n${published}\n${hosts}`;
}

function agentKey(a: AgentState): string {
  return [
    a.running,
    a.boot,
    a.rebooted ? 'r' : '',
    a.held ? 'h' : '',
    a.abandoned.join(','),
    a.switches.map((j) => `${j.kind[0]}${j.rolloutId}>${j.closure}`).join(','),
    a.outbox.map((o) => `${o.rolloutId}:${o.payload.type}:${o.payload.seq}`).join(','),
    Object.entries(a.records)
      .map(([id, r]) => `${id}=${recordKey(r)}#${a.probeRuns[id] ?? 0}`)
      .sort()
      .join(';'),
  ].join('/');
}

export function explore(options: ExploreOptions): ExploreResult {
  const started = performance.now();
  const model = { fleet: options.fleet, bounds: options.bounds };
  const classes = symmetryClasses(options.fleet);
  const opening = openingState(model, options.profile, initialState(options.fleet));
  const start = opening.state;
  const seen = new Map<string, { parent: string | null; action: Action | null }>();
  const startKey = keyOf(start, classes);
  seen.set(startKey, { parent: null, action: null });
  let frontier: { key: string; state: WorldState }[] = [{ key: startKey, state: start }];
  const rollout = new Map<string, Set<string>>();
  const host = new Map<string, Set<string>>();
  const rolloutStates = new Set<string>();
  const hostStates = new Set<string>();
  const violations = new Map<string, { message: string; path: string[] }>();
  let transitions = 0;
  let truncated = false;

  const pathTo = (key: string, last: Action): string[] => {
    const steps = [describeAction(last)];
    for (let k: string | null = key; k !== null; ) {
      const node = seen.get(k);
      if (node === undefined || node.action === null) break;
      steps.unshift(describeAction(node.action));
      k = node.parent;
    }
    return steps;
  };
  const note = (map: Map<string, Set<string>>, key: string, outcome: string) => {
    let set = map.get(key);
    if (set === undefined) {
      set = new Set();
      map.set(key, set);
    }
    set.add(outcome);
  };

  const observe = (obs: Observation, after: WorldState, path: () => string[]) => {
    for (const r of obs.rolloutSteps) {
      note(rollout, `${r.from}|${r.event}`, r.outcome);
      rolloutStates.add(r.from);
      if ((ROLLOUT_STATES as readonly string[]).includes(r.outcome)) rolloutStates.add(r.outcome);
    }
    for (const h of obs.hostSteps) {
      note(host, `${h.from}|${h.event}`, h.outcome);
      hostStates.add(h.from);
      if ((HOST_STATES as readonly string[]).includes(h.outcome)) hostStates.add(h.outcome);
    }
    for (const v of obs.violations) {
      if (!violations.has(v.invariant))
        violations.set(v.invariant, { message: v.message, path: path() });
    }
    for (const r of after.rollouts) rolloutStates.add(r.state);
  };
  // The opening planning run is step zero: what it does counts too, with an empty path.
  observe(opening.seen, start, () => []);
  truncated = seen.size >= options.maxStates;

  while (frontier.length > 0 && !truncated) {
    const next: typeof frontier = [];
    for (const { key, state } of frontier) {
      for (const action of enabled(model, options.profile, state)) {
        const { state: after, seen: obs } = apply(model, options.profile, state, action);
        transitions++;
        observe(obs, after, () => pathTo(key, action));
        const afterKey = keyOf(after, classes);
        if (seen.has(afterKey)) continue;
        seen.set(afterKey, { parent: key, action });
        next.push({ key: afterKey, state: after });
        if (seen.size % 10_000 === 0) options.onProgress?.(seen.size);
        if (seen.size >= options.maxStates) {
          truncated = true;
          break;
        }
      }
      if (truncated) break;
    }
    frontier = next;
  }
  return {
    states: seen.size,
    transitions,
    seconds: (performance.now() - started) / 1000,
    truncated,
    coverage: { rollout, host, rolloutStates, hostStates },
    violations: [...violations].map(([invariant, v]) => ({ invariant, ...v })),
  };
}

/** The full tables the coverage is measured against. */
export const TABLES = {
  rollout: { states: ROLLOUT_STATES, events: ROLLOUT_EVENT_TYPES },
  host: { states: HOST_STATES, events: HOST_EVENT_TYPES },
} as const;
