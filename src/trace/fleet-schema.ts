import * as z from 'zod';
import { ON_HEALTH_FAILURE, PROBE_MODES } from '../../machines/host/state.ts';
import { type Fleet, STRATEGIES } from '../../sim/fleet/fleet.ts';

/*
 * The resolved fleet as a trace header carries it: the structure of `sim/fleet/fleet.ts`,
 * checked field by field before `validateFleet` checks what the names refer to.
 */

const count = z.number().int().nonnegative();
const seconds = z.number().nonnegative();
const rate = z.number().min(0).max(1);
const range = z.tuple([z.number().nonnegative(), z.number().nonnegative()]);
const names = z.array(z.string());

const wave = z.strictObject({ hosts: names, soak_minutes: count });
const policy = z.strictObject({
  strategy: z.enum(STRATEGIES),
  on_health_failure: z.enum(ON_HEALTH_FAILURE),
  waves: z.array(wave),
});
const channel = z.strictObject({
  rollout_policy: z.string(),
  initial_ref: z.string(),
  releases: z.array(z.strictObject({ at_seconds: seconds, ref: z.string() })),
});
const probe = z.strictObject({
  name: z.string(),
  kind: z.string(),
  mode: z.enum(PROBE_MODES),
  interval_seconds: z.number().positive(),
  run_once: z.boolean(),
});
const host = z.strictObject({
  channel: z.string(),
  tags: names,
  probes: z.array(probe),
  initial_closure: z.string(),
});

export const fleetSchema: z.ZodType<Fleet> = z.strictObject({
  name: z.string(),
  channels: z.record(z.string(), channel),
  rollout_policies: z.record(z.string(), policy),
  hosts: z.record(z.string(), host),
  channel_edges: z.array(
    z.strictObject({ gates: z.string(), gated: z.string(), reason: z.string().nullable() }),
  ),
  host_edges: z.array(
    z.strictObject({ gated: z.string(), gates: z.string(), reason: z.string().nullable() }),
  ),
  disruption_budgets: z.array(
    z.strictObject({
      selector: z.string(),
      hosts: names,
      max_in_flight: count.nullable(),
      max_in_flight_pct: count.nullable(),
    }),
  ),
  faults: z.strictObject({
    activation: z.strictObject({
      duration_seconds: range,
      failure_rate: rate,
      deferral_rate: rate,
      boot_failure_rate: rate.optional(),
      deferral_components: names,
      failing_refs: names,
      deferring_refs: names,
    }),
    probes: z.array(
      z.strictObject({
        pattern: z.enum(['fail', 'flaky', 'breaks', 'late-fail', 'recover']),
        refs: names,
        hosts: names,
        probe: z.string().nullable(),
        rate,
        after_seconds: seconds,
      }),
    ),
    network: z.strictObject({
      latency_ms: range,
      drop_rate: rate,
      duplicate_rate: rate,
      partitions: z.array(
        z.strictObject({ hosts: names, from_seconds: seconds, to_seconds: seconds }),
      ),
    }),
    cp_restarts: z.array(z.strictObject({ at_seconds: seconds, down_seconds: seconds })),
    cp_crashes: z
      .strictObject({
        rate,
        every_seconds: seconds,
        until_seconds: seconds,
        down_seconds: seconds,
      })
      .optional(),
    successor_releases: z
      .strictObject({ rate, every_seconds: seconds, until_seconds: seconds })
      .optional(),
    clock_skew_seconds: z.tuple([z.number(), z.number()]).optional(),
    replays: z.strictObject({ events_past_route: rate, wave_advances: rate }).optional(),
    manifest_failure_rate: rate.optional(),
  }),
  operator: z.strictObject({
    reboot_deferred_after_seconds: range.nullable(),
    clearances: z.array(
      z.strictObject({ at_seconds: seconds, channel: z.string(), reason: z.string() }),
    ),
  }),
}) as unknown as z.ZodType<Fleet>;
