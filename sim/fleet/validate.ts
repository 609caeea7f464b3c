import { ON_HEALTH_FAILURE, PROBE_MODES } from '../../machines/host/state.ts';
import { CONTROL_CHARACTER, quote } from '../quote.ts';
import { CLOCK_RESOLUTION_SECS, TEN_YEARS_SECS } from '../settings.ts';
import { type Fleet, hostWaveIndex, STRATEGIES, targetClosure } from './fleet.ts';

/*
 * Semantic checks on a resolved fleet (DESIGN §4.4): every name it refers to exists,
 * every number is in range, nothing contradicts itself. Presets are checked with it in
 * the tests, fleet files after parsing. The first problem wins, reported as one line
 * `path: message` where the path is the location inside the fleet object, e.g.
 * `channels.stable.rollout_policy: unknown policy "canry" (known: canary, staged)`.
 */

export type FleetPath = readonly (string | number)[];

export interface FleetIssue {
  readonly path: FleetPath;
  readonly message: string;
}

/** Names of channels, hosts, policies, probes and tags. */
export const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/**
 * Refs are freer (tags like `2026.05.1`, branch-like `release/v2`), but never blank or
 * spaced, and never hold `@`: a rollout id is `channel@ref` (spec §1.1), and a ref `v@1`
 * made `stable@v@1`, which a reboot's recovery split into the wrong channel and ref.
 */
export const REF = /^[^\s@]+$/;
/** Closures are store paths: never blank or spaced. */
export const CLOSURE = /^[^\s]+$/;
export const REF_RULE = 'must be non-empty, with no spaces and no "@": a rollout id is channel@ref';
export const CLOSURE_RULE = 'must be non-empty, no spaces';
const WORD = /^[A-Za-z_][A-Za-z0-9_-]*$/;
export const PROBE_FAULT_PATTERNS = ['fail', 'flaky', 'breaks', 'late-fail', 'recover'] as const;

/**
 * C0 control characters, DEL and the C1 controls. A fleet's names, refs and texts are
 * printed in the terminal UI, the plain-text summary and traces: an escape sequence in a
 * ref would recolour or clear the terminal, a newline split a one-line message, and a C1
 * control (U+009B is CSI on some terminals) start an escape sequence by itself.
 */
const CONTROL = CONTROL_CHARACTER;
/**
 * Half of a UTF-16 pair alone (`"\ud800"` in JSON or YAML): no character, so no UTF-8
 * text can hold it; a trace or a terminal would show U+FFFD in its place. In `u` mode a
 * whole pair is one code point and does not match.
 */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** What a text of the fleet (a string or a key) must not hold, or null. */
function textProblem(text: string): string | null {
  if (CONTROL.test(text)) return `must not contain control characters, got ${aroundControl(text)}`;
  const lone = LONE_SURROGATE.exec(text);
  if (lone !== null)
    return `must not contain a lone surrogate (\\u${lone[0].charCodeAt(0).toString(16)}), which is no character`;
  return null;
}

/** `text` quoted, cut to about 60 characters around its first control character. */
function aroundControl(text: string): string {
  const at = text.search(CONTROL);
  const from = Math.max(0, at - 20);
  const part = text.slice(from, from + 40);
  return `${from > 0 ? '…' : ''}${quote(part)}${from + 40 < text.length ? '…' : ''}`;
}

/**
 * The first key or string of plain data (a fleet file as read, a resolved fleet) that
 * holds a control character, in key order, or null: the one rule for every text of a
 * fleet, applied where a fleet comes in (fleet files, trace headers).
 */
export function controlCharacterIssue(value: unknown): FleetIssue | null {
  // One path, grown and cut as the walk goes: copied only for the issue.
  const path: (string | number)[] = [];
  const walk = (node: unknown): FleetIssue | null => {
    if (typeof node === 'string') {
      const message = textProblem(node);
      return message === null ? null : { path: [...path], message };
    }
    if (typeof node !== 'object' || node === null) return null;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        path.push(i);
        const found = walk(node[i]);
        path.pop();
        if (found !== null) return found;
      }
      return null;
    }
    for (const key of Object.keys(node)) {
      path.push(key);
      const keyProblem = textProblem(key);
      const found =
        keyProblem !== null
          ? { path: [...path], message: `a key ${keyProblem}` }
          : walk((node as Record<string, unknown>)[key]);
      path.pop();
      if (found !== null) return found;
    }
    return null;
  };
  return walk(value);
}

