import type { ActivationFaults, Fleet, NetworkFaults, Operator, Probe } from './fleet.ts';

/*
 * The defaults a fleet file, a preset or the generator falls back to when it says
 * nothing: one place, so the file format, the presets and the docs agree.
 */

/** nixfleet's `onHealthFailure` default (`lib/mk-fleet.nix`, spec §4.13). */
export const DEFAULT_ON_HEALTH_FAILURE = 'rollback-and-halt' as const;
/** Fleet-level wave `soakMinutes` default (`lib/mk-fleet.nix`, spec §4.13). */
export const DEFAULT_WAVE_SOAK_MINUTES = 0;
export const DEFAULT_PROBE_KIND = 'http';
export const DEFAULT_PROBE_MODE = 'enforce' as const;
export const DEFAULT_PROBE_INTERVAL_SECONDS = 30;

/** The closure a host runs before any rollout, unless its declaration names one. */
export function defaultInitialClosure(host: string): string {
  return `${host}-base`;
}

export const DEFAULT_ACTIVATION_FAULTS: ActivationFaults = {
  duration_seconds: [5, 30],
  failure_rate: 0,
  deferral_rate: 0,
  deferral_components: ['kernel'],
  failing_refs: [],
  deferring_refs: [],
};

export const DEFAULT_NETWORK_FAULTS: NetworkFaults = {
  latency_ms: [5, 50],
  drop_rate: 0,
  duplicate_rate: 0,
  partitions: [],
};

export const DEFAULT_OPERATOR: Operator = {
  reboot_deferred_after_seconds: [600, 1200],
  clearances: [],
};

/** A fault-free world: activations succeed, probes pass, the network only adds latency. */
export const NO_FAULTS: Fleet['faults'] = {
  activation: DEFAULT_ACTIVATION_FAULTS,
  probes: [],
  network: DEFAULT_NETWORK_FAULTS,
  cp_restarts: [],
};

/** A probe with the file format's defaults for everything not given. */
export function probe(name: string, overrides: Partial<Omit<Probe, 'name'>> = {}): Probe {
  return {
    name,
    kind: overrides.kind ?? DEFAULT_PROBE_KIND,
    mode: overrides.mode ?? DEFAULT_PROBE_MODE,
    interval_seconds: overrides.interval_seconds ?? DEFAULT_PROBE_INTERVAL_SECONDS,
    run_once: overrides.run_once ?? false,
  };
}
