/**
 * Behaviour profiles (DESIGN §4.3): how the control plane and agents *around* the
 * reducers behave. The reducers never change with the profile. Each flag is one item of
 * spec §6; `faithful` reproduces nixfleet's runtime at 080d6cd, gaps included, and
 * `intent` follows the RFCs.
 */
export interface ProfileFlags {
  /** §6.2: advance the cursor through `WaveAdvanced` in the reducer, not by a direct write. */
  readonly wave_advanced_event: boolean;
  /** §6.2: emit `WaveAdvanced{last, last}` once the last wave is all ordering-eligible (enters Converging). */
  readonly converging_on_last_wave: boolean;
  /** §6.3: under rollback-and-halt, do not forward `to == Failed` to the rollout, so `Reverted` lands. */
  readonly rollback_reverts_rollout: boolean;
  /** §6.9: hold every dispatch of a rollout that is `Failed` or `Reverted`. */
  readonly halt_gate: boolean;
  /** §6.10: anchor `soak_due_at` (and `dispatched_at`) at dispatch instead of at open. */
  readonly soak_from_dispatch: boolean;
  /** §6.8: load the planner's quarantine set from the quarantine table on every run. */
  readonly quarantine_from_table: boolean;
  /** §6.6: retention emits `RetentionExpired → Pruned` (rows kept) instead of a physical delete. */
  readonly retention_expired: boolean;
  /** §6.11: the agent converges only after a probe observation (when it declares probes). */
  readonly require_probe_observation: boolean;
  /**
   * §6.16: count dispatched-but-unacknowledged hosts, and Deferred hosts (they will
   * reboot and soak), as in flight for disruption budgets; and a superseded rollout's
   * hosts still working for it: handed its dispatch (until acknowledged, or shown lost by
   * the agent's next poll), activating or soaking (found by `rollout-sim check`).
   */
  readonly budget_counts_queued: boolean;
  /** §6.15: the compliance gate counts only probes whose latest result fails. */
  readonly compliance_latest_wins: boolean;
  /**
   * §3.12 LIFT #5: recovery synthesis for a Pending record stops at Soaking and leaves
   * convergence to the agent, instead of synthesizing `RemoteConverged` for a host whose
   * acknowledgement is merely late (found by `rollout-sim check`; see the README).
   */
  readonly recovery_stops_at_soaking: boolean;
  /**
   * Queued dispatches of a rollout are withdrawn when it is superseded, so a host that
   * polls late does not activate an old ref (found by `rollout-sim check`).
   */
  readonly drop_superseded_dispatches: boolean;
  /**
   * An agent dispatched a newer rollout stops soaking its older ones: no probes, no
   * sustained-failure verdict, no rollback over the newer closure (found by `rollout-sim check`).
   */
  readonly agent_abandons_superseded: boolean;
  /**
   * A boot-recovery snapshot older than the agent's own record (the agent stepped events
   * the CP has not received yet) does not overwrite it: nixfleet's merge takes the CP's
   * state, so a host that failed while its reports were lost goes back to Activating and
   * stays there (found by `rollout-sim check`).
   */
  readonly snapshot_keeps_newer: boolean;
  /**
   * §6.17 with §3.11 reducer step 3: the events route does not answer an event the
   * reducer would drop for want of a cached manifest (a poll left its channel out), so
   * the agent sends it again, as it does any unanswered event. nixfleet answers 204
   * before the reducer runs, and a Converged dropped so is never heard: the drift check
   * compares closures only (found by `rollout-sim check` with manifest poll failures).
   */
  readonly events_wait_for_manifest: boolean;
  /**
   * §4.1 with §4.8: a channel whose rollout manifest fails to fetch or verify at a poll
   * keeps its last verified one, as a failed fleet verification keeps the whole cache;
   * after a restart emptied the cache, that is the ref of the channel's newest rollout
   * (a rollout is opened only from a verified manifest). nixfleet leaves the channel out
   * of the set, so until the next good poll a channel edge it gates passes ("no verified
   * manifest: pass"), and its successor channel is dispatched while it is still rolling
   * out (found by `rollout-sim check` with manifest poll failures).
   */
  readonly manifest_failure_keeps_last: boolean;
}

export const PROFILE_FLAG_NAMES = [
  'wave_advanced_event',
  'converging_on_last_wave',
  'rollback_reverts_rollout',
  'halt_gate',
  'soak_from_dispatch',
  'quarantine_from_table',
  'retention_expired',
  'require_probe_observation',
  'budget_counts_queued',
  'compliance_latest_wins',
  'recovery_stops_at_soaking',
  'drop_superseded_dispatches',
  'agent_abandons_superseded',
  'snapshot_keeps_newer',
  'events_wait_for_manifest',
  'manifest_failure_keeps_last',
] as const satisfies readonly (keyof ProfileFlags)[];

const FAITHFUL: ProfileFlags = Object.fromEntries(
  PROFILE_FLAG_NAMES.map((f) => [f, false]),
) as never;
const INTENT: ProfileFlags = Object.fromEntries(PROFILE_FLAG_NAMES.map((f) => [f, true])) as never;

export const PROFILES = { faithful: FAITHFUL, intent: INTENT } as const;
export type ProfileName = keyof typeof PROFILES;

export interface Profile {
  /** The preset it started from; `custom` once a flag was set away from it. */
  readonly name: ProfileName | 'custom';
  readonly base: ProfileName;
  readonly flags: ProfileFlags;
}

/** A preset with `overrides` applied; its name stays the preset's only if nothing changed. */
export function profile(base: ProfileName, overrides: Partial<ProfileFlags> = {}): Profile {
  const flags = { ...PROFILES[base], ...overrides };
  const changed = PROFILE_FLAG_NAMES.some((f) => flags[f] !== PROFILES[base][f]);
  return { name: changed ? 'custom' : base, base, flags };
}