/** `channels.stable.releases[1].ref`; keys that are not plain words as `hosts["db.1"]`. */
export function formatFleetPath(path: FleetPath): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (WORD.test(key) && key.length <= SHOWN_CHARS) out += out === '' ? key : `.${key}`;
    else out += `[${shortQuote(key)}]`;
  }
  return out;
}

export function formatFleetIssue(issue: FleetIssue): string {
  return issue.path.length === 0
    ? issue.message
    : `${formatFleetPath(issue.path)}: ${issue.message}`;
}

/** The first problem of `fleet` as one line `path: message`, or null if there is none. */
export function validateFleet(fleet: Fleet): string | null {
  const issue = fleetIssue(fleet);
  return issue === null ? null : formatFleetIssue(issue);
}

class Invalid {
  constructor(readonly issue: FleetIssue) {}
}

function fail(path: FleetPath, message: string): never {
  throw new Invalid({ path, message });
}

/** The first problem of `fleet` with its path as a list of keys, or null. */
export function fleetIssue(fleet: Fleet): FleetIssue | null {
  try {
    check(fleet);
    return null;
  } catch (e) {
    if (e instanceof Invalid) return e.issue;
    throw e;
  }
}

/**
 * A text from the file as a message shows it: quoted, and cut after 60 characters with
 * its length (a 1 MB host name made a 1 MB "one line").
 */
export function shortQuote(text: string): string {
  return text.length <= SHOWN_CHARS
    ? quote(text)
    : `${quote(text.slice(0, SHOWN_CHARS))}… (${text.length.toLocaleString('en-US')} characters)`;
}
const SHOWN_CHARS = 60;

const show = (value: unknown): string =>
  typeof value === 'string' ? shortQuote(value) : String(value);

/** `(known: a, b, c)`, cut after a few names so the line stays short. */
function known(names: readonly string[]): string {
  if (names.length === 0) return '(none declared)';
  const shown = names.slice(0, 8).join(', ');
  return `(known: ${names.length > 8 ? `${shown}, … ${names.length - 8} more` : shown})`;
}

/** `unknown policy "canry" (known: canary, staged)`; the known names are listed sorted. */
export function unknownName(kind: string, name: string, knownNames: readonly string[]): string {
  return `unknown ${kind} ${show(name)} ${known([...knownNames].sort())}`;
}

/*
 * Names and refs are copied into every record that names them: a 40 MB ref made a
 * 2.3 GB trace. A name is held to a DNS name's 253 characters; a ref to 1,024, room for
 * a git ref or a Nix store path.
 */
export const MAX_NAME_CHARS = 253;
export const MAX_REF_CHARS = 1024;

function checkLength(path: FleetPath, text: string, what: string, max: number): void {
  if (text.length > max)
    fail(
      path,
      `${what} of ${text.length.toLocaleString('en-US')} characters is too long (at most ${max})`,
    );
}

function checkName(path: FleetPath, name: string, what: string): void {
  if (typeof name !== 'string' || !NAME.test(name))
    fail(
      path,
      `invalid ${what} name ${show(name)} (letters, digits, ".", "_" and "-", starting with a letter or digit)`,
    );
  checkLength(path, name, `a ${what} name`, MAX_NAME_CHARS);
}

function checkRef(path: FleetPath, ref: string): void {
  if (typeof ref !== 'string' || !REF.test(ref))
    fail(path, `invalid ref ${show(ref)} (${REF_RULE})`);
  checkLength(path, ref, 'a ref', MAX_REF_CHARS);
}

/**
 * The most any number of a fleet may be: ten years of seconds (as a setting may be). An
 * activation lasting 1e16 s put instants past 2^53 ms, where the clock no longer moves:
 * the run spun forever, deaf to SIGTERM.
 */
const MAX_NUMBER = TEN_YEARS_SECS;

/**
 * The cap in the field's own unit, as its name gives it: ten years of minutes for
 * `soak_minutes` (as `--soak` takes), of milliseconds for `latency_ms`. The message
 * said "ten years of seconds" of every field, and let a soak of 600 years through.
 */
