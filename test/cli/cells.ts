import type { HostEvent, HostEventType } from '../../machines/host/event.ts';
import {
  HOST_STATES,
  type HostPolicy,
  type HostRecord,
  type HostState,
} from '../../machines/host/state.ts';
import type { RolloutEvent } from '../../machines/rollout/event.ts';
import type { RolloutRecord, RolloutState } from '../../machines/rollout/state.ts';
import { SPEC_EVENTS, SPEC_STATES } from '../../sim/spec-model/host.ts';
import {
  eventOf,
  HALT,
  T0 as HOST_T0,
  MIN,
  PRIOR,
  ROLLBACK,
  recordIn,
  SEC,
  SOAK_DUE,
} from '../machines/host/fixtures.ts';
import {
  DAY,
  EVENT_TYPES,
  ev,
  HOUR,
  R1_ID,
  R3_ID,
  STATES,
  T0,
  withForeignIds,
} from '../machines/rollout/fixtures.ts';

/*
 * Every cell of spec §1.4 (8 states × 8 events, with the HostStateChanged and
 * WaveAdvanced sub-cases of §1.5) and of §3.8 (7 states × 24 events, under both
 * policies, plus the sub-cases of §3.8.1–§3.11), as domain values for the step CLI.
 */

export interface RolloutCell {
  readonly kind: 'rollout';
  readonly label: string;
  readonly record: RolloutRecord;
  readonly event: RolloutEvent;
}

export interface HostCell {
  readonly kind: 'host';
  readonly label: string;
  readonly record: HostRecord;
  readonly event: HostEvent;
  readonly policy: HostPolicy;
}

// ---------------------------------------------------------------------------------------
// Rollout

const AT = T0 + 3 * DAY;
/** Base records sit at cursor 2, so wave events land below, on and above it. */
export const CURSOR = 2;

function rolloutBase(state: RolloutState): RolloutRecord {
  return {
    rolloutId: R1_ID,
    channel: 'stable',
    targetRef: 'ref-1',
    state,
    currentWave: CURSOR,
    openedEventLogSeq: 11,
    lastTransitionEventLogSeq: 12,
    openedAt: T0,
    terminalAt: state === 'Terminal' || state === 'Pruned' ? T0 + 1 * HOUR : null,
    supersededAt: state === 'Superseded' || state === 'Pruned' ? T0 + 2 * HOUR : null,
  };
}

/** The WaveAdvanced sub-cases of §1.5, as (from, to) against cursor 2. */
export const WAVE_CASES = [
  { label: 'to > from, to > current_wave', from: 1, to: 3 },
  { label: 'to > from, from > current_wave', from: 3, to: 4 },
  { label: 'to > from, to < current_wave', from: 0, to: 1 },
  { label: 'to > from, to == current_wave', from: 1, to: 2 },
  { label: 'to == from', from: 2, to: 2 },
  { label: 'to == from > current_wave', from: 4, to: 4 },
  { label: 'to < from', from: 3, to: 1 },
] as const;

function rolloutEventsFor(): { label: string; event: RolloutEvent }[] {
  return [
    { label: 'RolloutOpened', event: ev.opened(AT) },
    { label: 'HostJoined wave 0', event: ev.joined(AT, 0, 'h3') },
    { label: 'HostJoined wave 4 > current_wave', event: ev.joined(AT, 4, 'h3') },
    ...HOST_STATES.map((to) => ({
      label: `HostStateChanged to == ${to}`,
      event: ev.hostChanged(AT, 'Soaking', to),
    })),
    ...WAVE_CASES.map((w) => ({
      label: `WaveAdvanced ${w.from}→${w.to} (${w.label})`,
      event: ev.waveAdvanced(AT, w.from, w.to),
    })),
    { label: 'RolloutTerminal', event: ev.terminal(AT) },
    { label: 'SuccessorOpened', event: ev.successor(AT, R1_ID, R3_ID) },
    { label: 'RetentionExpired', event: ev.retention(AT) },
    { label: 'OperatorClearance', event: ev.clearance(AT) },
  ];
}

export function rolloutCells(): RolloutCell[] {
  const cells: RolloutCell[] = [];
  for (const state of STATES) {
    for (const { label, event } of rolloutEventsFor()) {
      const record = rolloutBase(state);
      cells.push({ kind: 'rollout', label: `${state} × ${label}`, record, event });
      // The reducer never compares ids: the same cell naming some other rollout.
      cells.push({
        kind: 'rollout',
        label: `${state} × ${label}, foreign ids`,
        record,
        event: withForeignIds(event),
      });
    }
  }
  return cells;
}

export { EVENT_TYPES as ROLLOUT_EVENT_COLUMNS, STATES as ROLLOUT_STATE_ROWS };

// ---------------------------------------------------------------------------------------
// Host

const policyName = (p: HostPolicy) => p.onHealthFailure;

