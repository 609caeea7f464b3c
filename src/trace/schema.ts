import * as z from 'zod';
import { HOST_EVENT_TYPES } from '../../machines/host/event.ts';
import { HOST_STATES } from '../../machines/host/state.ts';
import { ROLLOUT_STATES } from '../../machines/rollout/state.ts';
import { validateFleet } from '../../sim/fleet/validate.ts';
import { PROFILE_FLAG_NAMES, type PROFILES, type Profile, profile } from '../../sim/profile.ts';
import {
  DEFAULT_SETTINGS,
  SETTING_NAMES,
  type Settings,
  settingProblem,
  TEN_YEARS_SECS,
} from '../../sim/settings.ts';
import { rolloutEffect, rolloutEvent, rolloutTransitionError } from '../codec/index.ts';
import { fleetSchema } from './fleet-schema.ts';
import { TRACE_FORMAT, type TraceHeader } from './format.ts';

/*
 * What a `rollout-sim-trace/1` line must look like (DESIGN §4.5). Extra fields are
 * allowed everywhere; the required ones are checked for presence and type.
 */

const t = z.number().nonnegative();
const id = z.string();
const count = z.number().int().nonnegative();

const flagsSchema = z
  .object({ base: z.enum(['faithful', 'intent']) })
  .and(z.object(Object.fromEntries(PROFILE_FLAG_NAMES.map((f) => [f, z.boolean()]))));

const headerSchema = z.object({
  type: z.literal('header'),
  format: z.literal(TRACE_FORMAT),
  seed: z.number().int(),
  profile: z.union([z.enum(['faithful', 'intent']), flagsSchema]),
  settings: z
    .object(Object.fromEntries(SETTING_NAMES.map((s) => [s, z.number().nonnegative()])))
    .partial()
    .optional(),
  // At most what `--until` takes: a re-simulation must end.
  until: z.number().nonnegative().max(TEN_YEARS_SECS).nullable().optional(),
  explore_plan: z.array(z.number().int().nonnegative()).optional(),
  forced_faults: z.array(z.number().int().nonnegative()).optional(),
  fleet: z.unknown(),
});

const summarySchema = z.object({
  rollouts: z.array(
    z.object({
      rollout_id: id,
      state: z.string(),
      current_wave: count,
      opened_at: z.string(),
      terminal_at: z.string().nullable(),
      hosts: z.record(z.string(), count),
    }),
  ),
  sim_seconds: z.number().nonnegative(),
  wall_seconds: z.number().nullable(),
  events: z.object({ host_steps: count, rollout_steps: count, scheduled: count }),
});

const recordSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('rollout_opened'),
    t,
    rollout_id: id,
    channel: z.string(),
    target_ref: z.string(),
  }),
  z.object({
    type: z.literal('rollout_event'),
    t,
    rollout_id: id,
    event: rolloutEvent.schema,
    result: z.union([
      z.object({
        ok: z.literal(true),
        state: z.enum(ROLLOUT_STATES),
        current_wave: count,
        effects: z.array(rolloutEffect.schema),
      }),
      z.object({ ok: z.literal(false), error: rolloutTransitionError.schema }),
    ]),
  }),
  z.object({
    type: z.literal('host_transition'),
    t,
    side: z.enum(['cp', 'agent']),
    rollout_id: id,
    host: z.string(),
    event: z.enum(HOST_EVENT_TYPES),
    from: z.enum(HOST_STATES),
    to: z.enum(HOST_STATES),
  }),
  z.object({ type: z.literal('wave_cursor'), t, rollout_id: id, from: count, to: count }),
  z.object({ type: z.literal('dispatch'), t, rollout_id: id, host: z.string(), wave: count }),
  z.object({
    type: z.literal('gate'),
    t,
    rollout_id: id,
    host: z.string(),
    gate: z.string(),
    reason: z.string(),
  }),
  z.object({ type: z.literal('fault'), t, kind: z.string() }),
  z.object({ type: z.literal('end'), t, summary: summarySchema }),
]);

export type LineCheck = { readonly ok: true } | { readonly ok: false; readonly message: string };

function issue(error: z.ZodError): string {
  const first = error.issues[0];
  if (first === undefined) return 'invalid';
  const path = first.path.map(String).join('.');
  return path === '' ? first.message : `${path}: ${first.message}`;
}

/** Whether a parsed trace line (after the header) is a well-formed record. */
export function checkRecord(json: unknown): LineCheck {
  const r = recordSchema.safeParse(json);
  return r.success ? { ok: true } : { ok: false, message: issue(r.error) };
}

/** The header as the simulator needs it to run the trace again, or what is wrong with it. */
export function decodeHeader(
  json: unknown,
): { ok: true; header: TraceHeader } | { ok: false; message: string } {
  const h = headerSchema.safeParse(json);
  if (!h.success) return { ok: false, message: issue(h.error) };
  const raw = { ...(h.data.fleet as Record<string, unknown>) };
  delete raw.waves;
  const f = fleetSchema.safeParse(raw);
  if (!f.success) return { ok: false, message: `fleet.${issue(f.error)}` };
  const invalid = validateFleet(f.data);
  if (invalid !== null) return { ok: false, message: `fleet.${invalid}` };
  const p = h.data.profile;
  let prof: Profile;
  if (typeof p === 'string') prof = profile(p);
  else {
    const { base, ...flags } = p as { base: keyof typeof PROFILES } & Record<string, boolean>;
    prof = profile(base, flags);
  }
  const settings: Settings = { ...DEFAULT_SETTINGS, ...(h.data.settings ?? {}) };
  // As `--set` checks them: a tick of 0 in an edited header would hang `replay --verify`.
  for (const name of SETTING_NAMES) {
    const problem = settingProblem(name, settings[name]);
    if (problem !== null)
      return { ok: false, message: `settings.${name}: expected ${problem}, got ${settings[name]}` };
  }
  return {
    ok: true,
    header: {
      seed: h.data.seed,
      profile: prof,
      fleet: f.data,
      settings,
      untilSeconds: h.data.until ?? null,
      ...(h.data.explore_plan === undefined ? {} : { explorePlan: h.data.explore_plan }),
      ...(h.data.forced_faults === undefined ? {} : { forcedFaults: h.data.forced_faults }),
    },
  };
}
