import type { HostState } from '../../machines/host/state.ts';
import {
  openRolloutRecord,
  type RolloutId,
  type RolloutRecord,
} from '../../machines/rollout/state.ts';
import { applyRolloutEffects } from '../control-plane/rollout-applier.ts';
import {
  channelWaves,
  type Fleet,
  hostWaveIndex,
  targetClosure,
  type Wave,
} from '../fleet/fleet.ts';
import type { TraceRecord } from '../trace-record.ts';

/** What the trace says about one rollout so far. */
export interface RolloutView {
  /** The row as the control plane's effects have shaped it. */
  row: RolloutRecord;
  readonly waves: readonly Wave[];
  /** Host states on the control plane's side (every joined host, from Pending on). */
  readonly cp: Map<string, HostState>;
  readonly agent: Map<string, HostState>;
  /** The cursor when the rollout entered Failed or Reverted, if it did. */
  haltedAt: number | null;
}

/**
 * The lifecycle as the trace stream tells it, record by record: the state every monitor
 * reads, built once. It knows only what the records say; monitors that need more ask the
 * run through `Inspect`.
 */
export class LifecycleView {
  readonly rollouts = new Map<RolloutId, RolloutView>();
  /** The newest rollout opened per channel: the one its current manifest names. */
  readonly current = new Map<string, RolloutId>();
  /** (channel, closure) pairs quarantined by a rollback that reached the control plane. */
  readonly quarantine = new Set<string>();

  constructor(private readonly fleet: Fleet) {}

  wave(host: string): number {
    return hostWaveIndex(this.fleet, host);
  }

  /** Take in one record. */
  update(record: TraceRecord): void {
    switch (record.type) {
      case 'rollout_opened': {
        this.rollouts.set(record.rolloutId, {
          row: openRolloutRecord(record.channel, record.targetRef, record.t),
          waves: channelWaves(this.fleet, record.channel),
          cp: new Map(),
          agent: new Map(),
          haltedAt: null,
        });
        this.current.set(record.channel, record.rolloutId);
        return;
      }
      case 'rollout_event': {
        const r = this.rollouts.get(record.rolloutId);
        if (r === undefined) return;
        if (record.event.type === 'HostJoined' && !r.cp.has(record.event.hostId))
          r.cp.set(record.event.hostId, 'Pending');
        if (!record.result.ok) return;
        const row = applyRolloutEffects(r.row, record.result.effects);
        if ((row.state === 'Failed' || row.state === 'Reverted') && r.haltedAt === null)
          r.haltedAt = row.currentWave;
        r.row = row;
        return;
      }
      case 'wave_cursor': {
        const r = this.rollouts.get(record.rolloutId);
        if (r !== undefined && record.to > r.row.currentWave)
          r.row = { ...r.row, currentWave: record.to };
        return;
      }
      case 'host_transition': {
        const r = this.rollouts.get(record.rolloutId);
        if (r === undefined) return;
        (record.side === 'cp' ? r.cp : r.agent).set(record.host, record.to);
        if (record.side === 'cp' && record.from === 'Failed' && record.to === 'Reverted') {
          this.quarantine.add(
            `${r.row.channel}\u0000${targetClosure(record.host, r.row.targetRef)}`,
          );
        }
        return;
      }
      default:
        return;
    }
  }

  quarantined(channel: string, closure: string): boolean {
    return this.quarantine.has(`${channel}\u0000${closure}`);
  }
}
