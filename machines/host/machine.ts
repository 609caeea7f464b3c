import { setup } from 'xstate';
import { xstateActions, xstateGuards } from '../xstate-tables.ts';
import { hostActions } from './actions.ts';
import type { HostContext } from './context.ts';
import { CONVERGED_INVARIANTS } from './error.ts';
import type { HostEvent } from './event.ts';
import { hostGuards } from './guards.ts';
import type { HostState } from './state.ts';

/*
 * The host reducer of nixfleet's state-machine crate at 080d6cd (spec §3.7–§3.10): seven
 * states, 24 events, 28 legal (state, event) pairs. Each state lists the events it
 * accepts, through `accepts()`, which puts the SeqRegression check in front of every
 * cell (it runs before legality) and refuses everything unlisted as IllegalForState.
 * Actions are listed in the order their effects are emitted.
 */

const machineSetup = setup({
  types: {
    context: {} as HostContext,
    events: {} as HostEvent,
    input: {} as HostContext,
  },
  actions: xstateActions<HostContext, HostEvent, typeof hostActions>(hostActions),
  guards: xstateGuards<HostContext, HostEvent, typeof hostGuards>(hostGuards),
});

type ActionName = keyof typeof hostActions;
type ActionRef = ActionName | { readonly type: ActionName; readonly params: object };
type GuardRef = keyof typeof hostGuards;
interface Arm {
  readonly guard?: GuardRef;
  readonly target?: HostState;
  readonly actions: readonly ActionRef[];
}

const rt = (to: HostState) => ({ type: 'recordTransition', params: { to } }) as const;
const emitEvent = (durable: boolean) => ({ type: 'emitEvent', params: { durable } }) as const;
const invariant = (guard: GuardRef, message: string): Arm => ({
  guard,
  actions: [{ type: 'rejectInvariant', params: { message } }],
});

/** A legal arm: every success records the event's seq first. */
function go(target: HostState | null, actions: readonly ActionRef[], guard?: GuardRef): Arm {
  return {
    ...(guard === undefined ? {} : { guard }),
    ...(target === null ? {} : { target }),
    actions: ['markSeq', ...actions],
  };
}

const seqCheck: Arm = { guard: 'seqRegressed', actions: ['rejectSeqRegression'] };
const illegal: Arm = { actions: ['rejectIllegal'] };

function accepts(arms: Partial<Record<HostEvent['type'], Arm | readonly Arm[]>>) {
  const on: Record<string, readonly Arm[]> = {};
  for (const [event, arm] of Object.entries(arms)) {
    on[event] = [seqCheck, ...(Array.isArray(arm) ? arm : [arm as Arm])];
  }
  on['*'] = [seqCheck, illegal];
  // XState's config types cannot see through this builder; the structure tests and the
  // compiled step's agreement with XState on every cell check what the types cannot.
  return on as never;
}

const completeActivation = {
  LocalActivationCompleted: go('Soaking', [
    'completeActivation',
    'resetProbeCache',
    emitEvent(true),
    rt('Soaking'),
  ]),
  RemoteActivationCompleted: go('Soaking', ['completeActivation', 'appendEventLog', rt('Soaking')]),
};

const converge = (emitter: ActionRef): readonly Arm[] => [
  // The first failing invariant wins, in this order.
  invariant('convergedOffTarget', CONVERGED_INVARIANTS.closure),
  invariant('convergedBeforeSoak', CONVERGED_INVARIANTS.soak),
  invariant('enforceProbeNotPass', CONVERGED_INVARIANTS.probes),
  go('Converged', ['converge', emitter, rt('Converged')]),
];

export const hostMachine = machineSetup.createMachine({
  id: 'host',
  initial: 'Pending',
  context: ({ input }) => input,
  states: {
    Pending: {
      on: accepts({
        LocalActivate: go('Activating', [
          'ackDispatch',
          rt('Activating'),
          emitEvent(true),
          'fireSwitch',
        ]),
        RemoteDispatchAck: go('Activating', ['ackDispatch', 'appendEventLog', rt('Activating')]),
      }),
    },
    Activating: {
      on: accepts({
        LocalActivationStarted: go(null, ['noteActivationStarted', emitEvent(true)]),
        RemoteActivationStarted: go(null, ['noteActivationStarted', 'appendEventLog']),
        ...completeActivation,
        LocalActivationDeferred: go('Deferred', [emitEvent(true), rt('Deferred')]),
        RemoteActivationDeferred: go('Deferred', ['appendEventLog', rt('Deferred')]),
        LocalActivationFailed: [
          go(
            'Failed',
            ['failActivation', 'applyPolicy', emitEvent(true), rt('Failed'), 'fireRollback'],
            'policyRollsBack',
          ),
          go('Failed', ['failActivation', 'applyPolicy', emitEvent(true), rt('Failed')]),
        ],
        // The CP's view never rolls back: the agent alone decides that.
        RemoteActivationFailed: go('Failed', [
          'failActivation',
          'applyPolicy',
          'appendEventLog',
          rt('Failed'),
        ]),
      }),
    },
    Deferred: {
      on: accepts({
        ...completeActivation,
        // No policy recorded and never a rollback out of Deferred (spec §6 item 13).
        LocalActivationFailed: go('Failed', ['failActivation', emitEvent(true), rt('Failed')]),
        RemoteActivationFailed: go('Failed', ['failActivation', 'appendEventLog', rt('Failed')]),
      }),
    },
    Soaking: {
      on: accepts({
        LocalProbeTopologyDeclared: go(null, [emitEvent(true)]),
        RemoteProbeTopologyDeclared: go(null, ['appendEventLog']),
        LocalProbeObservedFirst: go(null, ['noteProbeObservedFirst', emitEvent(false)]),
        RemoteProbeObservedFirst: go(null, ['noteProbeObservedFirst', 'appendEventLog']),
        LocalProbeResult: go(null, ['updateProbe', emitEvent(false)]),
        RemoteProbeResult: go(null, ['updateProbe', 'appendEventLog']),
        LocalProbeFailureFirst: go(null, ['noteProbeFailureFirst', emitEvent(false)]),
        RemoteProbeFailureFirst: go(null, ['noteProbeFailureFirst', 'appendEventLog']),
        LocalSustainedFailureCrossed: [
          go(
            'Failed',
            ['failSustained', emitEvent(true), rt('Failed'), 'fireRollback'],
            'eventPolicyRollsBack',
          ),
          go('Failed', ['failSustained', emitEvent(true), rt('Failed')]),
        ],
        RemoteFailed: go('Failed', ['failSustained', 'appendEventLog', rt('Failed')]),
        LocalConvergedReached: converge(emitEvent(true)),
        RemoteConverged: converge('appendEventLog'),
      }),
    },
    // Terminal for the record: a later rollout gets a fresh record.
    Converged: { on: accepts({}) },
    // Whatever the policy: a Halt host simply never receives a rollback completion.
    Failed: {
      on: accepts({
        LocalRollbackCompleted: go('Reverted', ['revert', emitEvent(true), rt('Reverted')]),
        RemoteRollbackComplete: go('Reverted', [
          'revert',
          'appendEventLog',
          'insertQuarantine',
          rt('Reverted'),
        ]),
      }),
    },
    Reverted: { on: accepts({}) },
  },
});