function capOf(path: FleetPath): { readonly max: number; readonly words: string } {
  const key = path.findLast((k): k is string => typeof k === 'string') ?? '';
  if (key.endsWith('_minutes')) return { max: MAX_NUMBER / 60, words: 'ten years of minutes' };
  if (key.endsWith('_ms')) return { max: MAX_NUMBER * 1000, words: 'ten years of milliseconds' };
  if (key.endsWith('_seconds')) return { max: MAX_NUMBER, words: 'ten years of seconds' };
  return { max: MAX_NUMBER, words: 'the most any number of a fleet may be' };
}

function checkAtMost(path: FleetPath, value: number): void {
  const { max, words } = capOf(path);
  if (value > max) fail(path, `must be ≤ ${max} (${words}), got ${value}`);
}

function checkNumber(path: FleetPath, value: number, min: number, exclusive = false): void {
  if (typeof value !== 'number' || !Number.isFinite(value))
    fail(path, `expected a number, got ${show(value)}`);
  if (exclusive ? value <= min : value < min)
    fail(path, `must be ${exclusive ? '>' : '≥'} ${min}, got ${value}`);
  checkAtMost(path, value);
}

/**
 * What is wrong with a positive duration in seconds, or null (fleet files say it first).
 * The simulated clock counts milliseconds: a positive duration below one would schedule
 * the next occurrence at the same instant, forever (a run that never ends, or one that
 * fills the heap with successor refs).
 */
export function durationProblem(value: number): string | null {
  return value >= CLOCK_RESOLUTION_SECS
    ? null
    : `must be ≥ ${CLOCK_RESOLUTION_SECS} (a millisecond, the clock's resolution), got ${value}`;
}

function checkDuration(path: FleetPath, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value))
    fail(path, `expected a number, got ${show(value)}`);
  const problem = durationProblem(value);
  if (problem !== null) fail(path, problem);
  checkAtMost(path, value);
}

/** Moments a fault grid may offer (a successor ref opens a rollout of every host at each). */
const MAX_MOMENTS = 10_000;

/** `rate` at every `every_seconds` until `until_seconds`: a grid of at most MAX_MOMENTS. */
function checkGrid(
  at: FleetPath,
  grid: { rate: number; every_seconds: number; until_seconds: number },
  what: string,
): void {
  checkRate([...at, 'rate'], grid.rate);
  checkDuration([...at, 'every_seconds'], grid.every_seconds);
  checkDuration([...at, 'until_seconds'], grid.until_seconds);
  const moments = Math.floor(grid.until_seconds / grid.every_seconds);
  if (moments > MAX_MOMENTS)
    fail(
      [...at, 'every_seconds'],
      `${grid.every_seconds} s until ${grid.until_seconds} s offers ${moments.toLocaleString('en-US')} ${what}, more than ${MAX_MOMENTS.toLocaleString('en-US')}`,
    );
}

function checkInteger(path: FleetPath, value: number, min: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value))
    fail(path, `expected an integer, got ${show(value)}`);
  if (value < min) fail(path, `must be ≥ ${min}, got ${value}`);
  checkAtMost(path, value);
}

function checkRate(path: FleetPath, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1)
    fail(path, `must be in [0, 1], got ${show(value)}`);
}

/** `[min, max]` of finite numbers with floor ≤ min ≤ max (floor 0 unless given). */
function checkRange(path: FleetPath, range: readonly [number, number], floor = 0): void {
  const [min, max] = range;
  if (
    !Array.isArray(range) ||
    range.length !== 2 ||
    typeof min !== 'number' ||
    typeof max !== 'number' ||
    !Number.isFinite(min) ||
    !Number.isFinite(max) ||
    min < floor ||
    min > max
  )
    fail(
      path,
      `must be [min, max] with ${floor} ≤ min ≤ max, got ${Array.isArray(range) ? `[${range.map(show).join(', ')}]` : show(range)}`,
    );
  checkAtMost(path, max);
}

function checkHostList(
  path: FleetPath,
  hosts: readonly string[],
  fleetHosts: ReadonlySet<string>,
): void {
  const seen = new Set<string>();
  hosts.forEach((host, i) => {
    if (!fleetHosts.has(host)) fail([...path, i], `unknown host ${show(host)}`);
    if (seen.has(host)) fail([...path, i], `host ${show(host)} is listed twice`);
    seen.add(host);
  });
}

