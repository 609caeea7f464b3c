import type { HostState } from '../../machines/host/state.ts';
import { type Instant, toInstant } from '../../machines/time.ts';
import { makeFleet } from '../../sim/fleet/build.ts';
import type { Fleet, Host, Wave } from '../../sim/fleet/fleet.ts';
import { profile } from '../../sim/profile.ts';
import { DEFAULT_SETTINGS } from '../../sim/settings.ts';
import type { RolloutOutcome, RunSummary } from '../../sim/summary.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';
import type { TraceHeader } from '../trace/format.ts';
import { withInstants } from '../trace/instants.ts';
import type { Auditor } from './rederive.ts';

/*
 * An audited log as a rollout-sim-trace/1 trace, so that `replay` shows it and the
 * invariant monitors judge it: the re-derived steps become the records the simulator
 * writes for the same happenings (DESIGN §4.5). The fleet in the header is what the
 * log reveals: channels from the rollouts, waves from `HostJoined`, hosts from both.
 * Times are the log's, on the trace's millisecond clock; the header's `start` is the
 * first row's time. The profile is `faithful`: the log is nixfleet's runtime at 080d6cd.
 */

export interface AuditTrace {
  readonly header: TraceHeader;
  readonly start: Instant;
  readonly records: readonly TraceRecord[];
}

function fleetOf(auditor: Auditor, onHealthFailure: 'halt' | 'rollback-and-halt'): Fleet {
  const waves = new Map<string, Map<number, Set<string>>>();
  const hosts: Record<string, Host> = {};
  const addHost = (channel: string, host: string, wave: number | null) => {
    hosts[host] ??= { channel, tags: [], probes: [], initial_closure: `${host}-initial` };
    if (wave === null) return;
    const byWave = waves.get(channel) ?? new Map<number, Set<string>>();
    waves.set(channel, byWave);
    const set = byWave.get(wave) ?? new Set<string>();
    byWave.set(wave, set);
    set.add(host);
  };
  const firstRef = new Map<string, string>();
  for (const s of auditor.steps) {
    if (s.kind === 'rollout_opened') {
      if (!firstRef.has(s.record.channel)) firstRef.set(s.record.channel, s.record.targetRef);
    } else if (s.kind === 'rollout_step' && s.event.type === 'HostJoined') {
      const channel = auditor.rollouts.get(s.rolloutId)?.channel ?? s.rolloutId;
      addHost(channel, s.event.hostId, s.event.wave);
    }
  }
  for (const h of auditor.hosts.values()) addHost(h.channel, h.hostname, null);
  const channels: Fleet['channels'] = {};
  const policies: Fleet['rollout_policies'] = {};
  const names = new Set([...firstRef.keys(), ...waves.keys()]);
  for (const channel of names) {
    const byWave = waves.get(channel) ?? new Map<number, Set<string>>();
    const count = byWave.size === 0 ? 0 : Math.max(...byWave.keys()) + 1;
    const list: Wave[] = Array.from({ length: count }, (_, i) => ({
      hosts: [...(byWave.get(i) ?? [])].sort(),
      soak_minutes: 0,
    }));
    (policies as Record<string, unknown>)[channel] = {
      strategy: 'staged',
      on_health_failure: onHealthFailure,
      waves: list,
    };
    (channels as Record<string, unknown>)[channel] = {
      rollout_policy: channel,
      initial_ref: firstRef.get(channel) ?? '',
      releases: [],
    };
  }
  return makeFleet({ name: 'audit', channels, rollout_policies: policies, hosts });
}

/**
 * Where a step goes on the trace's clock: its row's `ts`, but a rollout's opening at the
 * event's own `at`. A trace's `rollout_opened` time is the rollout's `opened_at` (the
 * monitors build the row from it), and a row logged a second after its event made
 * `model.steps-agree` report the first HostJoined's record as wrong in `openedAt`.
 */
function timeOf(s: Auditor['steps'][number]): Instant {
  return toInstant(s.kind === 'rollout_opened' ? s.record.openedAt : s.row.at);
}

