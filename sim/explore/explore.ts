import { type Coverage, CoverageCollector } from '../coverage.ts';
import type { Fleet } from '../fleet/fleet.ts';
import { checkedRun } from '../invariants/checker.ts';
import type { Invariant } from '../invariants/invariant.ts';
import type { Profile } from '../profile.ts';
import type { Settings } from '../settings.ts';
import type { TraceRecord } from '../trace-record.ts';
import { PlannedChoices, type TakenFault } from './planned-choices.ts';
import { canonicalFault, hostClasses, hostOfChoice } from './symmetry.ts';

/*
 * Bounded exhaustive exploration over the simulator itself: the same control plane,
 * agents, network, operator and retention that `run` and `check` drive, on the same
 * timed scheduler, so timers fire in due-time order and every path found is one a timed
 * run can take. What is enumerated is every answer to the world's nondeterministic
 * decisions (`Choices`): at each choice point of a run the fault can strike or not.
 * Breadth-first by the number of faults a path takes (at most `maxFaults`), and in run
 * order within a level, so the first path to a violation is one with the fewest faults,
 * taken as early as possible.
 *
 * Each path is re-run from the start (stateless model checking): runs of a small fleet
 * take a millisecond or so, and nothing in the world needs to be copied or hashed.
 */

export interface ExploreViolation {
  readonly invariant: string;
  /** The spec item when the profile breaks this invariant by construction (a known deviation). */
  readonly deviation: string | null;
  readonly message: string;
  /** The plan that reproduces it: choice-point indexes where the fault strikes. */
  readonly plan: readonly number[];
  /** The faults that plan takes, in order: the shortest path to the violation. */
  readonly path: readonly TakenFault[];
  /** Index of the trace record that broke it, counting from the first record after the header. */
  readonly record: number;
  /** The fleet the path ran on: the declared one for the fault-free path, else the explored one. */
  readonly fleet: Fleet;
}

export interface ExploreResult {
  /** Paths run (one simulation each). */
  readonly runs: number;
  /** Deliveries (messages and timers) processed over all runs. */
  readonly deliveries: number;
  /** Choice points of the fault-free run: where the first fault can strike. */
  readonly choicePoints: number;
  readonly seconds: number;
  /** True when `maxRuns` stopped the search before every path within the bound was run. */
  readonly truncated: boolean;
  /** Paths not run because a symmetric one was (faults on interchangeable hosts). */
  readonly symmetric: number;
  readonly coverage: Coverage;
  /** The first violation of each invariant, on a path with the fewest faults. */
  readonly violations: readonly ExploreViolation[];
}

export interface ExploreOptions {
  /** The fleet explored: its fault rates say where a fault can strike (see `withFaultAlphabet`). */
  readonly fleet: Fleet;
  /**
   * The fleet as declared, before faults were made possible. The fault-free path also runs
   * on it, so the invariants judged only on fault-free fleets (liveness) judge that path.
   */
  readonly declared?: Fleet;
  readonly profile: Profile;
  readonly settings?: Partial<Settings>;
  readonly maxFaults: number;
  readonly maxRuns: number;
  readonly invariants?: readonly Invariant[];
  /** Try faults on one host of each set of interchangeable hosts only (see symmetry.ts). */
  readonly symmetry?: boolean;
  readonly onProgress?: (runs: number, faults: number) => void;
}

/**
 * A path never runs longer than this (simulated seconds), as a case of `check` does not: a
 * prune days away would otherwise keep every path going, its idle traffic all choice points.
 */
export const EXPLORE_HORIZON_SECONDS = 4 * 3600;

/** One path of the exploration, run on the timed scheduler with its faults planned. */
export function runPlan(
  options: Pick<ExploreOptions, 'fleet' | 'profile' | 'settings' | 'invariants'> & {
    readonly plan: readonly number[];
    /** Describe every choice point of the run (`choices.described`), not only those taken. */
    readonly describe?: boolean;
    readonly sink?: (record: TraceRecord) => void;
    /** Run past the end of the judging (for a trace file: the whole run). */
    readonly whole?: boolean;
    readonly observeHostSteps?: Parameters<typeof checkedRun>[0]['observeHostSteps'];
  },
) {
  const choices = new PlannedChoices(options.plan, options.describe ?? false);
  const run = checkedRun({
    fleet: options.fleet,
    profile: options.profile,
    seed: 0,
    choices,
    untilSeconds: EXPLORE_HORIZON_SECONDS,
    ...(options.settings === undefined ? {} : { settings: options.settings }),
    ...(options.invariants === undefined ? {} : { invariants: options.invariants }),
    ...(options.observeHostSteps === undefined
      ? {}
      : { observeHostSteps: options.observeHostSteps }),
    ...(options.sink === undefined ? {} : { sink: options.sink }),
    // Where nothing more is judged no fault is worth trying.
    stopWhenUnjudged: options.whole !== true,
  });
  return { ...run, choices };
}

/** What one path told the search: its first finding of each invariant, in the order found. */
export interface PathOutcome {
  readonly deliveries: number;
  /** Choice points of the path's run: where a further fault can strike. */
  readonly points: number;
  /** What each choice point was, when the search needs to know whose it is (symmetry). */
  readonly described: readonly string[] | null;
  readonly found: readonly ExploreViolation[];
}

