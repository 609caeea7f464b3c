import type { HostRecord } from '../../../machines/host/state.ts';
import { plainEqual } from '../../plain-equal.ts';
import type { TraceRecord } from '../../trace-record.ts';
import type { Invariant } from '../invariant.ts';

type HostTransitionRecord = Extract<TraceRecord, { type: 'host_transition' }>;

/*
 * Host invariants (spec §3.9–§3.12): what a host record may become, and when.
 */

function convergenceProblem(r: HostRecord): string | null {
  if (r.currentClosure !== r.targetClosure)
    return `current ${r.currentClosure} is not the target ${r.targetClosure}`;
  if (r.soakDueAt !== null && (r.convergedAt ?? 0) < r.soakDueAt)
    return 'converged before soak_due_at';
  for (const [name, p] of Object.entries(r.probes)) {
    if (p.mode === 'enforce' && p.status !== 'pass') return `enforce probe ${name} is ${p.status}`;
  }
  return null;
}

export const convergedValid: Invariant = {
  id: 'host.converged-valid',
  statement:
    'a host converges only after soak_due_at, on its target closure, with every enforce probe passing',
  source: 'spec §3.10 convergence invariants',
  kind: 'safety',
  create: ({ inspect }) => ({
    observe(record) {
      if (record.type !== 'host_transition' || record.to !== 'Converged') return null;
      const r =
        record.side === 'cp'
          ? inspect.cpHost(record.rolloutId, record.host)
          : inspect.agentHost(record.host, record.rolloutId);
      const problem = r === undefined ? 'no record' : convergenceProblem(r);
      return problem === null
        ? null
        : `${record.host} Converged on ${record.rolloutId} (${record.side}): ${problem}`;
    },
  }),
};

export const sustainedThreshold: Invariant = {
  id: 'host.sustained-threshold',
  statement:
    'a host fails out of Soaking only once a probe has been failing for the sustained-failure threshold',
  source: 'spec §3.10 advance tick, §4.13 (120 s)',
  kind: 'safety',
  create: ({ inspect, settings }) => ({
    observe(record) {
      if (
        record.type !== 'host_transition' ||
        record.side !== 'agent' ||
        record.from !== 'Soaking' ||
        record.to !== 'Failed'
      )
        return null;
      const r = inspect.agentHost(record.host, record.rolloutId);
      if (r === undefined || r.failedAt === null) return `${record.host}: Failed with no failed_at`;
      if (r.probeFailureFirstAt === null)
        return `${record.host} failed from Soaking with no probe failure`;
      const held = (r.failedAt - r.probeFailureFirstAt) / 1000;
      return held < settings.sustained_failure_threshold_secs
        ? `${record.host} failed after ${held} s of probe failure, threshold ${settings.sustained_failure_threshold_secs} s`
        : null;
    },
  }),
};

/**
 * A snapshot merged over the agent's record of a rollout that had failed or rolled back
 * (spec §3.12): the agent's own steps leave Failed only by its rollback and never leave
 * Reverted, so any other way out of them is the merge (traced under the label the agent
 * gives it). A merge that leaves the state as it was takes nothing back.
 */
function snapshotUndid(record: TraceRecord): record is HostTransitionRecord {
  return (
    record.type === 'host_transition' &&
    record.side === 'agent' &&
    (record.from === 'Failed' || record.from === 'Reverted') &&
    record.to !== record.from &&
    record.event !== 'LocalRollbackCompleted'
  );
}

export const rollbackFollowsPolicy: Invariant = {
  id: 'host.rollback-policy',
  statement:
    'under rollback-and-halt every failed host with a known prior closure ends Reverted on that closure; under halt none is Reverted',
  source: 'spec §3.9',
  kind: 'liveness',
  create: ({ inspect, fleet }) => {
    // Records a snapshot took back out of Failed or Reverted: host.rollback-kept judges
    // those (faithful's merge does it by construction, spec §3.12); here they are not
    // held to end Reverted. Everything else about them is judged as before.
    const undone = new Set<string>();
    return {
      observe(record) {
        if (snapshotUndid(record)) undone.add(`${record.host}\u0000${record.rolloutId}`);
        return null;
      },
      finish(summary) {
        if (summary.ended === 'horizon') return null;
        for (const host of Object.keys(fleet.hosts)) {
          for (const [id, r] of inspect.agentRecords(host)) {
            if (r.state !== 'Failed' && r.state !== 'Reverted') continue;
            if (r.policyApplied === 'halt' && r.state === 'Reverted')
              return `${host} on ${id} rolled back under halt`;
            if (r.policyApplied === 'rollback-and-halt' && r.currentClosureAtDispatch !== null) {
              if (r.state !== 'Reverted') {
                if (undone.has(`${host}\u0000${id}`)) continue;
                return `${host} on ${id} is still Failed under rollback-and-halt`;
              }
              if (r.currentClosure !== r.currentClosureAtDispatch) {
                return `${host} on ${id} reverted to ${r.currentClosure}, not its prior ${r.currentClosureAtDispatch}`;
              }
            }
          }
        }
        return null;
      },
    };
  },
};

