import { fromTransition } from 'xstate';
import { getPathsFromEvents, getShortestPaths, getSimplePaths } from 'xstate/graph';
import type { HostEvent, HostEventType } from '../../machines/host/event.ts';
import type { HostPolicy, HostRecord } from '../../machines/host/state.ts';
import { hostStep } from '../../machines/host/step.ts';
import type { RolloutEvent, RolloutEventType } from '../../machines/rollout/event.ts';
import type { RolloutRecord } from '../../machines/rollout/state.ts';
import { rolloutStep } from '../../machines/rollout/step.ts';
import { initialRecord } from '../ui/explorer/model.ts';
import {
  allHostVariants,
  allRolloutVariants,
  hostVariants,
  rolloutVariants,
  type Variant,
} from './variants.ts';

/*
 * Path search over the real step functions, with xstate/graph doing the traversal. Each
 * machine is wrapped as transition logic whose snapshot is the record, so every guard is
 * evaluated by the machine on real fields; a refused event leaves the record as it was.
 * Records are told apart by the few things guards read (state, whether a prior closure
 * is known, the probe statuses), which keeps the graph finite and small.
 */

export type MachineName = 'rollout' | 'host';
type AnyRecord = RolloutRecord | HostRecord;
type AnyEvent = RolloutEvent | HostEvent;

export interface Found {
  readonly label: string;
  readonly events: readonly AnyEvent[];
}

interface Walk {
  readonly start: AnyRecord;
  readonly step: (r: AnyRecord, e: AnyEvent) => AnyRecord;
  readonly variants: (r: AnyRecord) => Variant<AnyRecord, AnyEvent>[];
  readonly cellVariants: (r: AnyRecord, type: string) => Variant<AnyRecord, AnyEvent>[];
  readonly key: (r: AnyRecord) => string;
}

function walkOf(machine: MachineName, policy: HostPolicy, start?: AnyRecord): Walk {
  if (machine === 'rollout') {
    return {
      start: start ?? initialRecord('rollout'),
      step: (r, e) => {
        const out = rolloutStep(r as RolloutRecord, e as RolloutEvent);
        return out.ok ? out.record : r;
      },
      variants: (r) => allRolloutVariants(r as RolloutRecord) as Variant<AnyRecord, AnyEvent>[],
      cellVariants: (r, type) =>
        rolloutVariants(type as RolloutEventType, r as RolloutRecord) as Variant<
          AnyRecord,
          AnyEvent
        >[],
      key: (r) => r.state,
    };
  }
  return {
    start: start ?? initialRecord('host'),
    step: (r, e) => {
      const out = hostStep(r as HostRecord, e as HostEvent, policy);
      return out.ok ? out.record : r;
    },
    variants: (r) => allHostVariants(r as HostRecord, policy) as Variant<AnyRecord, AnyEvent>[],
    cellVariants: (r, type) =>
      hostVariants(type as HostEventType, r as HostRecord, policy) as Variant<
        AnyRecord,
        AnyEvent
      >[],
    key: (r) => {
      const h = r as HostRecord;
      const probes = Object.entries(h.probes)
        .map(([name, p]) => `${name}:${p.mode}:${p.status}`)
        .sort()
        .join(',');
      return `${h.state}|${h.currentClosureAtDispatch !== null}|${probes}`;
    },
  };
}

/** A path's events without the initial `xstate.init` step xstate/graph puts first. */
function eventsOf(steps: readonly { readonly event: { readonly type: string } }[]): AnyEvent[] {
  return steps.map((s) => s.event as AnyEvent).filter((e) => (e.type as string) !== 'xstate.init');
}

function logicOf(walk: Walk) {
  return fromTransition((r: AnyRecord, e: AnyEvent) => walk.step(r, e), walk.start);
}

function traversal(walk: Walk, toState?: (r: AnyRecord) => boolean) {
  return {
    events: (snapshot: { context: AnyRecord }) =>
      walk
        .variants(snapshot.context)
        .filter((v) => v.refusal !== true)
        .map((v) => v.event),
    serializeState: (snapshot: { context: AnyRecord }) => walk.key(snapshot.context),
    ...(toState === undefined
      ? {}
      : { toState: (snapshot: { context: AnyRecord }) => toState(snapshot.context) }),
  };
}

