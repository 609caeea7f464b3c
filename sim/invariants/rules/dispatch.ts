import type { HostState } from '../../../machines/host/state.ts';
import { rolloutId } from '../../../machines/rollout/state.ts';
import { channelEdgesInto, targetClosure } from '../../fleet/fleet.ts';
import { secondsIntoRun as secs } from '../../world.ts';
import type { Invariant, MonitorContext, Verdict } from '../invariant.ts';

/** Spec §4.10: only these count against a budget. */
const inFlight = (s: HostState) => s === 'Activating' || s === 'Soaking';

/**
 * The rollout a channel's cached manifest names (the planner's fleet_state, spec §4.1), null
 * while a failed poll leaves the channel out; `exact` false where the run cannot tell. A
 * trace shows a failed poll but not the good one after it. Where no poll can fail, the
 * newest rollout opened is the cached one (a rollout opens only from the cache); where one
 * can, the cache holds at most that.
 */
function manifestCache({
  view,
  fleet,
  inspect,
}: Pick<MonitorContext, 'view' | 'fleet' | 'inspect'>): {
  readonly exact: boolean;
  rollout(channel: string): string | null;
} {
  const failing = (fleet.faults.manifest_failure_rate ?? 0) > 0;
  return {
    get exact() {
      return inspect.manifestRef !== undefined || !failing;
    },
    rollout(channel) {
      if (inspect.manifestRef === undefined) return view.current.get(channel) ?? null;
      const ref = inspect.manifestRef(channel);
      return ref === undefined ? null : rolloutId(channel, ref);
    },
  };
}

/*
 * Dispatch invariants (spec §4.4–§4.10): which hosts the planner may send work to, when.
 */

export const dispatchWithinCursor: Invariant = {
  id: 'dispatch.within-cursor',
  statement: "no host is dispatched while its wave is beyond its rollout's current wave",
  source: 'spec §4.5 wave-promotion gate; §5.7 "no early wave-1 dispatch"',
  kind: 'safety',
  create: ({ view }) => ({
    observe(record) {
      if (record.type !== 'dispatch') return null;
      const r = view.rollouts.get(record.rolloutId);
      if (r === undefined || r.waves.length === 0) return null;
      return record.wave > r.row.currentWave
        ? `${record.host} (wave ${record.wave}) dispatched while ${record.rolloutId} is at wave ${r.row.currentWave}`
        : null;
    },
  }),
};

export const cursorAdvancesWhenDone: Invariant = {
  id: 'dispatch.cursor-when-done',
  statement:
    'the cursor advances only when every host of the current wave is Converged or Deferred',
  source: 'spec §4.4 advance_current_waves',
  kind: 'safety',
  create: ({ view }) => ({
    observe(record) {
      if (record.type !== 'wave_cursor') return null;
      const r = view.rollouts.get(record.rolloutId);
      const wave = r?.waves[record.from];
      if (r === undefined || wave === undefined) return null;
      for (const host of wave.hosts) {
        const state = r.cp.get(host);
        if (state !== 'Converged' && state !== 'Deferred') {
          return `${record.rolloutId} left wave ${record.from} while ${host} is ${state ?? 'without a record'}`;
        }
      }
      return null;
    },
  }),
};

export const hostEdgesRespected: Invariant = {
  id: 'dispatch.host-edges',
  statement:
    'a gated host is dispatched only once its gating host is Converged or Deferred in the same rollout',
  source: 'spec §4.9',
  kind: 'safety',
  create: ({ view, fleet }) => ({
    observe(record) {
      if (record.type !== 'dispatch') return null;
      const r = view.rollouts.get(record.rolloutId);
      if (r === undefined) return null;
      for (const edge of fleet.host_edges) {
        if (edge.gated !== record.host || fleet.hosts[edge.gates]?.channel !== r.row.channel)
          continue;
        const state = r.cp.get(edge.gates);
        if (state !== 'Converged' && state !== 'Deferred') {
          return `${record.host} dispatched while its gate ${edge.gates} is ${state ?? 'without a record'}`;
        }
      }
      return null;
    },
  }),
};