export const rollbackKept: Invariant = {
  id: 'host.rollback-kept',
  statement:
    "an agent's Failed or Reverted record leaves Failed only by its own rollback: no snapshot takes a failure or a finished rollback back",
  source: 'spec §3.9, §3.12 (merge_snapshot_into_state)',
  kind: 'safety',
  requires: {
    flags: ['snapshot_keeps_newer'],
    deviation:
      "spec §3.12: merge_snapshot_into_state takes the state from the CP's snapshot (Failed records are snapshotted too), so a boot-recovery snapshot from before the CP heard of the agent's failure or rollback takes its record back, a Reverted one to Failed; rehydration fires only LocalResetProbeCache, never the rollback again",
  },
  create: () => ({
    observe(record) {
      if (!snapshotUndid(record)) return null;
      return `${record.host} on ${record.rolloutId}: a snapshot took the agent's ${record.from} record back to ${record.to}`;
    },
  }),
};

export const viewsAgree: Invariant = {
  id: 'host.views-agree',
  statement:
    "the agent's and the control plane's view of every host of a live rollout agree once the network is quiet",
  source: 'spec §3.11 (durable queue, dedup, replay_from)',
  kind: 'liveness',
  requires: {
    flags: [
      'recovery_stops_at_soaking',
      'snapshot_keeps_newer',
      'events_wait_for_manifest',
      'manifest_failure_keeps_last',
    ],
    deviation:
      "spec §3.12 LIFT #5: the CP can synthesize Converged while the agent goes on to fail and roll back; a stale boot-recovery snapshot overwrites the agent's newer record (merge_snapshot_into_state); and §6.17: an event answered by the route and dropped for want of a manifest is lost, as is the recovery of a boot heartbeat that comes while a failed poll left the channel out (its snapshot shows the agent its own record, and it asks no more)",
  },
  create: ({ inspect, view }) => ({
    finish(summary) {
      if (summary.ended === 'horizon') return null;
      for (const [id, r] of view.rollouts) {
        // A superseded rollout's mirror is history: its late events can lose their seq to
        // recovery synthesis (spec §6 item 18) and nothing asks for them again.
        if (r.row.state === 'Superseded' || r.row.state === 'Pruned') continue;
        for (const host of r.cp.keys()) {
          const cp = inspect.cpHost(id, host)?.state;
          const agent = inspect.agentHost(host, id)?.state ?? 'Pending';
          if (cp !== undefined && cp !== agent)
            return `${host} on ${id}: agent ${agent}, control plane ${cp}`;
        }
      }
      return null;
    },
  }),
};

export const seqOnlyGrows: Invariant = {
  id: 'host.seq-grows',
  statement:
    "the control plane never applies a stale seq: a host record's last_event_seq only grows",
  source: 'spec §3.7, §3.11',
  kind: 'safety',
  create: ({ inspect }) => {
    const last = new Map<string, number>();
    return {
      observe(record) {
        if (record.type !== 'host_transition' || record.side !== 'cp') return null;
        const seq = inspect.cpHost(record.rolloutId, record.host)?.lastEventSeq ?? 0;
        const key = `${record.rolloutId}\u0000${record.host}`;
        const prior = last.get(key) ?? 0;
        last.set(key, seq);
        return seq <= prior
          ? `${record.host} on ${record.rolloutId}: last_event_seq ${prior} → ${seq}`
          : null;
      },
    };
  },
};

export const freshProbes: Invariant = {
  id: 'host.fresh-probes',
  statement:
    'no host converges on a rollout with probe results from before its activation on that rollout',
  source:
    'real-world: a superseding ref must restart validation (stale Pass results from the old closure)',
  kind: 'safety',
  // The agent's record: the CP's activation time can be a synthesized one (§3.12), stamped
  // on the CP's clock, while probe times are on the host's. So the activation's time is
  // taken from the trace (the agent entering Soaking), and probe times are put back on
  // the world's clock before they are compared.
  create: ({ inspect }) => {
    const soakingSince = new Map<string, number>();
    return {
      observe(record) {
        if (record.type !== 'host_transition' || record.side !== 'agent') return null;
        const k = `${record.host}\u0000${record.rolloutId}`;
        if (record.to === 'Soaking') soakingSince.set(k, record.t);
        if (record.to !== 'Converged') return null;
        const r = inspect.agentHost(record.host, record.rolloutId);
        const since = soakingSince.get(k);
        if (r === undefined || since === undefined) return null;
        const skew = inspect.clockSkew?.(record.host) ?? 0;
        for (const [name, p] of Object.entries(r.probes)) {
          if (p.lastObservedAt - skew < since) {
            return `${record.host} converged on ${record.rolloutId} with ${name} last observed before activation`;
          }
        }
        return null;
      },
    };
  },
};

