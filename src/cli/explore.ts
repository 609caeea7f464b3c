import { type ExploreResult, explore, TABLES } from '../../sim/explore/explore.ts';
import type { Fleet } from '../../sim/fleet/fleet.ts';
import { generateFleet } from '../../sim/fleet/generate.ts';
import { profile as makeProfile, type Profile, type ProfileName } from '../../sim/profile.ts';
import { describeFleet } from './describe-fleet.ts';
import { parseSets } from './run-options.ts';
import { UsageError } from './usage-error.ts';

export interface ExploreFlags {
  readonly hosts: string;
  readonly waves: string;
  readonly channels: string;
  readonly releases: string;
  readonly probeResults: string;
  readonly faults: string;
  readonly messageFaults: boolean;
  readonly profile: ProfileName | 'both';
  readonly set: readonly string[];
  readonly maxStates: string;
  readonly json: boolean;
}

function integer(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${flag}: expected an integer ${min}..${max}, got "${text}"`);
  return n;
}

const ERROR_MARK: Record<string, string> = {
  IllegalForState: '!',
  SeqRegression: 's',
  Invariant: 'v',
  Unimplemented: 'u',
};

/** One cell: `→Targ` per state change, `=` for a step that stays, a mark per refusal. */
function cell(from: string, outcomes: ReadonlySet<string> | undefined): string {
  if (outcomes === undefined) return '';
  const marks = [...outcomes].map((o) => ERROR_MARK[o] ?? (o === from ? '=' : `→${o}`));
  return [...new Set(marks)].sort().join('/');
}

function table(
  rows: readonly string[],
  cols: readonly string[],
  at: (row: string, col: string) => string,
): string[] {
  const width = Math.max(
    ...cols.map((c) => c.length),
    ...rows.flatMap((r) => cols.map((c) => at(r, c).length)),
  );
  const first = Math.max(...rows.map((r) => r.length));
  const line = (head: string, cells: string[]) =>
    `  ${head.padEnd(first)}  ${cells.map((c) => c.padEnd(width)).join(' ')}`.trimEnd();
  return [
    line('', [...cols]),
    ...rows.map((r) =>
      line(
        r,
        cols.map((c) => at(r, c)),
      ),
    ),
  ];
}

function coverageLines(result: ExploreResult): string[] {
  const { coverage } = result;
  const out: string[] = [];
  const rolloutStates = TABLES.rollout.states;
  const unreachedRollout = rolloutStates.filter((s) => !coverage.rolloutStates.has(s));
  const rolloutCells = [...coverage.rollout.keys()].length;
  out.push(
    `rollout machine: ${rolloutStates.length - unreachedRollout.length} of ${rolloutStates.length} states reached` +
      (unreachedRollout.length === 0 ? '' : ` (never: ${unreachedRollout.join(', ')})`) +
      `; ${rolloutCells} of ${rolloutStates.length * TABLES.rollout.events.length} cells exercised`,
  );
  const abbrev: Record<string, string> = {
    RolloutOpened: 'Opened',
    HostJoined: 'Joined',
    HostStateChanged: 'HostChg',
    WaveAdvanced: 'WaveAdv',
    RolloutTerminal: 'Terminal',
    SuccessorOpened: 'Successor',
    RetentionExpired: 'Retention',
    OperatorClearance: 'Clearance',
  };
  out.push(
    ...table(
      rolloutStates,
      TABLES.rollout.events.map((e) => abbrev[e] ?? e),
      (row, col) => {
        const event = Object.keys(abbrev).find((k) => abbrev[k] === col) ?? col;
        return cell(row, coverage.rollout.get(`${row}|${event}`));
      },
    ),
  );
  const hostStates = TABLES.host.states;
  const unreachedHost = hostStates.filter((s) => !coverage.hostStates.has(s));
  out.push(
    '',
    `host machine: ${hostStates.length - unreachedHost.length} of ${hostStates.length} states reached` +
      (unreachedHost.length === 0 ? '' : ` (never: ${unreachedHost.join(', ')})`) +
      `; ${coverage.host.size} of ${hostStates.length * TABLES.host.events.length} cells exercised`,
  );
  out.push(
    // Full state names: four-letter cuts made Converged and Converging look alike.
    ...table(TABLES.host.events, hostStates, (row, state) =>
      cell(state, coverage.host.get(`${state}|${row}`)),
    ),
  );
  out.push(
    `  rollout columns: ${Object.entries(abbrev)
      .filter(([full, short]) => full !== short)
      .map(([full, short]) => `${short} = ${full}`)
      .join(', ')}`,
    '  cells: →State a transition taken, = accepted without a state change, ! IllegalForState, s SeqRegression, v Invariant, u Unimplemented; blank: never exercised',
  );
  return out;
}

/** `rollout-sim explore`: exhaustive exploration of a small fleet, per profile. Returns the exit status. */
export function exploreCommand(flags: ExploreFlags, out: (line: string) => void): number {
  const hosts = integer('--hosts', flags.hosts, 1, 6);
  const waves = integer('--waves', flags.waves, 1, hosts);
  const channels = integer('--channels', flags.channels, 1, 2);
  const releases = integer('--releases', flags.releases, 0, 2);
  const probeResults = integer('--probe-results', flags.probeResults, 0, 3);
  const maxFaults = integer('--faults', flags.faults, 0, 4);
  const maxStates = integer('--max-states', flags.maxStates, 1, 50_000_000);
  if (hosts < channels * waves)
    throw new UsageError(
      `--hosts: ${hosts} hosts cannot fill ${waves} waves on ${channels} channels`,
    );
  const { flags: overrides, settings } = parseSets(flags.set);
  if (Object.keys(settings).length > 0)
    throw new UsageError('--set: explore is untimed; only profile flags apply');
  let fleet: Fleet;
  try {
    fleet = generateFleet({
      hosts,
      waves,
      channels,
      soakMinutes: 0,
      releases,
      name: `explore-${hosts}x${waves}`,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const profiles: Profile[] = (
    flags.profile === 'both' ? (['faithful', 'intent'] as const) : [flags.profile]
  ).map((p) => makeProfile(p, overrides));
  const tty = process.stderr.isTTY === true && !flags.json;
  const results = profiles.map((p) => ({
    profile: p,
    result: explore({
      fleet,
      profile: p,
      bounds: { probeResults, messageFaults: flags.messageFaults, maxFaults },
      maxStates,
      ...(tty
        ? {
            onProgress: (n: number) =>
              process.stderr.write(`\r\x1b[2K${p.name}: ${n.toLocaleString('en-US')} states`),
          }
        : {}),
    }),
  }));
  if (tty) process.stderr.write('\r\x1b[2K');
  const violated = results.some((r) => r.result.violations.length > 0);
  if (flags.json) {
    out(
      JSON.stringify({
        fleet,
        bounds: {
          probe_results: probeResults,
          message_faults: flags.messageFaults,
          faults: maxFaults,
          max_states: maxStates,
        },
        profiles: results.map(({ profile: p, result: r }) => exploreJson(p.name, r)),
      }),
    );
    return violated ? 1 : 0;
  }
  out(
    `exploring ${describeFleet(fleet)[0]}, ${releases} release${releases === 1 ? '' : 's'} per channel; at most ${maxFaults} fault${maxFaults === 1 ? '' : 's'} per path, ${probeResults} probe result${probeResults === 1 ? '' : 's'} per host${flags.messageFaults ? ', dispatches lost or doubled' : ''}`,
  );
  for (const { profile: p, result: r } of results) {
    out('');
    out(
      `── ${p.name}: ${r.states.toLocaleString('en-US')} states, ${r.transitions.toLocaleString('en-US')} transition${r.transitions === 1 ? '' : 's'} in ${r.seconds.toFixed(1)} s (${Math.round(r.states / Math.max(r.seconds, 1e-9)).toLocaleString('en-US')} states/s)${r.truncated ? ` — STOPPED at --max-states ${maxStates}: the graph is not exhausted` : ''}`,
    );
    for (const line of coverageLines(r)) out(line);
    if (r.violations.length === 0) out('  no violation found.');
    for (const v of r.violations) {
      out(`  VIOLATION ${v.invariant}: ${v.message}`);
      out(`    shortest path (${v.path.length} steps): ${v.path.join(' → ')}`);
    }
  }
  return violated ? 1 : 0;
}

function exploreJson(profile: string, r: ExploreResult) {
  const cells = (m: ReadonlyMap<string, ReadonlySet<string>>) =>
    Object.fromEntries([...m].sort().map(([k, v]) => [k, [...v].sort()]));
  return {
    profile,
    states: r.states,
    transitions: r.transitions,
    seconds: r.seconds,
    states_per_second: r.states / Math.max(r.seconds, 1e-9),
    truncated: r.truncated,
    rollout_states_reached: TABLES.rollout.states.filter((s) => r.coverage.rolloutStates.has(s)),
    host_states_reached: TABLES.host.states.filter((s) => r.coverage.hostStates.has(s)),
    rollout_cells: cells(r.coverage.rollout),
    host_cells: cells(r.coverage.host),
    violations: r.violations,
  };
}