function checkRefList(
  path: FleetPath,
  refs: readonly string[],
  knownRefs: ReadonlySet<string>,
): void {
  const seen = new Set<string>();
  refs.forEach((ref, i) => {
    if (!knownRefs.has(ref))
      fail([...path, i], `unknown ref ${show(ref)} ${known([...knownRefs].sort())}`);
    if (seen.has(ref)) fail([...path, i], `ref ${show(ref)} is listed twice`);
    seen.add(ref);
  });
}

function check(fleet: Fleet): void {
  const control = controlCharacterIssue(fleet);
  if (control !== null) throw new Invalid(control);
  if (typeof fleet.name !== 'string' || fleet.name.trim() === '')
    fail(['name'], 'must be a non-empty string');
  checkLength(['name'], fleet.name, 'a fleet name', MAX_REF_CHARS);

  const channelNames = Object.keys(fleet.channels);
  const policyNames = Object.keys(fleet.rollout_policies);
  const hostNames = Object.keys(fleet.hosts);
  const hostSet = new Set(hostNames);
  if (channelNames.length === 0) fail(['channels'], 'must declare at least one channel');
  if (hostNames.length === 0) fail(['hosts'], 'must declare at least one host');

  // Channels: their policy, refs and release schedule.
  const allRefs = new Set<string>();
  const refsOfChannel = new Map<string, string[]>();
  for (const name of channelNames) {
    const channel = fleet.channels[name];
    if (channel === undefined) continue;
    const at: FleetPath = ['channels', name];
    checkName(at, name, 'channel');
    if (!Object.hasOwn(fleet.rollout_policies, channel.rollout_policy))
      fail([...at, 'rollout_policy'], unknownName('policy', channel.rollout_policy, policyNames));
    checkRef([...at, 'initial_ref'], channel.initial_ref);
    const refs = [channel.initial_ref];
    const releasedAt = new Map<string, number>();
    let previous = -1;
    channel.releases.forEach((release, i) => {
      const rat: FleetPath = [...at, 'releases', i];
      checkNumber([...rat, 'at_seconds'], release.at_seconds, 0);
      if (release.at_seconds <= previous)
        fail(
          [...rat, 'at_seconds'],
          `releases must be in strictly increasing time order: ${release.at_seconds} s is not after the previous release at ${previous} s`,
        );
      previous = release.at_seconds;
      checkRef([...rat, 'ref'], release.ref);
      if (release.ref === channel.initial_ref)
        fail([...rat, 'ref'], `ref ${show(release.ref)} is the channel's initial_ref`);
      const earlier = releasedAt.get(release.ref);
      if (earlier !== undefined)
        fail(
          [...rat, 'ref'],
          `ref ${show(release.ref)} is already released by releases[${earlier}]`,
        );
      releasedAt.set(release.ref, i);
      refs.push(release.ref);
    });
    refsOfChannel.set(name, refs);
    for (const ref of refs) allRefs.add(ref);
  }

  // Rollout policies: strategy, failure policy, waves (a host in at most one wave per policy).
  for (const name of policyNames) {
    const policy = fleet.rollout_policies[name];
    if (policy === undefined) continue;
    const at: FleetPath = ['rollout_policies', name];
    checkName(at, name, 'policy');
    if (!(STRATEGIES as readonly string[]).includes(policy.strategy))
      fail([...at, 'strategy'], `unknown strategy ${show(policy.strategy)} ${known(STRATEGIES)}`);
    if (!(ON_HEALTH_FAILURE as readonly string[]).includes(policy.on_health_failure))
      fail(
        [...at, 'on_health_failure'],
        `unknown policy ${show(policy.on_health_failure)} ${known(ON_HEALTH_FAILURE)}`,
      );
    const waveOf = new Map<string, number>();
    policy.waves.forEach((wave, w) => {
      const wat: FleetPath = [...at, 'waves', w];
      checkInteger([...wat, 'soak_minutes'], wave.soak_minutes, 0);
      wave.hosts.forEach((host, i) => {
        if (!hostSet.has(host)) fail([...wat, 'hosts', i], `unknown host ${show(host)}`);
        const earlier = waveOf.get(host);
        if (earlier !== undefined)
          fail(
            [...wat, 'hosts', i],
            earlier === w
              ? `host ${show(host)} is listed twice in this wave`
              : `host ${show(host)} is already in wave ${earlier}`,
          );
        waveOf.set(host, w);
      });
    });
  }

  // Hosts: channel, tags, probes, initial closure.
  for (const name of hostNames) {
    const host = fleet.hosts[name];
    if (host === undefined) continue;
    const at: FleetPath = ['hosts', name];
    checkName(at, name, 'host');
    if (!Object.hasOwn(fleet.channels, host.channel))
      fail([...at, 'channel'], unknownName('channel', host.channel, channelNames));
    const tags = new Set<string>();
    host.tags.forEach((tag, i) => {
      checkName([...at, 'tags', i], tag, 'tag');
      if (tags.has(tag)) fail([...at, 'tags', i], `tag ${show(tag)} is listed twice`);
      tags.add(tag);
    });
    const probes = new Set<string>();
    host.probes.forEach((probe, i) => {
      const pat: FleetPath = [...at, 'probes', i];
      checkName([...pat, 'name'], probe.name, 'probe');
      if (probes.has(probe.name))
        fail([...pat, 'name'], `probe ${show(probe.name)} is declared twice`);
      probes.add(probe.name);
      if (typeof probe.kind !== 'string' || probe.kind === '')
        fail([...pat, 'kind'], 'must be a non-empty string');
      if (!(PROBE_MODES as readonly string[]).includes(probe.mode))
        fail([...pat, 'mode'], `unknown mode ${show(probe.mode)} ${known(PROBE_MODES)}`);
      checkDuration([...pat, 'interval_seconds'], probe.interval_seconds);
      if (typeof probe.run_once !== 'boolean')
        fail([...pat, 'run_once'], `expected a boolean, got ${show(probe.run_once)}`);
    });
    if (typeof host.initial_closure !== 'string' || !CLOSURE.test(host.initial_closure))
      fail(
        [...at, 'initial_closure'],
        `invalid closure ${show(host.initial_closure)} (${CLOSURE_RULE})`,
      );
    checkLength([...at, 'initial_closure'], host.initial_closure, 'a closure', MAX_REF_CHARS);
    for (const ref of refsOfChannel.get(host.channel) ?? [])
      if (targetClosure(name, ref) === host.initial_closure)
        fail(
          [...at, 'initial_closure'],
          `${show(host.initial_closure)} is the host's target closure for ref ${show(ref)}`,
        );
  }

  // A channel no host follows opens a rollout with nothing to dispatch, which stays
  // Opening: the run could never finish (it ended "stalled", after the fact).
  const followed = new Set(hostNames.map((h) => fleet.hosts[h]?.channel));
  for (const name of channelNames)
    if (!followed.has(name))
      fail(
        ['channels', name],
        'no host follows this channel, so its rollout would stay Opening and never finish',
      );

  // Channel edges: known channels, no duplicates, no cycle.
  const edgeKeys = new Map<string, number>();
  fleet.channel_edges.forEach((edge, i) => {
    const at: FleetPath = ['channel_edges', i];
    for (const end of ['gates', 'gated'] as const)
      if (!Object.hasOwn(fleet.channels, edge[end]))
        fail([...at, end], unknownName('channel', edge[end], channelNames));
    const key = `${edge.gates}\u0000${edge.gated}`;
    const earlier = edgeKeys.get(key);
    if (earlier !== undefined) fail(at, `duplicate of channel_edges[${earlier}]`);
    edgeKeys.set(key, i);
  });
  const cycle = findCycle(fleet.channel_edges);
  if (cycle !== null) fail(['channel_edges'], `cycle ${cycle.join(' → ')}`);

  // Host edges: known hosts, not a host gating itself.
  fleet.host_edges.forEach((edge, i) => {
    const at: FleetPath = ['host_edges', i];
    for (const end of ['gated', 'gates'] as const)
      if (!hostSet.has(edge[end])) fail([...at, end], `unknown host ${show(edge[end])}`);
    if (edge.gated === edge.gates)
      fail([...at, 'gates'], `host ${show(edge.gates)} cannot gate itself`);
  });
  checkHostEdgesCanFinish(fleet);

  // Disruption budgets.
  fleet.disruption_budgets.forEach((budget, i) => {
    const at: FleetPath = ['disruption_budgets', i];
    if (typeof budget.selector !== 'string' || budget.selector === '')
      fail([...at, 'selector'], 'must be a non-empty string');
    checkHostList([...at, 'hosts'], budget.hosts, hostSet);
    if (budget.max_in_flight !== null)
      checkInteger([...at, 'max_in_flight'], budget.max_in_flight, 1);
    if (budget.max_in_flight_pct !== null) {
      checkInteger([...at, 'max_in_flight_pct'], budget.max_in_flight_pct, 1);
      if (budget.max_in_flight_pct > 100)
        fail([...at, 'max_in_flight_pct'], `must be ≤ 100, got ${budget.max_in_flight_pct}`);
    }
  });

  // Faults.
  const { activation, network } = fleet.faults;
  const act: FleetPath = ['faults', 'activation'];
  checkRange([...act, 'duration_seconds'], activation.duration_seconds);
  checkRate([...act, 'failure_rate'], activation.failure_rate);
  checkRate([...act, 'deferral_rate'], activation.deferral_rate);
  if (activation.boot_failure_rate !== undefined)
    checkRate([...act, 'boot_failure_rate'], activation.boot_failure_rate);
  if (activation.deferral_components.length === 0)
    fail([...act, 'deferral_components'], 'must name at least one component');
  activation.deferral_components.forEach((c, i) => {
    if (typeof c !== 'string' || c === '')
      fail([...act, 'deferral_components', i], 'must be a non-empty string');
  });
  checkRefList([...act, 'failing_refs'], activation.failing_refs, allRefs);
  checkRefList([...act, 'deferring_refs'], activation.deferring_refs, allRefs);

  fleet.faults.probes.forEach((rule, i) => {
    const at: FleetPath = ['faults', 'probes', i];
    if (!(PROBE_FAULT_PATTERNS as readonly string[]).includes(rule.pattern))
      fail(
        [...at, 'pattern'],
        `unknown pattern ${show(rule.pattern)} ${known(PROBE_FAULT_PATTERNS)}`,
      );
    checkRefList([...at, 'refs'], rule.refs, allRefs);
    checkHostList([...at, 'hosts'], rule.hosts, hostSet);
    if (rule.probe !== null) {
      const targets = rule.hosts.length === 0 ? hostNames : rule.hosts;
      const probe = rule.probe;
      if (
        !targets.some(
          (h) =>
            Object.hasOwn(fleet.hosts, h) && fleet.hosts[h]?.probes.some((p) => p.name === probe),
        )
      )
        fail([...at, 'probe'], `no host it applies to has a probe named ${show(probe)}`);
    }
    checkRate([...at, 'rate'], rule.rate);
    checkNumber([...at, 'after_seconds'], rule.after_seconds, 0);
  });

  const net: FleetPath = ['faults', 'network'];
  checkRange([...net, 'latency_ms'], network.latency_ms);
  checkRate([...net, 'drop_rate'], network.drop_rate);
  checkRate([...net, 'duplicate_rate'], network.duplicate_rate);
  network.partitions.forEach((partition, i) => {
    const at: FleetPath = [...net, 'partitions', i];
    checkHostList([...at, 'hosts'], partition.hosts, hostSet);
    checkNumber([...at, 'from_seconds'], partition.from_seconds, 0);
    checkNumber([...at, 'to_seconds'], partition.to_seconds, 0);
    if (partition.to_seconds <= partition.from_seconds)
      fail(
        [...at, 'to_seconds'],
        `must be after from_seconds (${partition.from_seconds}), got ${partition.to_seconds}`,
      );
  });

  fleet.faults.cp_restarts.forEach((restart, i) => {
    const at: FleetPath = ['faults', 'cp_restarts', i];
    checkNumber([...at, 'at_seconds'], restart.at_seconds, 0);
    checkDuration([...at, 'down_seconds'], restart.down_seconds);
  });

  const crashes = fleet.faults.cp_crashes;
  if (crashes !== undefined) {
    checkGrid(['faults', 'cp_crashes'], crashes, 'moments to crash');
    checkDuration(['faults', 'cp_crashes', 'down_seconds'], crashes.down_seconds);
  }

  const successors = fleet.faults.successor_releases;
  if (successors !== undefined)
    checkGrid(['faults', 'successor_releases'], successors, 'successor refs a channel');

  const skew = fleet.faults.clock_skew_seconds;
  if (skew !== undefined) {
    const at: FleetPath = ['faults', 'clock_skew_seconds'];
    checkRange(at, skew, -86_400);
    if (skew[1] > 86_400)
      fail(at, `a clock more than a day off is no skew, got [${skew[0]}, ${skew[1]}]`);
  }

  const replays = fleet.faults.replays;
  if (replays !== undefined) {
    checkRate(['faults', 'replays', 'events_past_route'], replays.events_past_route);
    checkRate(['faults', 'replays', 'wave_advances'], replays.wave_advances);
  }
  if (fleet.faults.manifest_failure_rate !== undefined)
    checkRate(['faults', 'manifest_failure_rate'], fleet.faults.manifest_failure_rate);

  // Operator.
  const reboot = fleet.operator.reboot_deferred_after_seconds;
  if (reboot !== null) checkRange(['operator', 'reboot_deferred_after_seconds'], reboot);
  fleet.operator.clearances.forEach((clearance, i) => {
    const at: FleetPath = ['operator', 'clearances', i];
    checkNumber([...at, 'at_seconds'], clearance.at_seconds, 0);
    if (!Object.hasOwn(fleet.channels, clearance.channel))
      fail([...at, 'channel'], unknownName('channel', clearance.channel, channelNames));
    if (typeof clearance.reason !== 'string')
      fail([...at, 'reason'], `expected a string, got ${show(clearance.reason)}`);
  });
}

