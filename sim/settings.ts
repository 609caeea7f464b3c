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

export const SETTING_NAMES = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[];