export function auditTrace(
  auditor: Auditor,
  onHealthFailure: 'halt' | 'rollback-and-halt',
): AuditTrace {
  const first = auditor.steps[0];
  const start = first === undefined ? 0 : timeOf(first);
  const records: TraceRecord[] = [];
  let t = start;
  const waveOf = new Map<string, number>();
  const cursor = new Map<string, number>();
  for (const s of auditor.steps) {
    t = Math.max(t, timeOf(s));
    switch (s.kind) {
      case 'rollout_opened':
        records.push({
          type: 'rollout_opened',
          t,
          rolloutId: s.record.rolloutId,
          channel: s.record.channel,
          targetRef: s.record.targetRef,
        });
        cursor.set(s.record.rolloutId, 0);
        break;
      case 'rollout_step': {
        const prior = cursor.get(s.rolloutId) ?? 0;
        const wave = s.result.ok ? s.result.record.currentWave : prior;
        if (s.event.type === 'HostJoined')
          waveOf.set(`${s.rolloutId} ${s.event.hostId}`, s.event.wave);
        records.push(
          withInstants({
            type: 'rollout_event',
            t,
            rolloutId: s.rolloutId,
            event: s.event,
            result: s.result,
            currentWave: wave,
          }) as TraceRecord,
        );
        if (wave !== prior) {
          records.push({ type: 'wave_cursor', t, rolloutId: s.rolloutId, from: prior, to: wave });
          cursor.set(s.rolloutId, wave);
        }
        break;
      }
      case 'host_step':
        if (s.result.ok && s.result.record.state !== s.before.state) {
          records.push({
            type: 'host_transition',
            t,
            side: 'cp',
            rolloutId: s.before.rolloutId,
            host: s.before.hostname,
            event: s.event as never,
            from: s.before.state,
            to: s.result.record.state,
          });
        }
        break;
      case 'dispatch':
        records.push({
          type: 'dispatch',
          t,
          rolloutId: s.rolloutId,
          host: s.host,
          wave: waveOf.get(`${s.rolloutId} ${s.host}`) ?? 0,
        });
        break;
      case 'gate':
        records.push({
          type: 'gate',
          t,
          rolloutId: s.rolloutId,
          host: s.host,
          gate: s.gate,
          reason: s.reason,
        });
        break;
    }
  }
  const rollouts: RolloutOutcome[] = [...auditor.rollouts.values()].map((r) => {
    const counts: Partial<Record<HostState, number>> = {};
    for (const h of auditor.hosts.values()) {
      if (h.rolloutId === r.rolloutId) counts[h.state] = (counts[h.state] ?? 0) + 1;
    }
    return {
      rolloutId: r.rolloutId,
      channel: r.channel,
      targetRef: r.targetRef,
      state: r.state,
      currentWave: r.currentWave,
      openedAt: toInstant(r.openedAt),
      terminalAt: r.terminalAt === null ? null : toInstant(r.terminalAt),
      supersededAt: r.supersededAt === null ? null : toInstant(r.supersededAt),
      hosts: counts,
    };
  });
  const summary: RunSummary = {
    fleet: 'audit',
    profile: 'faithful',
    seed: 0,
    rollouts,
    simSeconds: (t - start) / 1000,
    wallSeconds: null,
    // A log is a window on a live system: judge liveness only if every rollout settled.
    ended: rollouts.every((r) =>
      ['Terminal', 'Superseded', 'Pruned', 'Failed', 'Reverted'].includes(r.state),
    )
      ? 'terminal'
      : 'horizon',
    stall: null,
    unsettled: null,
    events: {
      hostSteps: auditor.steps.filter((s) => s.kind === 'host_step').length,
      rolloutSteps: auditor.steps.filter((s) => s.kind === 'rollout_step').length,
      scheduled: 0,
      dispatches: auditor.steps.filter((s) => s.kind === 'dispatch').length,
      deferredDispatches: auditor.steps.filter((s) => s.kind === 'gate').length,
      faults: 0,
      droppedErrors: 0,
    },
    quarantined: [],
  };
  records.push({ type: 'end', t, summary });
  const header: TraceHeader = {
    seed: 0,
    profile: profile('faithful'),
    fleet: fleetOf(auditor, onHealthFailure),
    settings: DEFAULT_SETTINGS,
    untilSeconds: null,
  };
  return { header, start, records };
}
