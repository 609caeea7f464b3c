import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { PlainCoverage } from '../../../sim/coverage.ts';
import { PROFILES, type ProfileName } from '../../../sim/profile.ts';
import { quote } from '../../../sim/quote.ts';
import { issueLine } from '../../fleet-file/issues.ts';

/*
 * What `check --shard K/N --json` prints and `check --merge` reads back. Every field
 * merge uses is checked for type and range before anything is summed or allocated: a
 * report edited to `shard.count: 1e9` once made merge list a billion missing shards
 * until V8 gave up, and a `deviations: [null]` was an internal error.
 */

/** As many as `check --runs` takes. */
export const MAX_CHECK_RUNS = 10_000_000;

/**
 * fast-check folds any other seed into a 32-bit one and reports that instead, so the
 * replay command would not show the seed that was given: only int32 seeds are taken.
 */
export const MIN_CHECK_SEED = -0x8000_0000;
export const MAX_CHECK_SEED = 0x7fff_ffff;

/** The runs of shard K of N: contiguous, in index order, together covering 0 … runs-1. */
export function shardRange(runs: number, shard: { index: number; count: number }) {
  const first = Math.floor((runs * (shard.index - 1)) / shard.count);
  const end = Math.floor((runs * shard.index) / shard.count);
  return { first, count: end - first };
}

const count = z.number().int().nonnegative().max(MAX_CHECK_RUNS);
const cells = z.array(z.tuple([z.string(), z.array(z.string())]));

const shardReportSchema = z
  .object({
    // `custom` for a profile with a flag set off its base's value (sim/profile.ts).
    profile: z.enum([...(Object.keys(PROFILES) as ProfileName[]), 'custom']),
    seed: z.number().int().min(MIN_CHECK_SEED).max(MAX_CHECK_SEED),
    runs: count,
    wall_seconds: z.number().nonnegative(),
    invariants: z.array(z.string()).min(1),
    coverage: z.object({
      cells: z.object({
        rollout: cells,
        host: cells,
        rolloutStates: z.array(z.string()),
        hostStates: z.array(z.string()),
      }),
    }),
    deviations: z.array(
      z.object({
        invariant: z.string(),
        runs: count.min(1),
        deviation: z.string().nullable(),
        example: z.string(),
      }),
    ),
    // Printed as check made it; merge passes the lowest failing shard's on untouched.
    failure: z.object({ invariant: z.string(), path: z.string() }).loose().nullable(),
    shard: z.object({
      index: count.min(1),
      count: count.min(1),
      first_run: count,
      runs: count,
      total_runs: count.min(1),
      setup: z.string(),
    }),
  })
  .superRefine((r, ctx) => {
    const s = r.shard;
    const problem = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    if (s.index > s.count) problem(['shard', 'index'], `must be ≤ shard.count ${s.count}`);
    if (s.count > s.total_runs)
      problem(['shard', 'count'], `must be ≤ shard.total_runs ${s.total_runs}`);
    const range = shardRange(s.total_runs, s);
    if (s.first_run !== range.first)
      problem(
        ['shard', 'first_run'],
        `must be ${range.first} for shard ${s.index}/${s.count} of ${s.total_runs} runs`,
      );
    if (s.runs !== range.count)
      problem(
        ['shard', 'runs'],
        `must be ${range.count} for shard ${s.index}/${s.count} of ${s.total_runs} runs`,
      );
    if (r.runs > s.runs) problem(['runs'], `must be ≤ shard.runs ${s.runs}`);
    if (r.failure === null && r.runs !== s.runs)
      problem(['runs'], `must be shard.runs ${s.runs} when no run failed`);
    r.deviations.forEach((d, i) => {
      if (!r.invariants.includes(d.invariant))
        problem(
          ['deviations', i, 'invariant'],
          `${quote(d.invariant)} is not one of this report's invariants`,
        );
    });
  });

export type ShardReport = z.infer<typeof shardReportSchema> & {
  readonly coverage: { readonly cells: PlainCoverage };
};

/** The report in `json`, or where and what is wrong with it (`shard.count: must be …`). */
export function decodeShardReport(
  json: unknown,
): { ok: true; report: ShardReport } | { ok: false; problem: string } {
  const r = shardReportSchema.safeParse(json, { reportInput: true });
  return r.success
    ? { ok: true, report: r.data }
    : { ok: false, problem: issueLine(r.error.issues) };
}

/**
 * What else besides seed, runs, profile and invariants must be the same for two shards
 * to be slices of one check: the profile's flags, every setting, and the fixed fleet if
 * there is one (null: generated fleets). A digest, so the report does not repeat the fleet.
 */
export function setupDigest(setup: {
  readonly profile: unknown;
  readonly settings: unknown;
  readonly fleet: unknown;
}): string {
  return createHash('sha256')
    .update(JSON.stringify([setup.profile, setup.settings, setup.fleet]))
    .digest('hex')
    .slice(0, 16);
}