export type PathOptions = Pick<
  ExploreOptions,
  'fleet' | 'declared' | 'profile' | 'settings' | 'invariants' | 'maxFaults' | 'symmetry'
>;

/**
 * Run one path (the fault-free one on the declared fleet too), its coverage noted in
 * `coverage`. Paths are independent of each other, so they can run anywhere (explore's
 * worker threads) as long as the search takes their outcomes in plan order.
 */
export function runPath(
  options: PathOptions,
  plan: readonly number[],
  coverage: CoverageCollector,
): PathOutcome {
  const fleets =
    plan.length === 0 && options.declared !== undefined && options.declared !== options.fleet
      ? [options.declared, options.fleet]
      : [options.fleet];
  let deliveries = 0;
  let points = 0;
  let described: readonly string[] | null = null;
  // Only a path the search extends needs its choice points described.
  const describe = options.symmetry !== false && plan.length < options.maxFaults;
  const found: ExploreViolation[] = [];
  for (const fleet of fleets) {
    coverage.startRun();
    const result = runPlan({
      ...options,
      fleet,
      plan,
      describe,
      observeHostSteps: coverage.observeHostStep,
      sink: coverage.observe,
    });
    deliveries += result.summary.events.scheduled;
    for (const f of [...result.failures, ...result.deviations]) {
      if (found.some((v) => v.invariant === f.invariant.id)) continue;
      found.push({
        invariant: f.invariant.id,
        deviation: f.deviation,
        message: f.message,
        plan,
        path: result.choices.taken,
        record: f.record,
        fleet,
      });
    }
    points = result.choices.points;
    described = result.choices.described;
  }
  return { deliveries, points, described, found };
}

/**
 * The search itself, apart from where paths run: yields each level's plans (in order,
 * at most what `maxRuns` leaves) and takes their outcomes back in the same order, so a
 * driver on one thread (`explore`) and one on a pool give the same result.
 */
export function* exploreSearch(
  options: Pick<ExploreOptions, 'fleet' | 'maxFaults' | 'maxRuns' | 'symmetry' | 'onProgress'>,
): Generator<
  readonly (readonly number[])[],
  Omit<ExploreResult, 'coverage' | 'seconds'>,
  readonly PathOutcome[]
> {
  const violations = new Map<string, ExploreViolation>();
  let runs = 0;
  let deliveries = 0;
  let choicePoints = 0;
  let truncated = false;
  let skipped = 0;
  const classes = options.symmetry === false ? null : hostClasses(options.fleet);
  const hosts = new Set(Object.keys(options.fleet.hosts));
  /** The host each fault of a plan struck, in plan order (for the symmetry rule). */
  const struck = new Map<readonly number[], readonly (string | null)[]>();
  let level: (readonly number[])[] = [[]];
  for (let faults = 0; faults <= options.maxFaults && level.length > 0 && !truncated; faults++) {
    const room = options.maxRuns - runs;
    const batch = level.length > room ? level.slice(0, room) : level;
    if (batch.length < level.length) truncated = true;
    const outcomes: readonly PathOutcome[] = batch.length === 0 ? [] : yield batch;
    const next: (readonly number[])[] = [];
    outcomes.forEach((outcome, k) => {
      const plan = batch[k] as readonly number[];
      deliveries += outcome.deliveries;
      // The first path (fewest faults, then run order) to break an invariant is kept.
      for (const v of outcome.found)
        if (!violations.has(v.invariant)) violations.set(v.invariant, v);
      runs++;
      if (faults === 0) choicePoints = outcome.points;
      if (runs % 100 === 0) options.onProgress?.(runs, faults);
      // A fault can strike at any choice point after the plan's last one.
      if (faults < options.maxFaults) {
        const after = plan.length === 0 ? 0 : (plan[plan.length - 1] as number) + 1;
        const earlier = struck.get(plan) ?? [];
        for (let i = after; i < outcome.points; i++) {
          const host =
            classes === null || outcome.described === null
              ? null
              : hostOfChoice(hosts, outcome.described[i] ?? '');
          if (classes !== null && !canonicalFault(classes, host, earlier)) {
            skipped++;
            continue;
          }
          const child = [...plan, i];
          if (faults + 1 < options.maxFaults) struck.set(child, [...earlier, host]);
          next.push(child);
        }
      }
      struck.delete(plan);
    });
    level = next;
  }
  return {
    runs,
    deliveries,
    choicePoints,
    truncated,
    symmetric: skipped,
    violations: [...violations.values()],
  };
}

export function explore(options: ExploreOptions): ExploreResult {
  const started = performance.now();
  const coverage = new CoverageCollector();
  const search = exploreSearch(options);
  let step = search.next();
  while (!step.done) {
    step = search.next(step.value.map((plan) => runPath(options, plan, coverage)));
  }
  return {
    ...step.value,
    seconds: (performance.now() - started) / 1000,
    coverage: coverage.snapshot(),
  };
}

export { TABLES } from '../coverage.ts';
