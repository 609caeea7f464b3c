import * as z from 'zod';
import { formatFleetPath } from '../../sim/fleet/validate.ts';
import { pickIssue } from '../fleet-file/issues.ts';
import type { ComparisonJson } from './comparison-report.ts';

/*
 * What a `rollout-sim-comparison/1` file (`compare --json`) must look like for `report`
 * to draw it: the fields the page reads, checked for presence, type and agreement (as
 * many differences as variants after the first, every row with the same metrics, a
 * spread's numbers agreeing with its values). Extra fields are allowed, as in traces.
 */

export const COMPARISON_FORMAT = 'rollout-sim-comparison/1';

const spread = z
  .object({
    n: z.number().int().nonnegative(),
    median: z.number().nullable(),
    p90: z.number().nullable(),
    ci95: z.tuple([z.number(), z.number()]).nullable(),
    values: z.array(z.number()),
  })
  .superRefine((s, ctx) => {
    if (s.values.length !== s.n)
      ctx.addIssue({
        code: 'custom',
        path: ['n'],
        message: `expected ${s.values.length}, the number of values, got ${s.n}`,
      });
    else
      for (const key of ['median', 'p90'] as const)
        if ((s[key] === null) !== (s.n === 0))
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message:
              s.n === 0
                ? `expected null, as there are no values, got ${s[key]}`
                : 'expected a number, as there are values, got null',
          });
  });

const named = z.object({ name: z.string().min(1), metrics: z.record(z.string(), spread) });

/** Every row measures what the first one does: the table and the charts take its metrics. */
function sameMetrics(
  rows: readonly { metrics: Record<string, unknown> }[],
  list: string,
  ctx: z.RefinementCtx,
) {
  const first = Object.keys(rows[0]?.metrics ?? {});
  rows.forEach((row, i) => {
    const missing = first.find((m) => !Object.hasOwn(row.metrics, m));
    const extra = Object.keys(row.metrics).find((m) => !first.includes(m));
    if (missing !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: [list, i, 'metrics'],
        message: `missing ${missing}, which ${list}[0] has`,
      });
    else if (extra !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: [list, i, 'metrics', extra],
        message: `not a metric of ${list}[0]`,
      });
  });
}

const comparisonSchema = z
  .object({
    format: z.literal(COMPARISON_FORMAT),
    scenario: z.string(),
    seeds: z.array(z.number().int()).min(1),
    variants: z.array(named),
    differences: z.array(named),
  })
  .superRefine((c, ctx) => {
    if (c.variants.length < 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['variants'],
        message: `expected at least two variants, got ${c.variants.length}`,
      });
      return;
    }
    if (c.differences.length !== c.variants.length - 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['differences'],
        message: `expected ${c.variants.length - 1} (one per variant after the first), got ${c.differences.length}`,
      });
      return;
    }
    // The page tells variants apart by name: two of one name are one row, drawn twice.
    const seen = new Map<string, number>();
    c.variants.forEach((v, i) => {
      const first = seen.get(v.name);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['variants', i, 'name'],
          message: `${JSON.stringify(v.name)} is also the name of variants[${first}]`,
        });
      else seen.set(v.name, i);
    });
    sameMetrics(c.variants, 'variants', ctx);
    sameMetrics(c.differences, 'differences', ctx);
  });

/** The comparison as `report` draws it, or what is wrong with it: `path: message`. */
export function decodeComparison(
  json: unknown,
): { ok: true; comparison: ComparisonJson } | { ok: false; message: string } {
  const c = comparisonSchema.safeParse(json, { reportInput: true });
  if (c.success) return { ok: true, comparison: c.data as ComparisonJson };
  const issue = pickIssue(c.error.issues) ?? { path: [], message: 'invalid comparison' };
  return {
    ok: false,
    message:
      issue.path.length === 0 ? issue.message : `${formatFleetPath(issue.path)}: ${issue.message}`,
  };
}