export const channelEdgesRespected: Invariant = {
  id: 'dispatch.channel-edges',
  statement:
    "a gated channel dispatches only once its predecessor channel's current rollout has terminal_at",
  source: 'spec §4.8',
  kind: 'safety',
  requires: {
    flags: ['manifest_failure_keeps_last'],
    deviation:
      'spec §4.1 with §4.8: a manifest poll that fails for the predecessor channel leaves it out of the cache, and the gate passes a channel with "no verified manifest", so the successor is dispatched while the predecessor still rolls out',
    perViolation: true,
  },
  create: (ctx) => {
    const { view, fleet } = ctx;
    const cached = manifestCache(ctx);
    return {
      observe(record) {
        if (record.type !== 'dispatch') return null;
        const channel = view.rollouts.get(record.rolloutId)?.row.channel;
        for (const edge of channel === undefined ? [] : channelEdgesInto(fleet, channel)) {
          const current = view.current.get(edge.gates);
          if (current === undefined) continue;
          const predecessor = view.rollouts.get(current)?.row;
          if (predecessor?.terminalAt === null || predecessor === undefined) {
            const message = `${record.host} on ${channel} dispatched while ${current} is ${predecessor?.state ?? 'unknown'}`;
            // Only a predecessor out of the cache is the deviation: a gate that passes one it
            // has is wrong under any profile (where the run cannot tell, the deviation).
            return cached.exact && cached.rollout(edge.gates) !== null
              ? message
              : { deviation: message };
          }
        }
        return null;
      },
    };
  },
};

export const quarantineRespected: Invariant = {
  id: 'dispatch.quarantine',
  statement: 'a quarantined closure is never dispatched again on its channel',
  source: 'spec §4.7; real-world: a rolled-back build re-dispatched',
  kind: 'safety',
  requires: {
    flags: ['quarantine_from_table'],
    deviation: 'spec §6 item 8: the planner is handed an empty quarantine set',
  },
  create: ({ view }) => ({
    observe(record) {
      if (record.type !== 'dispatch') return null;
      const row = view.rollouts.get(record.rolloutId)?.row;
      if (row === undefined) return null;
      const closure = targetClosure(record.host, row.targetRef);
      return view.quarantined(row.channel, closure)
        ? `${closure} dispatched to ${record.host} after its quarantine`
        : null;
    },
  }),
};

export const budgetRespected: Invariant = {
  id: 'dispatch.budget',
  statement:
    'hosts in flight (Activating or Soaking) under a disruption budget never exceed its max_in_flight',
  source: 'spec §4.10',
  kind: 'safety',
  requires: {
    flags: ['budget_counts_queued', 'drop_superseded_dispatches', 'manifest_failure_keeps_last'],
    deviation:
      "spec §6 item 16: queued-but-unacknowledged and Deferred hosts are not counted, so planning runs over-commit; and a superseded rollout's queued dispatch is still delivered; and §4.1: a channel a failed manifest poll left out of the cache has no records in fleet_state, so its hosts in flight are not counted",
    perViolation: true,
  },
  create: (ctx) => {
    const { view, fleet } = ctx;
    const planned = manifestCache(ctx);
    /** Each host's newest dispatch: the rollout it works for, superseded or not. */
    const newest = new Map<string, string>();
    /**
     * Whether the host is in flight for a rollout that is no longer current and that it
     * still works for (its newest dispatch; a current rollout's hosts are counted as such).
     */
    const supersededInFlight = (host: string): boolean => {
      const id = newest.get(host);
      const r = id === undefined ? undefined : view.rollouts.get(id);
      // Superseded, or pruned before or after a successor opened (a Failed or Reverted row
      // pruned first is never superseded): the host's reboot still comes back to it.
      if (r === undefined || view.current.get(r.row.channel) === id) return false;
      const s = r.cp.get(host);
      return s !== undefined && inFlight(s);
    };
    /**
     * The gate's own rule, as faithful has it (spec §4.10): a dispatch while the hosts of
     * a budget Activating or Soaking under the planned rollouts already reach its max.
     * Every over-commit the flags remove comes from what that count leaves out; a gate
     * that breaks even this count is wrong under any profile. (This run's own queued
     * hosts are left out here: two planning runs can share an instant.)
     */
    const gateOverrun = (host: string): Verdict => {
      // The planned rollouts' host views, looked up once a dispatch, not once a host.
      let views: ReadonlyMap<string, HostState>[] | null = null;
      for (const budget of fleet.disruption_budgets) {
        if (budget.max_in_flight === null || !budget.hosts.includes(host)) continue;
        views ??= [...view.current.keys()].flatMap((channel) => {
          const id = planned.rollout(channel);
          const r = id === null ? undefined : view.rollouts.get(id);
          return r === undefined ? [] : [r.cp];
        });
        let count = 0;
        for (const h of budget.hosts) {
          if (h === host) continue;
          if (
            views.some((cp) => {
              const s = cp.get(h);
              return s !== undefined && inFlight(s);
            })
          )
            count++;
        }
        if (count >= budget.max_in_flight) {
          const message = `${host} dispatched while ${count} ${count === 1 ? 'host' : 'hosts'} of budget ${budget.selector} ${count === 1 ? 'was' : 'were'} in flight, max ${budget.max_in_flight}: past even the gate's own count`;
          return planned.exact ? message : { deviation: message };
        }
      }
      return null;
    };
    return {
      observe(record) {
        if (record.type === 'dispatch') {
          newest.set(record.host, record.rolloutId);
          return gateOverrun(record.host);
        }
        // Judged whenever a host enters the in-flight set: dispatched (→ Activating), or
        // back from a deferral after its reboot (Deferred → Soaking), which no gate saw,
        // under a current rollout or a superseded one the host still works for (it was
        // deferred there and reboots into that closure). A host in flight counts whether
        // its rollout is current or superseded: it is disrupted either way.
        if (record.type !== 'host_transition' || record.side !== 'cp' || !inFlight(record.to))
          return null;
        if (inFlight(record.from)) return null;
        const channel = view.rollouts.get(record.rolloutId)?.row.channel;
        const current = channel !== undefined && view.current.get(channel) === record.rolloutId;
        // A deferral under an older rollout, the host dispatched by a newer one since: the
        // newer dispatch is the work it is in flight for, judged when that one starts.
        if (!current && record.from === 'Deferred' && newest.get(record.host) !== record.rolloutId)
          return null;
        for (const budget of fleet.disruption_budgets) {
          if (budget.max_in_flight === null || !budget.hosts.includes(record.host)) continue;
          let count = 1;
          for (const h of budget.hosts) {
            if (h === record.host) continue;
            let counted = supersededInFlight(h);
            for (const id of view.current.values()) {
              if (counted) break;
              const s = view.rollouts.get(id)?.cp.get(h);
              counted = s !== undefined && inFlight(s);
            }
            if (counted) count++;
          }
          if (count > budget.max_in_flight) {
            // Past a gate that kept its own count: what the flags' counting adds.
            return {
              deviation: `${count} hosts of budget ${budget.selector} in flight, max ${budget.max_in_flight}`,
            };
          }
        }
        return null;
      },
    };
  },
};

