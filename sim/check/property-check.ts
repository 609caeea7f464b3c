import fc from 'fast-check';
import { type Choices, forcingChoices, seededChoices } from '../choice.ts';
import { type Coverage, CoverageCollector } from '../coverage.ts';
import type { Fleet } from '../fleet/fleet.ts';
import { checkedRun, type Finding } from '../invariants/checker.ts';
import type { Invariant } from '../invariants/invariant.ts';
import type { Profile } from '../profile.ts';
import { Random } from '../random.ts';
import type { Settings } from '../settings.ts';
import type { TraceRecord, TraceSink } from '../trace-record.ts';
import { crashesArbitrary } from './arbitraries/crashes.ts';
import { forcedFaultsArbitrary } from './arbitraries/forced-faults.ts';
import { type Drop, withLateDrops } from './arbitraries/late-drops.ts';
import { type PruneInOutage, pruneInOutageArbitrary } from './arbitraries/prune-in-outage.ts';
import { retentionMinutesArbitrary } from './arbitraries/retention.ts';
import { DEFAULT_BOUNDS, type ScenarioBounds, scenarioArbitrary } from './arbitraries/scenario.ts';
import { settleSecondsArbitrary } from './arbitraries/settle.ts';
import { type SwitchSeconds, slowSwitchesArbitrary } from './arbitraries/slow-switches.ts';
import { type Scenario, type ScenarioSpec, scenarioFleet } from './scenario.ts';

/** One generated case, ready to run. */
export interface Case {
  readonly fleet: Fleet;
  readonly seed: number;
  /** The generated description, when the fleet was generated (null for a fixed fleet). */
  readonly spec: ScenarioSpec | null;
  /** Choice points where a fault is forced on top of the seed's draws. */
  readonly forced: readonly number[];
  /** A retention drawn short enough to prune within the case (minutes), or null. */
  readonly retentionMinutes: number | null;
  /** A settle window drawn short (seconds), or null. */
  readonly settleSeconds: number | null;
}

export interface PropertyCheckOptions {
  readonly runs: number;
  /** fast-check's seed; random when absent. */
  readonly seed?: number;
  /** Replay one case (and shrink on from it), as printed after a failure. */
  readonly path?: string;
  readonly profile: Profile;
  readonly settings: Partial<Settings>;
  readonly invariants: readonly Invariant[];
  /** Check this fleet only; the cases then differ by the simulation seed. */
  readonly fleet?: Fleet;
  readonly bounds?: ScenarioBounds;
  readonly onProgress?: (runsDone: number) => void;
}

export interface Deviation {
  readonly invariant: Invariant;
  readonly count: number;
  readonly example: Finding;
}

export interface PropertyCheckReport {
  readonly seed: number;
  readonly runs: number;
  readonly wallSeconds: number;
  readonly failure: {
    readonly finding: Finding;
    readonly case: Case;
    readonly path: string;
    readonly shrinks: number;
  } | null;
  /** Known deviations seen in the first pass of runs (not while shrinking). */
  readonly deviations: readonly Deviation[];
  /** The cells of both tables the first pass of runs exercised. */
  readonly coverage: Coverage;
}

/** A generated case never runs longer than this (simulated seconds). */
export const CASE_HORIZON_SECONDS = 4 * 3600;

export function caseArbitrary(
  options: Pick<PropertyCheckOptions, 'fleet' | 'bounds'> &
    Partial<Pick<PropertyCheckOptions, 'settings'>>,
): fc.Arbitrary<Case> {
  // Drawn last, so the fleet and faults of a seed's cases stay what they were without it;
  // a retention the caller set stands.
  const retention =
    options.settings?.retention_days === undefined ? retentionMinutesArbitrary : fc.constant(null);
  const settle =
    options.settings?.settle_secs === undefined ? settleSecondsArbitrary : fc.constant(null);
  // A retention the caller set stands here too: then only its crashes could matter.
  const outage =
    options.settings?.retention_days === undefined ? pruneInOutageArbitrary : fc.constant(null);
  const fixed = options.fleet;
  if (fixed !== undefined)
    return fc
      .tuple(fc.nat(), forcedFaultsArbitrary, retention, settle)
      .map(([seed, forced, retentionMinutes, settleSeconds]) => ({
        fleet: fixed,
        seed,
        spec: null,
        forced,
        retentionMinutes,
        settleSeconds,
      }));
  // Crashes and slow switches go on the generated fleet, drawn last too; a fixed fleet is
  // kept as it is.
  return withLateDrops(
    fc.tuple(
      scenarioArbitrary(options.bounds ?? DEFAULT_BOUNDS),
      forcedFaultsArbitrary,
      retention,
      crashesArbitrary,
      settle,
      slowSwitchesArbitrary,
      outage,
    ),
    OPTIONAL_PARTS,
  ).map(([s, forced, retentionMinutes, crashes, settleSeconds, slow, pruneInOutage]) => ({
    fleet: withSlowSwitches(
      withCrashes(scenarioFleet(s.spec), pruneInOutage?.crashes ?? crashes),
      slow,
    ),
    seed: s.seed,
    spec: s.spec,
    forced,
    retentionMinutes: pruneInOutage?.retentionMinutes ?? retentionMinutes,
    settleSeconds,
  }));
}

type Drawn = [
  Scenario,
  Case['forced'],
  Case['retentionMinutes'],
  Fleet['faults']['cp_crashes'] | null,
  Case['settleSeconds'],
  SwitchSeconds | null,
  PruneInOutage | null,
];

