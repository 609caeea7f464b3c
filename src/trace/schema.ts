import * as z from 'zod';
import { validateFleet } from '../../sim/fleet/validate.ts';
import { PROFILE_FLAG_NAMES, type PROFILES, type Profile, profile } from '../../sim/profile.ts';
import { MAX_SIM_SEED } from '../../sim/random.ts';
import {
  DEFAULT_SETTINGS,
  roundTripProblem,
  SETTING_NAMES,
  type Settings,
  settingProblem,
  TEN_YEARS_SECS,
} from '../../sim/settings.ts';
import { issueLine } from '../fleet-file/issues.ts';
import { fleetSchema } from './fleet-schema.ts';
import { headerWaves, TRACE_FORMAT, type TraceHeader } from './format.ts';

/*
 * What a `rollout-sim-trace/1` header must look like (DESIGN §4.5). Extra fields are
 * allowed everywhere; the required ones are checked for presence and type. The records
 * after it are checked as they are decoded (`TraceDecoder`, decode-record.ts), by
 * `readTrace` for every command that reads a trace.
 */

const flagsSchema = z
  .object({ base: z.enum(['faithful', 'intent']) })
  .and(z.object(Object.fromEntries(PROFILE_FLAG_NAMES.map((f) => [f, z.boolean()]))));

const headerSchema = z.object({
  type: z.literal('header'),
  format: z.literal(TRACE_FORMAT),
  // What `run --seed` takes: a header's seed must be one a run could have been given.
  seed: z.number().int().min(0).max(MAX_SIM_SEED),
  // zod's own words for a failed union are "Invalid input".
  profile: z.union([z.enum(['faithful', 'intent']), flagsSchema], {
    error: () =>
      'expected "faithful", "intent", or the flags object a trace writes ({"base": …, and every profile flag as true or false})',
  }),
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

const issue = (error: z.ZodError): string => issueLine(error.issues);

/** The header as the simulator needs it to run the trace again, or what is wrong with it. */
export function decodeHeader(
  json: unknown,
): { ok: true; header: TraceHeader } | { ok: false; message: string } {
  const h = headerSchema.safeParse(json, { reportInput: true });
  if (!h.success) return { ok: false, message: issue(h.error) };
  const raw = { ...(h.data.fleet as Record<string, unknown>) };
  const { waves } = raw;
  delete raw.waves;
  const f = fleetSchema.safeParse(raw, { reportInput: true });
  if (!f.success) return { ok: false, message: `fleet.${issue(f.error)}` };
  const invalid = validateFleet(f.data);
  if (invalid !== null) return { ok: false, message: `fleet.${invalid}` };
  // `fleet.waves` is what the rollout policies give, written for other tools to read: an
  // edit that moves a host there would show one fleet and replay another.
  if (waves !== undefined) {
    if (typeof waves !== 'object' || waves === null || Array.isArray(waves))
      return { ok: false, message: 'fleet.waves: expected a mapping of channels to their waves' };
    const expected: Record<string, unknown> = headerWaves(f.data);
    const given = waves as Record<string, unknown>;
    const channel = Object.keys({ ...expected, ...given }).find(
      (c) => JSON.stringify(given[c]) !== JSON.stringify(expected[c]),
    );
    if (channel !== undefined)
      return {
        ok: false,
        message: `fleet.waves.${channel}: not the waves the fleet's rollout policies give`,
      };
  }
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
  // As `--set` is checked: a timeout the wire cannot answer in time resends every request
  // for the whole horizon, and `replay --verify` would never end.
  const wire = roundTripProblem(settings, f.data.faults.network.latency_ms[1]);
  if (wire !== null) return { ok: false, message: `settings: ${wire}` };
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
