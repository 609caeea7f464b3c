import type { HostState } from '../../../machines/host/state.ts';
import type { Invariant } from '../invariant.ts';

/*
 * The control plane's side of spec §4.3: every host state change it mirrors is offered to
 * the rollout as `HostStateChanged`, at once. A control plane that drops one leaves the
 * rollout Active over a Failed host, and no reducer re-derivation can see it: the event
 * that was never offered has no result to check.
 */

export const hostChangesForwarded: Invariant = {
  id: 'rollout.host-changes-forwarded',
  statement:
    'every host state change on the control plane is offered to its rollout as HostStateChanged{host, from, to} at once',
  source: 'spec §4.3 handle_host_event; §6 item 3 for the one change intent withholds',
  kind: 'safety',
  create: ({ profile, inspect }) => {
    let pending: { rolloutId: string; host: string; from: HostState; to: HostState } | null = null;
    return {
      observe(record) {
        if (pending !== null) {
          const p = pending;
          pending = null;
          const offered =
            record.type === 'rollout_event' &&
            record.rolloutId === p.rolloutId &&
            record.event.type === 'HostStateChanged' &&
            record.event.hostId === p.host &&
            record.event.from === p.from &&
            record.event.to === p.to;
          if (!offered)
            return `${p.host} went ${p.from} → ${p.to} on ${p.rolloutId}, and no HostStateChanged was offered to the rollout`;
        }
        if (record.type !== 'host_transition' || record.side !== 'cp') return null;
        if (record.to === 'Failed' && profile.flags.rollback_reverts_rollout) {
          // Intent (spec §6.3): the failure is withheld when a rollback will follow.
          const r = inspect.cpHost(record.rolloutId, record.host);
          if (r?.policyApplied === 'rollback-and-halt' && r.currentClosureAtDispatch !== null)
            return null;
        }
        pending = {
          rolloutId: record.rolloutId,
          host: record.host,
          from: record.from,
          to: record.to,
        };
        return null;
      },
    };
  },
};