export function hostCells(): HostCell[] {
  const cells: HostCell[] = [];
  const cell = (label: string, record: HostRecord, event: HostCell['event'], policy: HostPolicy) =>
    cells.push({ kind: 'host', label, record, event, policy });

  // The 7 × 24 table, under both policies, each event one seq past the record's.
  for (const state of SPEC_STATES) {
    for (const type of SPEC_EVENTS) {
      for (const policy of [HALT, ROLLBACK]) {
        const record = recordIn(state);
        cell(
          `${state} × ${type} (${policyName(policy)})`,
          record,
          eventOf(type, record.lastEventSeq + 1),
          policy,
        );
      }
    }
  }

  // §3.7 / §3.11: SeqRegression before legality, in every state; gaps are allowed.
  for (const state of SPEC_STATES) {
    const record = recordIn(state);
    cell(
      `${state}: seq == last_event_seq`,
      record,
      eventOf('LocalActivate', record.lastEventSeq),
      HALT,
    );
    cell(`${state}: seq 0`, record, eventOf('RemoteConverged', 0), HALT);
    cell(`${state}: seq gap`, record, eventOf('RemoteDispatchAck', record.lastEventSeq + 50), HALT);
  }

  // §3.8.1: the rollback only when the policy rolls back and the prior closure is known.
  const noPrior = recordIn('Activating', { currentClosureAtDispatch: null });
  cell(
    'Activating × LocalActivationFailed, no prior closure',
    noPrior,
    eventOf('LocalActivationFailed', 2),
    ROLLBACK,
  );
  const soakingNoPrior = recordIn('Soaking', { currentClosureAtDispatch: null });
  for (const applied of ['halt', 'rollback-and-halt'] as const) {
    for (const [label, record] of [
      ['prior known', recordIn('Soaking')],
      ['no prior closure', soakingNoPrior],
    ] as const) {
      cell(
        `Soaking × LocalSustainedFailureCrossed, policy_applied ${applied}, ${label}`,
        record,
        eventOf('LocalSustainedFailureCrossed', 8, { policyApplied: applied }),
        // The event's policy decides, not the argument: give the other one.
        applied === 'halt' ? ROLLBACK : HALT,
      );
      cell(
        `Soaking × RemoteFailed, policy_applied ${applied}, ${label}`,
        record,
        eventOf('RemoteFailed', 8, { policyApplied: applied }),
        ROLLBACK,
      );
    }
  }

  // §3.10: the three convergence invariants, first failure wins, and the edges.
  const soaking = recordIn('Soaking');
  for (const type of ['LocalConvergedReached', 'RemoteConverged'] as const) {
    cell(`${type}: off target`, soaking, eventOf(type, 8, { currentClosure: 'other' }), HALT);
    cell(`${type}: before soak`, soaking, eventOf(type, 8, { convergedAt: SOAK_DUE - 1 }), HALT);
    cell(`${type}: at soak_due_at`, soaking, eventOf(type, 8, { convergedAt: SOAK_DUE }), HALT);
    cell(
      `${type}: no soak_due_at`,
      recordIn('Soaking', { soakDueAt: null }),
      eventOf(type, 8, { convergedAt: HOST_T0 }),
      HALT,
    );
    const failingEnforce = recordIn('Soaking', {
      probes: {
        web: {
          status: 'fail',
          mode: 'enforce',
          lastObservedAt: HOST_T0 + 9 * SEC,
          lastPassAt: null,
          failureReason: 'x',
        },
      },
    });
    cell(`${type}: enforce probe failing`, failingEnforce, eventOf(type, 8), HALT);
    cell(
      `${type}: all three fail, closure wins`,
      failingEnforce,
      eventOf(type, 8, { currentClosure: 'other', convergedAt: HOST_T0 }),
      HALT,
    );
    cell(`${type}: empty probes`, recordIn('Soaking', { probes: {} }), eventOf(type, 8), HALT);
  }

  // update_probe: a new probe passing, an existing one failing then passing.
  for (const type of ['LocalProbeResult', 'RemoteProbeResult'] as const) {
    cell(
      `${type}: new probe, pass`,
      soaking,
      eventOf(type, 8, { probeName: 'fresh', status: 'pass', failureReason: 'ignored' }),
      HALT,
    );
    cell(`${type}: existing probe, fail`, soaking, eventOf(type, 8), HALT);
    cell(
      `${type}: sub_results passed through`,
      soaking,
      eventOf(type, 8, {
        subResults: [
          {
            controlId: 'nis2-21',
            status: 'fail',
            framework: 'nis2',
            article: null,
            effectiveMode: 'observe',
            overrideReason: 'pilot',
          },
        ],
      }),
      HALT,
    );
  }
  // Probe names that are also Object.prototype keys stay plain map keys, both ways.
  for (const probeName of ['__proto__', 'toString', 'constructor']) {
    cell(
      `LocalProbeResult: probe named ${probeName}`,
      soaking,
      eventOf('LocalProbeResult', 8, { probeName }),
      HALT,
    );
    const failing = {
      status: 'fail',
      mode: 'enforce',
      lastObservedAt: HOST_T0 + 9 * SEC,
      lastPassAt: null,
      failureReason: 'x',
    } as const;
    cell(
      `RemoteConverged: failing enforce probe named ${probeName}`,
      recordIn('Soaking', { probes: { [probeName]: failing } }),
      eventOf('RemoteConverged', 8),
      HALT,
    );
  }
  // First value wins for probe_observed_first_at and probe_failure_first_at.
  const observed = recordIn('Soaking', {
    probeObservedFirstAt: HOST_T0 + 1 * MIN,
    probeFailureFirstAt: HOST_T0 + 2 * MIN,
  });
  cell(
    'LocalProbeObservedFirst: already set',
    observed,
    eventOf('LocalProbeObservedFirst', 8),
    HALT,
  );
  cell(
    'RemoteProbeFailureFirst: already set',
    observed,
    eventOf('RemoteProbeFailureFirst', 8),
    HALT,
  );

  // Deferred → Failed never records a policy nor rolls back.
  cell(
    'Deferred × LocalActivationFailed (rollback policy)',
    recordIn('Deferred'),
    eventOf('LocalActivationFailed', 4),
    ROLLBACK,
  );
  // The rollback target is the event's closure, whatever current_closure_at_dispatch says.
  cell(
    'Failed × LocalRollbackCompleted to another closure',
    recordIn('Failed'),
    eventOf('LocalRollbackCompleted', 13, { revertedToClosure: `${PRIOR}-2`, exitCode: 3 }),
    HALT,
  );
  return cells;
}

export const hostCellKey = (state: HostState, type: HostEventType) => `${state}×${type}`;
