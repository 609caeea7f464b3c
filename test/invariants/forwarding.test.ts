import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../sim/fleet/presets/index.ts';
import { InvariantChecker } from '../../sim/invariants/checker.ts';
import { hostChangesForwarded } from '../../sim/invariants/rules/forwarding.ts';
import { profile } from '../../sim/profile.ts';
import { DEFAULT_SETTINGS } from '../../sim/settings.ts';
import { simulate } from '../../sim/simulate.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';

/*
 * rollout.host-changes-forwarded over real runs of bad-release (hosts fail and roll back):
 * the trace as recorded passes; the same trace with the rollout's HostStateChanged for
 * the first failure removed (a control plane that forgot to forward it) fails.
 */

const preset = PRESETS['bad-release'];
if (preset === undefined) throw new Error('bad-release preset');
const fleet = preset.build();

function judge(name: 'faithful' | 'intent', edit: (r: TraceRecord[]) => TraceRecord[]) {
  const records: TraceRecord[] = [];
  const sim = simulate({ fleet, profile: profile(name), seed: 3, sink: (r) => records.push(r) });
  const checker = new InvariantChecker(
    {
      fleet,
      profile: profile(name),
      settings: DEFAULT_SETTINGS,
      inspect: {
        cpHost: (id, host) => sim.controlPlane.tables.hostRecord(id, host),
        agentHost: () => undefined,
        agentRecords: () => new Map(),
        running: () => '',
      },
    },
    [hostChangesForwarded],
  );
  for (const r of edit(records)) checker.observe(r);
  return { failures: checker.failures, records };
}

const dropFirstFailure = (records: TraceRecord[]) => {
  const at = records.findIndex(
    (r) =>
      r.type === 'rollout_event' && r.event.type === 'HostStateChanged' && r.event.to === 'Failed',
  );
  expect(at).toBeGreaterThan(0);
  return records.filter((_, i) => i !== at);
};

describe('rollout.host-changes-forwarded', () => {
  for (const name of ['faithful', 'intent'] as const) {
    it(`${name}: a real run passes`, () => {
      expect(judge(name, (r) => r).failures).toEqual([]);
    });
  }

  it('faithful: a failure not forwarded is reported, naming the host and the change', () => {
    const { failures } = judge('faithful', dropFirstFailure);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.message).toMatch(
      /^web-\d+ went (Activating|Soaking) → Failed on stable@v2-bad, and no HostStateChanged was offered to the rollout$/,
    );
  });
});
