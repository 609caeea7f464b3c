import { targetClosure } from '../../fleet/fleet.ts';
import { secondsIntoRun } from '../../world.ts';
import type { AgentRefusal, Invariant } from '../invariant.ts';

/*
 * What the host reducers leave behind beyond the record (spec §3.8.1, §3.11): the
 * quarantine row a rollback writes, and the steps an agent's own reducer refuses. Both are
 * invisible in the trace; the monitors read them through `Inspect`.
 */

const pair = (k: string) => k.replace('\u0000', ' ');

export const quarantineTarget: Invariant = {
  id: 'host.quarantine-target',
  statement:
    "the closure quarantined after a rollback is the reverted host's target closure on its channel, and nothing is quarantined without a rollback",
  source: 'spec §3.8.1 RemoteRollbackComplete (RemoteInsertQuarantine), §4.7',
  kind: 'safety',
  create: ({ inspect, view }) => {
    const known = new Set<string>();
    return {
      observe(record) {
        const table = inspect.quarantine?.();
        if (table === undefined || table.size === known.size) {
          if (!(record.type === 'host_transition' && record.from === 'Failed')) return null;
        }
        const added: string[] = [];
        for (const k of table ?? []) {
          if (!known.has(k)) {
            known.add(k);
            added.push(k);
          }
        }
        const revert =
          record.type === 'host_transition' &&
          record.side === 'cp' &&
          record.from === 'Failed' &&
          record.to === 'Reverted';
        if (!revert) {
          return added.length === 0
            ? null
            : `${added.map(pair).join(', ')} quarantined with no rollback`;
        }
        const row = view.rollouts.get(record.rolloutId)?.row;
        if (row === undefined || table === undefined) return null;
        const target =
          inspect.cpHost(record.rolloutId, record.host)?.targetClosure ??
          targetClosure(record.host, row.targetRef);
        const expected = `${row.channel}\u0000${target}`;
        const wrong = added.filter((k) => k !== expected);
        if (!table.has(expected) || wrong.length > 0) {
          return `${record.host}'s rollback on ${record.rolloutId} quarantined ${wrong.length === 0 ? 'nothing new' : wrong.map(pair).join(', ')}, not its target ${pair(expected)}${table.has(expected) ? ' alone' : ''}`;
        }
        return null;
      },
    };
  },
};

/**
 * Refusals the spec itself describes, left out:
 * - spec §4.5: the planner queues a Pending host again until its DispatchAck arrives, so
 *   a second dispatch can reach an agent that already took the first; its LocalActivate
 *   is refused and dropped by design.
 * - spec §3.12: rehydration resets the probe cache in every state but Pending, and the
 *   reload declares the probe topology, which only a Soaking record accepts. Found by
 *   this monitor (a Deferred record's snapshot after a reboot); harmless, as the
 *   declaration is made again when the record starts soaking, but noise the agent could
 *   avoid by reloading only a Soaking record's probes.
 * - spec §3.12 merge: a boot-recovery snapshot's state wins over the agent's own, even
 *   when it is older (a Pending record whose DispatchAck the CP has not seen yet
 *   overwrites the agent's Activating one), and the agent's next step on that record is
 *   refused. Found by this monitor under both profiles; no profile flag changes it yet,
 *   so any refusal on a record a snapshot overwrote is left out (see the README).
 */
function documented(r: AgentRefusal): boolean {
  if (r.cause === 'dispatch_response') return r.state !== null && r.state !== 'Pending';
  if (r.cause === 'probes_reset') return r.state !== 'Soaking';
  return false;
}

export const localNeverRefused: Invariant = {
  id: 'host.local-never-refused',
  statement:
    "an agent never steps a Local event its own reducer refuses (illegal in the record's state, or a stale seq)",
  source:
    'spec §3.4–§3.7 (each Local event is legal exactly where the agent produces it), §3.11 seq',
  kind: 'safety',
  create: ({ inspect }) => {
    let seen = 0;
    /** Agent records a control-plane snapshot overwrote (spec §3.12 merge), by host and rollout. */
    const merged = new Set<string>();
    return {
      observe(record) {
        // Only a snapshot merge traces an agent-side transition under a Remote event.
        if (
          record.type === 'host_transition' &&
          record.side === 'agent' &&
          record.event.startsWith('Remote')
        )
          merged.add(`${record.host}\u0000${record.rolloutId}`);
        const refusals = inspect.agentRefusals?.();
        if (refusals === undefined) return null;
        for (; seen < refusals.length; seen++) {
          const r = refusals[seen] as AgentRefusal;
          if (documented(r) || merged.has(`${r.host}\u0000${r.rolloutId}`)) continue;
          seen++;
          const when = r.t === record.t ? '' : ` at ${secondsIntoRun(r.t)} s`;
          return `${r.host}'s agent stepped a Local event its reducer refused${when}, handling ${r.cause}`;
        }
        return null;
      },
    };
  },
};

export const HOST_EFFECT_INVARIANTS = [quarantineTarget, localNeverRefused];
