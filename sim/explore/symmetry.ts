import { channelWaves, type Fleet } from '../fleet/fleet.ts';

/*
 * Hosts alike in everything the fleet declares about them — channel, wave, tags, probes,
 * the faults that name them — and named by no edge and no budget with a limit, are
 * interchangeable: a fault on one of them leads where the same fault on another does,
 * with the names swapped. `explore` then tries faults on the first of them only (and, for
 * a second fault, on a host already hit or the first one not yet hit), the way a model
 * checker counts symmetric states once.
 *
 * The one thing that tells alike hosts apart at run time is order: within one instant
 * the scheduler serves hosts in name order. A fault whose outcome hangs on which of two
 * alike hosts goes first at the same instant can be missed; `explore --no-symmetry`
 * tries every host.
 */

export type HostClasses = ReadonlyMap<string, readonly string[]>;

/** host → the sorted hosts of its class (a class of one for a host that stands apart). */
export function hostClasses(fleet: Fleet): HostClasses {
  const apart = new Set<string>();
  for (const e of fleet.host_edges) {
    apart.add(e.gated);
    apart.add(e.gates);
  }
  for (const b of fleet.disruption_budgets)
    if (b.max_in_flight !== null) for (const h of b.hosts) apart.add(h);
  const byKey = new Map<string, string[]>();
  const classes = new Map<string, readonly string[]>();
  for (const name of Object.keys(fleet.hosts).sort()) {
    if (apart.has(name)) {
      classes.set(name, [name]);
      continue;
    }
    const key = signature(fleet, name);
    let members = byKey.get(key);
    if (members === undefined) {
      members = [];
      byKey.set(key, members);
    }
    members.push(name);
    classes.set(name, members);
  }
  return classes;
}

/** Everything the fleet says of a host, with its own name taken out. */
function signature(fleet: Fleet, name: string): string {
  const host = fleet.hosts[name];
  if (host === undefined) return name;
  const unnamed = (s: string) => s.split(name).join('\u0000');
  const wave = channelWaves(fleet, host.channel).findIndex((w) => w.hosts.includes(name));
  const { probes, network } = fleet.faults;
  return JSON.stringify([
    host.channel,
    wave,
    [...host.tags].sort(),
    host.probes,
    unnamed(host.initial_closure),
    probes.map((p) => p.hosts.length === 0 || p.hosts.includes(name)),
    network.partitions.map((p) => p.hosts.includes(name)),
    fleet.disruption_budgets.map((b) => b.hosts.includes(name)),
  ]);
}

/**
 * Whether a fault on `host` after faults on `earlier` hosts is the canonical one of its
 * symmetric images: on a host already hit, or on the first host of its class not yet hit.
 */
export function canonicalFault(
  classes: HostClasses,
  host: string | null,
  earlier: readonly (string | null)[],
): boolean {
  if (host === null) return true;
  const members = classes.get(host);
  if (members === undefined || members.length === 1) return true;
  if (earlier.includes(host)) return true;
  return members.find((m) => !earlier.includes(m)) === host;
}

/** The host a choice point names (its description names hosts by their whole name). */
export function hostOfChoice(hosts: ReadonlySet<string>, what: string): string | null {
  for (const word of what.split(' ')) if (hosts.has(word)) return word;
  return null;
}
