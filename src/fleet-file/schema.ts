import * as z from 'zod';
import { ON_HEALTH_FAILURE, PROBE_MODES } from '../../machines/host/state.ts';
import {
  DEFAULT_ON_HEALTH_FAILURE,
  DEFAULT_PROBE_INTERVAL_SECONDS,
  DEFAULT_PROBE_KIND,
  DEFAULT_PROBE_MODE,
  DEFAULT_WAVE_SOAK_MINUTES,
} from '../../sim/fleet/defaults.ts';
import { STRATEGIES } from '../../sim/fleet/fleet.ts';
import {
  CLOSURE,
  CLOSURE_RULE,
  durationProblem,
  NAME,
  PROBE_FAULT_PATTERNS,
  REF,
  REF_RULE,
} from '../../sim/fleet/validate.ts';
import { quote } from '../../sim/quote.ts';
import { unknownKeyMessage } from './suggest.ts';

/*
 * The fleet file format (docs/fleet-format.md, examples/fleet.yaml) as a zod schema:
 * shapes, types, ranges, defaults of single fields, unknown keys rejected, and the
 * "exactly one of" rules between sibling keys. Everything that needs the rest of the
 * file (names that must exist, selectors, host_defaults) is done by `resolve.ts`.
 */

/** A strict object whose unknown keys are reported with the closest known key. */
export function strict<T extends z.ZodRawShape>(shape: T) {
  const keys = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? unknownKeyMessage(String(iss.keys[0] ?? ''), keys)
        : undefined,
  });
}

const name = z.string().regex(NAME, {
  error: (iss) =>
    `invalid name ${quote(String(iss.input))} (letters, digits, ".", "_" and "-", starting with a letter or digit)`,
});
const ref = z.string().regex(REF, {
  error: (iss) => `invalid ref ${quote(String(iss.input))} (${REF_RULE})`,
});
const closure = z.string().regex(CLOSURE, {
  error: (iss) => `invalid closure ${quote(String(iss.input))} (${CLOSURE_RULE})`,
});
const nonNegative = z.number().min(0);
const duration = z.number().superRefine((v, ctx) => {
  const problem = durationProblem(v);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});
const rate = z.number().superRefine((v, ctx) => {
  if (v < 0 || v > 1) ctx.addIssue({ code: 'custom', message: `must be in [0, 1], got ${v}` });
});
/** A list of names; when given it must not be empty (an empty host list would mean "every host"). */
const names = z.array(name).min(1);

/** `[min, max]` of `element`s with min ≤ max. */
const pairOf = (element: z.ZodNumber) =>
  z
    .array(element)
    .superRefine((list, ctx) => {
      if (list.length !== 2)
        ctx.addIssue({
          code: 'custom',
          message: `expected [min, max] (two numbers), got ${list.length} number${list.length === 1 ? '' : 's'}`,
        });
      else if ((list[0] as number) > (list[1] as number))
        ctx.addIssue({
          code: 'custom',
          message: `must be [min, max] with min ≤ max, got [${list[0]}, ${list[1]}]`,
        });
    })
    .transform((list) => [list[0], list[1]] as [number, number]);

/** `[min, max]` with 0 ≤ min ≤ max. */
const range = pairOf(nonNegative);
/** `[min, max]` either side of zero (a clock behind or ahead). */
const signedRange = pairOf(z.number());

/** Host selector: a glob on host names (`web-*`, `db-0?`), or `{tags: [...], glob?}` (all must match). */
export const selectorSchema = z.union(
  [
    z.string().min(1),
    strict({ tags: names.optional(), glob: z.string().min(1).optional() }).superRefine((s, ctx) => {
      if (s.tags === undefined && s.glob === undefined)
        ctx.addIssue({ code: 'custom', message: 'a selector needs tags or glob' });
    }),
  ],
  { error: () => 'expected a selector: a glob string like "web-*" or {tags: [...], glob: "..."}' },
);
export type Selector = z.infer<typeof selectorSchema>;

type Ctx = z.RefinementCtx;

/** Exactly one of the keys is present (`required`), or at most one (`!required`). */
function oneOf(
  value: Record<string, unknown>,
  keys: readonly string[],
  ctx: Ctx,
  required: boolean,
): void {
  const present = keys.filter((k) => value[k] !== undefined);
  const list = keys.length === 2 ? `${keys[0]} or ${keys[1]}` : `one of ${keys.join(', ')}`;
  if (present.length > 1)
    ctx.addIssue({
      code: 'custom',
      path: [present[1] as string],
      message: `give only one of ${keys.join(', ')}`,
    });
  else if (present.length === 0 && required)
    ctx.addIssue({ code: 'custom', message: `missing ${list}` });
}

const release = strict({
  at_minutes: nonNegative.optional(),
  at_seconds: nonNegative.optional(),
  ref,
}).superRefine((v, ctx) => oneOf(v, ['at_minutes', 'at_seconds'], ctx, true));

const channel = strict({
  rollout_policy: name,
  initial_ref: ref,
  releases: z.array(release).default([]),
});

const wave = strict({
  hosts: names.optional(),
  selector: selectorSchema.optional(),
  soak_minutes: z.number().int().min(0).default(DEFAULT_WAVE_SOAK_MINUTES),
}).superRefine((v, ctx) => oneOf(v, ['hosts', 'selector'], ctx, true));

const policy = strict({
  strategy: z.enum(STRATEGIES),
  on_health_failure: z.enum(ON_HEALTH_FAILURE).default(DEFAULT_ON_HEALTH_FAILURE),
  waves: z.array(wave).optional(),
}).superRefine((v, ctx) => {
  if (v.strategy !== 'all-at-once' && (v.waves === undefined || v.waves.length === 0))
    ctx.addIssue({
      code: 'custom',
      path: ['waves'],
      message: `a ${v.strategy} policy needs at least one wave (only all-at-once may omit them)`,
    });
});