/** The shortest event sequence from the start record to one that satisfies `to`, if any. */
function shortest(walk: Walk, to: (r: AnyRecord) => boolean): AnyEvent[] | null {
  if (to(walk.start)) return [];
  const paths = getShortestPaths(logicOf(walk), traversal(walk, to) as never);
  const best = paths
    .filter((p) => to(p.state.context as AnyRecord))
    .sort((a, b) => a.steps.length - b.steps.length)[0];
  return best === undefined ? null : eventsOf(best.steps);
}

export interface PathQuery {
  readonly machine: MachineName;
  readonly policy: HostPolicy;
  /** Start from the end of the shortest path to this state, not the initial record. */
  readonly from?: string;
  /** Start from this record instead of the machine's initial one (the explorer's). */
  readonly start?: RolloutRecord | HostRecord;
}

/** The record a query starts from: the initial one, or the one `--from` reaches. */
export function startRecord(q: PathQuery): AnyRecord | null {
  const walk = walkOf(q.machine, q.policy, q.start);
  if (q.from === undefined) return walk.start;
  const events = shortest(walk, (r) => r.state === q.from);
  return events === null ? null : (replay(q, walk.start, events).at(-1)?.after ?? walk.start);
}

/** Shortest path to a state. */
export function pathToState(q: PathQuery, state: string): Found | null {
  const start = startRecord(q);
  if (start === null) return null;
  const events = shortest(walkOf(q.machine, q.policy, start), (r) => r.state === state);
  return events === null ? null : { label: `to ${state}`, events };
}

/** Simple (non-repeating) paths to a state, shortest first, at most `limit`. */
export function allPathsToState(q: PathQuery, state: string, limit: number): Found[] {
  const start = startRecord(q);
  if (start === null) return [];
  const walk = walkOf(q.machine, q.policy, start);
  const to = (r: AnyRecord) => r.state === state;
  return getSimplePaths(logicOf(walk), traversal(walk, to) as never)
    .filter((p) => to(p.state.context as AnyRecord))
    .map((p) => eventsOf(p.steps))
    .sort((a, b) => a.length - b.length || JSON.stringify(a).localeCompare(JSON.stringify(b)))
    .slice(0, limit)
    .map((events, i) => ({ label: `to ${state} #${i + 1}`, events }));
}

/**
 * One path per branch of a table cell: the shortest way into `state` with a record the
 * variant needs, then the cell's event (which may be a refusal or a no-op).
 */
export function pathsToCell(q: PathQuery, state: string, eventType: string): Found[] {
  const start = startRecord(q);
  if (start === null) return [];
  const walk = walkOf(q.machine, q.policy, start);
  const found: Found[] = [];
  const seen = new Set<string>();
  // The variant list depends on the record, so probe it on the plain shortest record first.
  const plain = shortest(walk, (r) => r.state === state);
  if (plain === null) return [];
  const at = replay(q, walk.start, plain).at(-1)?.after ?? walk.start;
  for (const probe of walk.cellVariants(at, eventType)) {
    const requires = probe.requires;
    const prefix =
      requires === undefined ? plain : shortest(walk, (r) => r.state === state && requires(r));
    if (prefix === null) continue;
    const end = replay(q, walk.start, prefix).at(-1)?.after ?? walk.start;
    const variant = walk.cellVariants(end, eventType).find((v) => v.label === probe.label);
    if (variant === undefined) continue;
    const events = [...prefix, variant.event];
    const id = JSON.stringify(events);
    if (seen.has(id)) continue;
    seen.add(id);
    found.push({ label: `${state}:${eventType} (${variant.label})`, events });
  }
  return found;
}

export interface Line {
  readonly before: AnyRecord;
  readonly event: AnyEvent;
  readonly after: AnyRecord;
}

/**
 * The path as step inputs, each line's record the previous line's output record; the
 * states come from xstate/graph's own walk of the events.
 */
export function replay(q: PathQuery, start: AnyRecord, events: readonly AnyEvent[]): Line[] {
  if (events.length === 0) return [];
  const walk = walkOf(q.machine, q.policy, start);
  const [path] = getPathsFromEvents(logicOf(walk), [...events], {
    serializeState: (s: { context: AnyRecord }) => JSON.stringify(s.context),
  } as never);
  const steps = (path?.steps ?? []).filter((s) => (s.event.type as string) !== 'xstate.init');
  const records = [start, ...steps.map((s) => s.state.context as AnyRecord)];
  return events.map((event, i) => ({
    before: records[i] as AnyRecord,
    event,
    after: (records[i + 1] ?? walk.step(records[i] as AnyRecord, event)) as AnyRecord,
  }));
}