/** The optional parts of a generated case, each offered away at every shrinking step. */
const OPTIONAL_PARTS: readonly Drop<Drawn>[] = [
  ([s, ...rest]) =>
    s.spec.budget === null ? null : [{ ...s, spec: { ...s.spec, budget: null } }, ...rest],
  ([s, ...rest]) =>
    s.spec.faults.partition === null
      ? null
      : [{ ...s, spec: { ...s.spec, faults: { ...s.spec.faults, partition: null } } }, ...rest],
  ([s, ...rest]) =>
    s.spec.faults.cpRestart === null
      ? null
      : [{ ...s, spec: { ...s.spec, faults: { ...s.spec.faults, cpRestart: null } } }, ...rest],
  ([s, forced, retention, crashes, settle, slow, outage]) =>
    crashes === null ? null : [s, forced, retention, null, settle, slow, outage],
  ([s, forced, retention, crashes, settle, slow, outage]) =>
    slow === null ? null : [s, forced, retention, crashes, settle, null, outage],
  ([s, forced, retention, crashes, settle, slow, outage]) =>
    outage === null ? null : [s, forced, retention, crashes, settle, slow, null],
];

function withSlowSwitches(fleet: Fleet, seconds: SwitchSeconds | null): Fleet {
  if (seconds === null) return fleet;
  const activation = { ...fleet.faults.activation, duration_seconds: seconds };
  return { ...fleet, faults: { ...fleet.faults, activation } };
}

function withCrashes(fleet: Fleet, crashes: Fleet['faults']['cp_crashes'] | null): Fleet {
  return crashes === null ? fleet : { ...fleet, faults: { ...fleet.faults, cp_crashes: crashes } };
}

/** The settings a case runs with: the caller's, with the case's drawn retention and settle window. */
export function caseSettings(
  c: Pick<Case, 'retentionMinutes' | 'settleSeconds'>,
  settings: Partial<Settings>,
): Partial<Settings> {
  return {
    ...settings,
    ...(c.retentionMinutes === null ? {} : { retention_days: c.retentionMinutes / 1440 }),
    ...(c.settleSeconds === null ? {} : { settle_secs: c.settleSeconds }),
  };
}

/** A case's answers to the world's choices: the seed's draws, with its forced faults. */
export function caseChoices(c: Pick<Case, 'seed' | 'forced'>, taken?: string[]): Choices {
  return forcingChoices(seededChoices(new Random(c.seed)), c.forced, taken);
}

/** Run one case with the chosen invariants watching (and `sink`, e.g. a trace file). */
export function runCase(
  c: Case,
  options: Pick<PropertyCheckOptions, 'profile' | 'settings' | 'invariants'>,
  sink?: TraceSink,
  coverage?: CoverageCollector,
  /** Filled with what each forced fault was, in order. */
  forcedTaken?: string[],
) {
  coverage?.startRun();
  return checkedRun({
    fleet: c.fleet,
    profile: options.profile,
    seed: c.seed,
    settings: caseSettings(c, options.settings),
    untilSeconds: CASE_HORIZON_SECONDS,
    invariants: options.invariants,
    // A trace file wants the whole run; a judgement alone ends where the judging does.
    stopWhenUnjudged: sink === undefined,
    ...(c.forced.length === 0 ? {} : { choices: caseChoices(c, forcedTaken) }),
    ...(sink === undefined && coverage === undefined
      ? {}
      : {
          sink: (r: TraceRecord) => {
            coverage?.observe(r);
            sink?.(r);
          },
        }),
    ...(coverage === undefined ? {} : { observeHostSteps: coverage.observeHostStep }),
  });
}

/**
 * Property-check the invariants: fast-check generates cases, each is simulated with the
 * monitors on, a required invariant broken fails the property, and fast-check shrinks
 * the case to the smallest fleet, fewest faults and shortest schedule that still fail.
 */
export function propertyCheck(options: PropertyCheckOptions): PropertyCheckReport {
  const started = performance.now();
  const deviations = new Map<string, { invariant: Invariant; count: number; example: Finding }>();
  let done = 0;
  let shrinking = false;
  const coverage = new CoverageCollector();
  const property = fc.property(caseArbitrary(options), (c) => {
    const r = runCase(c, options, undefined, shrinking ? undefined : coverage);
    if (!shrinking) {
      done++;
      options.onProgress?.(done);
      for (const d of r.deviations) {
        const prior = deviations.get(d.invariant.id);
        deviations.set(d.invariant.id, {
          invariant: d.invariant,
          count: (prior?.count ?? 0) + 1,
          example: prior?.example ?? d,
        });
      }
    }
    if (r.failures.length > 0) {
      shrinking = true;
      return false;
    }
    return true;
  });
  const details = fc.check(property, {
    numRuns: options.runs,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.path === undefined ? {} : { path: options.path }),
  });
  let failure: PropertyCheckReport['failure'] = null;
  if (details.failed && details.counterexample !== null) {
    const [c] = details.counterexample;
    const finding = runCase(c, options).failures[0];
    if (finding === undefined)
      throw new Error('the shrunk counterexample no longer fails: the run is not deterministic');
    failure = {
      finding,
      case: c,
      path: details.counterexamplePath ?? '',
      shrinks: details.numShrinks,
    };
  } else if (details.failed) {
    throw details.errorInstance ?? new Error('property check stopped without a counterexample');
  }
  return {
    seed: details.seed,
    runs: done,
    wallSeconds: (performance.now() - started) / 1000,
    failure,
    deviations: [...deviations.values()].sort((a, b) => (a.invariant.id < b.invariant.id ? -1 : 1)),
    coverage: coverage.snapshot(),
  };
}