export const haltStopsDispatch: Invariant = {
  id: 'dispatch.halt',
  statement: 'a rollout that went Failed or Reverted dispatches nothing more, pruned or not',
  source: 'RFC-0005 "halt"; spec §6 items 6 and 9',
  kind: 'safety',
  requires: {
    flags: ['halt_gate'],
    deviation: 'spec §6 item 9: no gate looks at the rollout state',
  },
  create: ({ view }) => ({
    observe(record) {
      if (record.type !== 'dispatch') return null;
      const r = view.rollouts.get(record.rolloutId);
      if (r === undefined || r.haltedAt === null) return null;
      const { state } = r.row;
      return `${record.host} dispatched by ${state === 'Pruned' ? 'halted, then Pruned' : state} ${record.rolloutId}`;
    },
  }),
};

/** `DEFAULT_SOAK_MINUTES` (spec §3.10): the soak of a wave the policy does not list. */
const FALLBACK_SOAK_MINUTES = 60;

export const soakDeadline: Invariant = {
  id: 'dispatch.soak-deadline',
  statement:
    "a host is dispatched with soak_due_at = its start plus its wave's soak_minutes (60 for a wave the policy lacks): the rollout's opening, or with soak_from_dispatch its first dispatch",
  source: 'spec §3.10 compute_soak_due_at, §4.2 open_rollout step 6, §6 item 10',
  kind: 'safety',
  create: ({ view, inspect, profile }) => {
    const firstDispatch = new Map<string, number>();
    return {
      observe(record) {
        if (record.type !== 'dispatch') return null;
        const r = view.rollouts.get(record.rolloutId);
        const due = inspect.cpHost(record.rolloutId, record.host)?.soakDueAt;
        if (r === undefined || due === undefined) return null;
        const key = `${record.rolloutId}\u0000${record.host}`;
        const first = firstDispatch.get(key) ?? record.t;
        firstDispatch.set(key, first);
        const start = profile.flags.soak_from_dispatch ? first : r.row.openedAt;
        const minutes = r.waves[view.wave(record.host)]?.soak_minutes ?? FALLBACK_SOAK_MINUTES;
        const want = start + minutes * 60_000;
        if (due === want) return null;
        const got = due === null ? 'none' : `${secs(due)} s`;
        return `${record.host} dispatched on ${record.rolloutId} with soak_due_at ${got}, not ${secs(want)} s (${profile.flags.soak_from_dispatch ? 'first dispatch' : 'opened'} at ${secs(start)} s + ${minutes} min)`;
      },
    };
  },
};

export const DISPATCH_INVARIANTS = [
  dispatchWithinCursor,
  cursorAdvancesWhenDone,
  hostEdgesRespected,
  channelEdgesRespected,
  quarantineRespected,
  budgetRespected,
  haltStopsDispatch,
  soakDeadline,
];