const probe = strict({
  name,
  kind: z.string().min(1).default(DEFAULT_PROBE_KIND),
  mode: z.enum(PROBE_MODES).default(DEFAULT_PROBE_MODE),
  interval_seconds: duration.default(DEFAULT_PROBE_INTERVAL_SECONDS),
  run_once: z.boolean().default(false),
});
export type FileProbe = z.infer<typeof probe>;

const probes = z.array(probe).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((p, i) => {
    if (seen.has(p.name))
      ctx.addIssue({
        code: 'custom',
        path: [i, 'name'],
        message: `probe "${p.name}" is declared twice`,
      });
    seen.add(p.name);
  });
});

const host = strict({
  channel: name.optional(),
  tags: z.array(name).optional(),
  probes: probes.optional(),
  initial_closure: closure.optional(),
});

const hostDefaults = strict({
  channel: name.optional(),
  tags: z.array(name).optional(),
  probes: probes.optional(),
});

const channelEdge = strict({
  gates: name.optional(),
  gated: name.optional(),
  before: name.optional(),
  after: name.optional(),
  reason: z.string().optional(),
}).superRefine((v, ctx) => {
  oneOf(v, ['gates', 'before'], ctx, true);
  oneOf(v, ['gated', 'after'], ctx, true);
});

const hostEdge = strict({ gated: name, gates: name, reason: z.string().optional() });

const budget = strict({
  selector: z.string().min(1),
  hosts: names.optional(),
  match: selectorSchema.optional(),
  max_in_flight: z.number().int().min(1).nullable().optional(),
  max_in_flight_pct: z.number().int().min(1).max(100).nullable().optional(),
}).superRefine((v, ctx) => oneOf(v, ['hosts', 'match'], ctx, true));

const activation = strict({
  duration_seconds: range.optional(),
  failure_rate: rate.optional(),
  deferral_rate: rate.optional(),
  boot_failure_rate: rate.optional(),
  deferral_components: z.array(z.string().min(1)).min(1).optional(),
  failing_refs: z.array(ref).optional(),
  deferring_refs: z.array(ref).optional(),
});

const probeRule = strict({
  pattern: z.enum(PROBE_FAULT_PATTERNS),
  refs: z.array(ref).optional(),
  hosts: names.optional(),
  tags: names.optional(),
  waves: z.array(z.number().int().min(0)).min(1).optional(),
  probe: name.optional(),
  rate: rate.optional(),
  after_seconds: nonNegative.optional(),
}).superRefine((v, ctx) => {
  oneOf(v, ['hosts', 'tags', 'waves'], ctx, false);
  if ((v.pattern === 'flaky' || v.pattern === 'breaks') && v.rate === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['rate'],
      message: `required for pattern "${v.pattern}" (the failure probability of each run)`,
    });
  if ((v.pattern === 'late-fail' || v.pattern === 'recover') && v.after_seconds === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['after_seconds'],
      message: `required for pattern "${v.pattern}" (seconds into the soak when the probe changes)`,
    });
});
export type FileProbeRule = z.infer<typeof probeRule>;

const partition = strict({
  hosts: names.optional(),
  from_minutes: nonNegative.optional(),
  from_seconds: nonNegative.optional(),
  to_minutes: nonNegative.optional(),
  to_seconds: nonNegative.optional(),
}).superRefine((v, ctx) => {
  oneOf(v, ['from_minutes', 'from_seconds'], ctx, true);
  oneOf(v, ['to_minutes', 'to_seconds'], ctx, true);
});

const network = strict({
  latency_ms: range.optional(),
  drop_rate: rate.optional(),
  duplicate_rate: rate.optional(),
  partitions: z.array(partition).optional(),
});

const cpRestart = strict({
  at_minutes: nonNegative.optional(),
  at_seconds: nonNegative.optional(),
  down_seconds: duration,
}).superRefine((v, ctx) => oneOf(v, ['at_minutes', 'at_seconds'], ctx, true));

const faults = strict({
  activation: activation.optional(),
  probes: z.array(probeRule).optional(),
  network: network.optional(),
  cp_restarts: z.array(cpRestart).optional(),
  cp_crashes: strict({
    rate,
    every_seconds: duration,
    until_seconds: duration,
    down_seconds: duration,
  }).optional(),
  successor_releases: strict({
    rate,
    every_seconds: duration,
    until_seconds: duration,
  }).optional(),
  clock_skew_seconds: signedRange.optional(),
  replays: strict({
    events_past_route: rate.optional(),
    wave_advances: rate.optional(),
  }).optional(),
  manifest_failure_rate: rate.optional(),
});

const clearance = strict({
  at_minutes: nonNegative.optional(),
  at_seconds: nonNegative.optional(),
  channel: name,
  reason: z.string().optional(),
}).superRefine((v, ctx) => oneOf(v, ['at_minutes', 'at_seconds'], ctx, true));

const operator = strict({
  reboot_deferred_after_minutes: range.nullable().optional(),
  clearances: z.array(clearance).optional(),
});

export const fleetFileSchema = strict({
  name: z.string().min(1).optional(),
  channels: z.record(name, channel),
  rollout_policies: z.record(name, policy),
  host_defaults: hostDefaults.optional(),
  /** A host with nothing to declare (all from host_defaults) may be left empty: `web-01:`. */
  hosts: z.record(name, host.nullable()),
  channel_edges: z.array(channelEdge).optional(),
  host_edges: z.array(hostEdge).optional(),
  disruption_budgets: z.array(budget).optional(),
  faults: faults.optional(),
  operator: operator.optional(),
});

export type FleetFile = z.infer<typeof fleetFileSchema>;