/**
 * A fleet whose host edges can never all be satisfied would stall forever, so it is
 * refused. Only edges within one channel gate (spec §4.9 skips a gating host on another
 * channel), and a gated host waits for its gating host to be Converged or Deferred:
 * - a gating host in a later wave than the host it gates is never dispatched, because
 *   wave promotion (§4.5) waits for the gated host's wave, which waits for the gated host;
 * - hosts gating each other in a cycle all wait.
 */
function checkHostEdgesCanFinish(fleet: Fleet): void {
  const gating: { gates: string; gated: string }[] = [];
  fleet.host_edges.forEach((edge, i) => {
    const channel = fleet.hosts[edge.gated]?.channel;
    if (channel === undefined || fleet.hosts[edge.gates]?.channel !== channel) return;
    gating.push(edge);
    const gatesWave = hostWaveIndex(fleet, edge.gates);
    const gatedWave = hostWaveIndex(fleet, edge.gated);
    if (gatedWave >= 0 && gatesWave > gatedWave)
      fail(
        ['host_edges', i, 'gates'],
        `host ${show(edge.gates)} is in wave ${gatesWave} of channel ${show(channel)}, after wave ${gatedWave} of ${show(edge.gated)} which it gates: ${show(edge.gated)} would wait for it forever`,
      );
  });
  const cycle = findCycle(gating);
  if (cycle !== null)
    fail(
      ['host_edges'],
      `cycle ${cycle.join(' → ')}: these hosts wait for each other, so the rollout never finishes`,
    );
}