export const probeObservedFirst: Invariant = {
  id: 'host.probe-observed',
  statement: 'a host that declares probes converges only after one has been observed',
  source: 'RFC-0005 §6, RFC-0007 §8.3; real-world: missing probe data converged',
  kind: 'safety',
  requires: {
    flags: ['require_probe_observation'],
    deviation: 'spec §6 item 11: convergence needs no probe observation',
  },
  create: ({ inspect, fleet }) => ({
    observe(record) {
      if (record.type !== 'host_transition' || record.side !== 'agent' || record.to !== 'Converged')
        return null;
      const declares = fleet.hosts[record.host]?.probes.some((p) => p.mode !== 'disabled') ?? false;
      const r = inspect.agentHost(record.host, record.rolloutId);
      return declares && r?.probeObservedFirstAt === null
        ? `${record.host} converged on ${record.rolloutId} without any probe observation`
        : null;
    },
  }),
};

/** What only the agent knows of its record: a snapshot merge keeps these (spec §3.12). */
const AGENT_OWN_FIELDS = [
  'probes',
  'probeObservedFirstAt',
  'probeFailureFirstAt',
  'activationFailedAt',
  'failedAt',
  'convergedAt',
  'revertedTo',
  'revertedAt',
  'policyApplied',
] as const satisfies readonly (keyof HostRecord)[];

export const mergeKeepsOwnFields: Invariant = {
  id: 'host.merge-keeps-own',
  statement:
    'what only the agent knows of its record (probe results, failure, convergence and revert times, policy applied) changes only by its own steps: a snapshot merge keeps it',
  source:
    'spec §3.12 merge_snapshot_into_state: fields kept from the existing local record; probe_failure_first_at must survive',
  kind: 'safety',
  // Between two of an agent's steps on a record only a snapshot merge writes it, and the
  // next step shows the record the merge left: compared with what the previous step made.
  // Mostly it is that very object (the columns hand back the record last stored).
  create: () => {
    const made = new Map<string, Map<string, HostRecord>>();
    return {
      hostStep({ side, host, before, result }) {
        if (side !== 'agent') return null;
        let records = made.get(host);
        if (records === undefined) {
          records = new Map();
          made.set(host, records);
        }
        const prior = records.get(before.rolloutId);
        if (result.ok) records.set(before.rolloutId, result.record);
        if (prior === undefined || prior === before) return null;
        for (const field of AGENT_OWN_FIELDS) {
          if (!plainEqual(prior[field], before[field]))
            return `${host} on ${before.rolloutId}: ${field} changed between two of its agent's steps (${JSON.stringify(prior[field])} → ${JSON.stringify(before[field])})`;
        }
        return null;
      },
    };
  },
};

export const recoveryAccepted: Invariant = {
  id: 'host.recovery-accepted',
  statement: 'the host reducer accepts every event the control plane makes up in boot recovery',
  source:
    'spec §3.12 recovery synthesis: the completion the host missed, stamped so that it applies (converged_at = max(at, soak_due_at))',
  kind: 'safety',
  create: () => ({
    hostStep({ side, host, before, event, result, synthesized }) {
      if (side !== 'cp' || !synthesized || result.ok) return null;
      return `control plane ${host} ${before.rolloutId}: recovery's ${event.type} in ${before.state} was refused (${result.error.type})`;
    },
  }),
};

export const priorClosureRuns: Invariant = {
  id: 'host.prior-closure-runs',
  statement:
    'the closure an agent records at dispatch as its rollback target (current_closure_at_dispatch) is the one the host runs then, not one it is still to boot',
  source:
    'spec §3.2 host record (current_closure_at_dispatch: the rollback target), Pending × LocalActivate; real-world: /run/booted-system taken for /run/current-system',
  kind: 'safety',
  create: ({ inspect }) => ({
    hostStep({ side, host, before, event, result }) {
      if (side !== 'agent' || event.type !== 'LocalActivate' || before.state !== 'Pending')
        return null;
      if (!result.ok) return null;
      const running = inspect.running(host);
      return event.currentClosureAtDispatch === running
        ? null
        : `${host} took ${before.rolloutId}'s dispatch running ${running} but recorded ${event.currentClosureAtDispatch} to roll back to`;
    },
  }),
};

export const HOST_INVARIANTS = [
  convergedValid,
  sustainedThreshold,
  rollbackFollowsPolicy,
  rollbackKept,
  viewsAgree,
  seqOnlyGrows,
  freshProbes,
  probeObservedFirst,
  mergeKeepsOwnFields,
  recoveryAccepted,
  priorClosureRuns,
];
