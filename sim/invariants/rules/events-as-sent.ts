import type { HostEvent } from '../../../machines/host/event.ts';
import { remoteOf } from '../../../machines/host/outbound.ts';
import { differingKeys, plainEqual } from '../../plain-equal.ts';
import type { Invariant } from '../invariant.ts';

/**
 * The control plane mirrors a host from the events its agent emitted (spec §3.5: a Remote
 * event carries exactly the wire payload's fields). Between the two lie the agent's sent
 * log, its outbox and resends, the network, duplicates and replays past the route: none
 * of them may change an event. Each is judged where the control plane steps it, against
 * every payload the agent emitted under that rollout and seq (a snapshot can set an
 * agent's seq back, so one seq can carry two events). Only the control plane's own
 * recovery makes events up (§3.12), and it says so.
 */
export const eventsAsSent: Invariant = {
  id: 'host.events-as-sent',
  statement:
    'the control plane steps only events an agent emitted: every Remote event it applies carries the fields of the payload its agent emitted with that seq',
  source: 'spec §3.5 (OutboundAgentEvent), §3.11 (durable queue, replay_from resends)',
  kind: 'safety',
  create: () => {
    /** Every payload emitted, as the Remote event it must arrive as, by host, rollout, seq. */
    const emitted = new Map<string, HostEvent[]>();
    const key = (host: string, rolloutId: string, seq: number) =>
      `${host}\u0000${rolloutId}\u0000${seq}`;
    return {
      hostStep({ side, host, before, event, result, synthesized }) {
        if (side === 'agent') {
          if (!result.ok) return null;
          for (const effect of result.effects) {
            if (effect.type !== 'LocalEmitEvent') continue;
            // As the control plane's route converts it.
            const remote = remoteOf(effect.payload);
            const k = key(host, before.rolloutId, remote.seq);
            const known = emitted.get(k);
            if (known === undefined) emitted.set(k, [remote]);
            else known.push(remote);
          }
          return null;
        }
        if (synthesized || !event.type.startsWith('Remote')) return null;
        const { seq } = event;
        const sent = emitted.get(key(host, before.rolloutId, seq));
        if (sent?.some((p) => plainEqual(p, event))) return null;
        const what = `${host} on ${before.rolloutId}: the control plane stepped ${event.type} seq ${seq}`;
        return sent === undefined
          ? `${what}, which the agent never emitted`
          : `${what} unlike the agent's event of that seq: ${differences(event, sent[0] as HostEvent)}`;
      },
    };
  },
};

/** The fields two events differ in, as `field got, sent`. */
function differences(got: HostEvent, sent: HostEvent): string {
  const a = got as unknown as Record<string, unknown>;
  const b = sent as unknown as Record<string, unknown>;
  const show = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v));
  return differingKeys(got, sent)
    .map((k) => `${k} ${show(a[k])}, sent ${show(b[k])}`)
    .join('; ');
}