/**
 * The first cycle among edges (gates → gated), as the list of nodes around it with the
 * first repeated at the end, or null. Depth-first from each node in the order it first
 * appears as `gates`, following edges in declaration order. Iterative, not recursive: a
 * chain of 100,000 host edges must not overflow the stack.
 */
export function findCycle(
  edges: readonly { readonly gates: string; readonly gated: string }[],
): string[] | null {
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    const list = next.get(edge.gates);
    if (list === undefined) next.set(edge.gates, [edge.gated]);
    else list.push(edge.gated);
  }
  const DONE = 2;
  const ACTIVE = 1;
  const mark = new Map<string, number>();
  for (const start of next.keys()) {
    if (mark.get(start) !== undefined) continue;
    // The path from `start`, each node with the index of the next edge to follow.
    const stack: string[] = [start];
    const cursor: number[] = [0];
    mark.set(start, ACTIVE);
    while (stack.length > 0) {
      const top = stack.length - 1;
      const node = stack[top] as string;
      const out = next.get(node) ?? [];
      const k = cursor[top] as number;
      if (k >= out.length) {
        mark.set(node, DONE);
        stack.pop();
        cursor.pop();
        continue;
      }
      cursor[top] = k + 1;
      const to = out[k] as string;
      const m = mark.get(to);
      if (m === ACTIVE) return [...stack.slice(stack.indexOf(to)), to];
      if (m === undefined) {
        mark.set(to, ACTIVE);
        stack.push(to);
        cursor.push(0);
      }
    }
  }
  return null;
}
