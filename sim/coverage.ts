import { HOST_EVENT_TYPES } from '../machines/host/event.ts';
import { HOST_STATES } from '../machines/host/state.ts';
import { ROLLOUT_EVENT_TYPES } from '../machines/rollout/event.ts';
import { ROLLOUT_STATES } from '../machines/rollout/state.ts';
import type { TraceRecord } from './trace-record.ts';
import type { HostStepObserver } from './world.ts';

/** The full tables coverage is measured against. */
export const TABLES = {
  rollout: { states: ROLLOUT_STATES, events: ROLLOUT_EVENT_TYPES },
  host: { states: HOST_STATES, events: HOST_EVENT_TYPES },
} as const;

export const ROLLOUT_CELLS = ROLLOUT_STATES.length * ROLLOUT_EVENT_TYPES.length;
export const HOST_CELLS = HOST_STATES.length * HOST_EVENT_TYPES.length;

export interface Coverage {
  /** `state|event` → outcomes seen (a target state, or an error variant). */
  readonly rollout: ReadonlyMap<string, ReadonlySet<string>>;
  readonly host: ReadonlyMap<string, ReadonlySet<string>>;
  readonly rolloutStates: ReadonlySet<string>;
  readonly hostStates: ReadonlySet<string>;
}

/** Outcomes by source state, then event: no key to build at every step. */
type Cells = Map<string, Map<string, Set<string>>>;

/**
 * Which cells of the two tables a set of runs exercised, and with what outcome: rollout
 * steps from the trace (every event offered to a rollout reducer is a record), host steps
 * from the world's observer (refusals are never traced). `check` and `explore` both
 * report it: a wrong cell no run reaches is invisible to every invariant.
 */
export class CoverageCollector {
  private readonly rollout: Cells = new Map();
  private readonly host: Cells = new Map();
  private readonly rolloutStates = new Set<string>();
  private readonly hostStates = new Set<string>();
  private rolloutState = new Map<string, string>();

  /** What was covered, as plain data. */
  snapshot(): Coverage {
    const flat = (cells: Cells) => {
      const out = new Map<string, Set<string>>();
      for (const [from, byEvent] of cells)
        for (const [event, outcomes] of byEvent) out.set(`${from}|${event}`, new Set(outcomes));
      return out;
    };
    return {
      rollout: flat(this.rollout),
      host: flat(this.host),
      rolloutStates: new Set(this.rolloutStates),
      hostStates: new Set(this.hostStates),
    };
  }

  /** Call before each run: rollout ids are per run. */
  startRun(): void {
    this.rolloutState = new Map();
  }

  readonly observeHostStep: HostStepObserver = ({ before, event, result }) => {
    const from = before.state;
    if (result.ok) {
      const to = result.record.state;
      note(this.host, from, event.type, to);
      this.hostStates.add(to);
    } else note(this.host, from, event.type, result.error.type);
    this.hostStates.add(from);
  };

  readonly observe = (record: TraceRecord): void => {
    if (record.type === 'rollout_opened') {
      this.rolloutState.set(record.rolloutId, 'Opening');
      this.rolloutStates.add('Opening');
    } else if (record.type === 'rollout_event') {
      const from = this.rolloutState.get(record.rolloutId) ?? 'Opening';
      const r = record.result;
      note(this.rollout, from, record.event.type, r.ok ? r.record.state : r.error.type);
      if (r.ok) {
        this.rolloutState.set(record.rolloutId, r.record.state);
        this.rolloutStates.add(r.record.state);
      }
    }
  };
}

function note(cells: Cells, from: string, event: string, outcome: string): void {
  let byEvent = cells.get(from);
  if (byEvent === undefined) {
    byEvent = new Map();
    cells.set(from, byEvent);
  }
  let outcomes = byEvent.get(event);
  if (outcomes === undefined) {
    outcomes = new Set();
    byEvent.set(event, outcomes);
  }
  outcomes.add(outcome);
}

/** `coverage: rollout table 12 of 64 cells, host table 40 of 168 cells`. */
export function coverageLine(c: Coverage): string {
  return `coverage: rollout table ${c.rollout.size} of ${ROLLOUT_CELLS} cells, host table ${c.host.size} of ${HOST_CELLS} cells`;
}

/** Coverage as JSON-able data (worker results, `check --json` shard reports). */
export interface PlainCoverage {
  readonly rollout: readonly (readonly [string, readonly string[]])[];
  readonly host: readonly (readonly [string, readonly string[]])[];
  readonly rolloutStates: readonly string[];
  readonly hostStates: readonly string[];
}

export function plainCoverage(c: Coverage): PlainCoverage {
  const cells = (m: ReadonlyMap<string, ReadonlySet<string>>) =>
    [...m].map(([k, v]) => [k, [...v].sort()] as const).sort(([a], [b]) => (a < b ? -1 : 1));
  return {
    rollout: cells(c.rollout),
    host: cells(c.host),
    rolloutStates: [...c.rolloutStates].sort(),
    hostStates: [...c.hostStates].sort(),
  };
}

/** The union of several runs' coverage. */
export function unionCoverage(parts: readonly PlainCoverage[]): Coverage {
  const rollout = new Map<string, Set<string>>();
  const host = new Map<string, Set<string>>();
  const rolloutStates = new Set<string>();
  const hostStates = new Set<string>();
  for (const p of parts) {
    for (const [k, v] of p.rollout) for (const o of v) addTo(rollout, k, o);
    for (const [k, v] of p.host) for (const o of v) addTo(host, k, o);
    for (const s of p.rolloutStates) rolloutStates.add(s);
    for (const s of p.hostStates) hostStates.add(s);
  }
  return { rollout, host, rolloutStates, hostStates };
}

function addTo(map: Map<string, Set<string>>, key: string, outcome: string): void {
  const set = map.get(key);
  if (set === undefined) map.set(key, new Set([outcome]));
  else set.add(outcome);
}
