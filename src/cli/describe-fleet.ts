import { DEFAULT_ACTIVATION_FAULTS } from '../../sim/fleet/defaults.ts';
import { channelWaves, type Fleet } from '../../sim/fleet/fleet.ts';
import { span } from './summary-text.ts';

const pct = (r: number) => `${Math.round(r * 100)}%`;

/** A fleet in a few readable lines: what a counterexample is made of. */
export function describeFleet(fleet: Fleet): string[] {
  const hosts = Object.keys(fleet.hosts);
  const channels = Object.keys(fleet.channels);
  const lines = [
    `${hosts.length} host${hosts.length === 1 ? '' : 's'}, ${channels.length} channel${channels.length === 1 ? '' : 's'}`,
  ];
  for (const name of channels) {
    const c = fleet.channels[name];
    if (c === undefined) continue;
    const policy = fleet.rollout_policies[c.rollout_policy];
    const waves = channelWaves(fleet, name)
      .map((w, i) => `wave ${i}: ${w.hosts.join(' ')} (soak ${w.soak_minutes}m)`)
      .join('; ');
    const releases = c.releases.map((r) => `${r.ref} at ${span(r.at_seconds)}`).join(', ');
    lines.push(
      `  ${name}: ${policy?.on_health_failure ?? '?'}; ${waves}; refs ${c.initial_ref}${releases === '' ? '' : `, then ${releases}`}`,
    );
  }
  for (const [name, h] of Object.entries(fleet.hosts)) {
    if (h.probes.length > 0)
      lines.push(
        `  ${name} probes: ${h.probes.map((p) => `${p.name} ${p.mode} every ${p.interval_seconds}s`).join(', ')}`,
      );
  }
  for (const e of fleet.channel_edges) lines.push(`  channel edge: ${e.gates} gates ${e.gated}`);
  for (const e of fleet.host_edges) lines.push(`  host edge: ${e.gates} gates ${e.gated}`);
  for (const b of fleet.disruption_budgets)
    lines.push(
      `  budget ${b.selector}: ${b.hosts.join(' ')} max ${b.max_in_flight ?? '∞'} in flight`,
    );
  const f = fleet.faults;
  const faults: string[] = [];
  for (const r of f.probes) {
    const where = r.hosts.length === 0 ? 'every host' : r.hosts.join(' ');
    const when =
      r.pattern === 'flaky'
        ? ` ${pct(r.rate)}`
        : r.pattern === 'fail'
          ? ''
          : ` after ${r.after_seconds}s`;
    faults.push(
      `probes ${r.pattern}${when} on ${where}${r.refs.length === 0 ? '' : ` for ${r.refs.join(' ')}`}`,
    );
  }
  const [fastest, slowest] = f.activation.duration_seconds;
  const [usualFastest, usualSlowest] = DEFAULT_ACTIVATION_FAULTS.duration_seconds;
  if (fastest !== usualFastest || slowest !== usualSlowest)
    faults.push(`switches take ${fastest}s to ${slowest}s`);
  if (f.activation.failure_rate > 0)
    faults.push(`activation failure ${pct(f.activation.failure_rate)}`);
  if (f.activation.deferral_rate > 0)
    faults.push(`activation deferral ${pct(f.activation.deferral_rate)}`);
  if (f.activation.failing_refs.length > 0)
    faults.push(`activation fails for ${f.activation.failing_refs.join(' ')}`);
  if (f.activation.deferring_refs.length > 0)
    faults.push(`activation deferred for ${f.activation.deferring_refs.join(' ')}`);
  if (f.network.drop_rate > 0) faults.push(`messages dropped ${pct(f.network.drop_rate)}`);
  if (f.network.duplicate_rate > 0)
    faults.push(`messages duplicated ${pct(f.network.duplicate_rate)}`);
  for (const p of f.network.partitions) {
    faults.push(
      `${p.hosts.length === 0 ? 'every host' : p.hosts.join(' ')} cut off ${span(p.from_seconds)}–${span(p.to_seconds)}`,
    );
  }
  for (const r of f.cp_restarts)
    faults.push(`control plane down at ${span(r.at_seconds)} for ${r.down_seconds}s`);
  const crashes = f.cp_crashes;
  if (crashes !== undefined && crashes.rate > 0)
    faults.push(
      `control plane crashes ${pct(crashes.rate)} every ${crashes.every_seconds}s to ${span(crashes.until_seconds)}, down ${crashes.down_seconds}s`,
    );
  const successors = f.successor_releases;
  if (successors !== undefined && successors.rate > 0)
    faults.push(
      `successor refs ${pct(successors.rate)} every ${successors.every_seconds}s to ${span(successors.until_seconds)}`,
    );
  if ((f.activation.boot_failure_rate ?? 0) > 0)
    faults.push(`boot after a deferral fails ${pct(f.activation.boot_failure_rate ?? 0)}`);
  const skew = f.clock_skew_seconds;
  if (skew !== undefined && (skew[0] !== 0 || skew[1] !== 0))
    faults.push(`host clocks off by ${skew[0]}s to ${skew[1]}s`);
  if ((f.replays?.events_past_route ?? 0) > 0)
    faults.push(`events past the route ${pct(f.replays?.events_past_route ?? 0)}`);
  if ((f.replays?.wave_advances ?? 0) > 0)
    faults.push(`WaveAdvanced repeated ${pct(f.replays?.wave_advances ?? 0)}`);
  if ((f.manifest_failure_rate ?? 0) > 0)
    faults.push(`manifest polls failing ${pct(f.manifest_failure_rate ?? 0)}`);
  lines.push(`  faults: ${faults.length === 0 ? 'none' : faults.join('; ')}`);
  return lines;
}
