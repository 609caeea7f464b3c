/**
 * The numbers of the simulated runtime, spec §4.13 defaults. Adjustable with
 * `--set name=value` alongside the profile flags.
 */
export interface Settings {
  /** Agent advance tick fails a host after this long (code: 120 s; the RFC says 60 s). */
  readonly sustained_failure_threshold_secs: number;
  /** Finished-rollout retention (faithful: physical delete, swept hourly). */
  readonly retention_days: number;
  readonly plan_tick_secs: number;
  readonly manifest_poll_secs: number;
  readonly advance_tick_secs: number;
  readonly heartbeat_secs: number;
  readonly long_poll_secs: number;
  /** An agent POST with no answer by then is sent again. */
  readonly request_timeout_secs: number;
  readonly rollback_secs: number;
  readonly reboot_secs: number;
  /** The run ends once nothing has changed for this long and nothing more can happen. */
  readonly settle_secs: number;
}

export const DEFAULT_SETTINGS: Settings = {
  sustained_failure_threshold_secs: 120,
  retention_days: 90,
  plan_tick_secs: 15,
  manifest_poll_secs: 30,
  advance_tick_secs: 5,
  heartbeat_secs: 60,
  long_poll_secs: 60,
  request_timeout_secs: 10,
  rollback_secs: 10,
  reboot_secs: 60,
  settle_secs: 60,
};

/**
 * The finished-rollout retention in whole milliseconds: a fractional `retention_days`
 * (`--set retention_days=0.3`) must still land on the clock's grid.
 */
export function retentionMs(settings: Settings): number {
  return Math.round(settings.retention_days * 86_400_000);
}

export const SETTING_NAMES = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[];

/**
 * What each setting may be. A period (tick, poll, heartbeat, timeout, settle window) of 0,
 * or of less than the clock's millisecond, would schedule the next occurrence at the same
 * instant forever, so the run never advances: those must be at least 0.001 s. Every
 * setting is capped at ten years of seconds (retention in days at 3,650) so that instants
 * stay exact integers of milliseconds.
 */
export interface SettingRange {
  readonly min: number;
  readonly max: number;
}

export const TEN_YEARS_SECS = 10 * 365 * 86_400;
/** A millisecond, the clock's resolution: a shorter period is the same instant again. */
export const CLOCK_RESOLUTION_SECS = 0.001;
const period: SettingRange = { min: CLOCK_RESOLUTION_SECS, max: TEN_YEARS_SECS };
const delay: SettingRange = { min: 0, max: TEN_YEARS_SECS };

export const SETTING_RANGES: { readonly [K in keyof Settings]: SettingRange } = {
  sustained_failure_threshold_secs: delay,
  retention_days: { min: 0, max: 3650 },
  plan_tick_secs: period,
  manifest_poll_secs: period,
  advance_tick_secs: period,
  heartbeat_secs: period,
  long_poll_secs: period,
  request_timeout_secs: period,
  rollback_secs: delay,
  reboot_secs: delay,
  settle_secs: period,
};

/** Null when `value` is allowed for `name`, else what was expected, e.g. "a number ≥ 0.001 and ≤ 315360000". */
export function settingProblem(name: keyof Settings, value: number): string | null {
  const range = SETTING_RANGES[name];
  const ok = Number.isFinite(value) && value >= range.min && value <= range.max;
  return ok ? null : `a number ≥ ${range.min} and ≤ ${range.max}`;
}

/**
 * A number as it is written in decimal (`15`, `0.5`, `2e-3`). `Number` also takes
 * `0x10`, `0b1111`, `' 15 '` and `Infinity`, which nobody means as a setting or a rate.
 */
export const DECIMAL = /^-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * A setting's value as text (`--set name=value`, a `--variant`, a variants file): the
 * number, or what was expected (`a number`, or its range as `settingProblem` says it).
 */
export function parseSetting(
  name: keyof Settings,
  text: string,
):
  | { readonly ok: true; readonly value: number }
  | { readonly ok: false; readonly expected: string } {
  const value = DECIMAL.test(text) ? Number(text) : Number.NaN;
  const problem = Number.isNaN(value) ? 'a number' : settingProblem(name, value);
  return problem === null ? { ok: true, value } : { ok: false, expected: problem };
}

/**
 * Null when an agent request can be answered before it times out on a wire whose latency
 * is at most `maxLatencyMs` each way; else why not. A timeout shorter than the round trip
 * resends every request before its answer comes (the agent reads only the answer to its
 * latest): nothing is ever acknowledged, and the run retries every few milliseconds for
 * its whole horizon.
 */
export function roundTripProblem(settings: Settings, maxLatencyMs: number): string | null {
  const roundTrip = (2 * maxLatencyMs) / 1000;
  return settings.request_timeout_secs > roundTrip
    ? null
    : `request_timeout_secs ${settings.request_timeout_secs} is not longer than an agent request's round trip (up to ${roundTrip} s: latency up to ${maxLatencyMs} ms each way), so no request would ever be answered`;
}
