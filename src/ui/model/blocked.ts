import type { Fleet } from '../../../sim/fleet/fleet.ts';
import type { ProfileFlags } from '../../../sim/profile.ts';
import { analyseStall } from '../../../sim/stall/analyse.ts';
import type { Stall, StallGroup } from '../../../sim/stall/stall.ts';
import { StallTracker } from '../../../sim/stall/tracker.ts';
import type { RunSummary } from '../../../sim/summary.ts';
import type { TraceRecord } from '../../../sim/trace-record.ts';
import { span } from '../../cli/summary-text.ts';

/*
 * The blocked-hosts screen (`b`): who waits on which gate, why, since when, and whether
 * it can ever clear. The analysis is the one `run` prints when a run stalls
 * (sim/stall/analyse.ts); this file only picks which answer to show and lays it out as
 * lines for a pane of a given width.
 */

/** What the analysis needs besides the records: the run's fleet and profile flags. */
export interface StallWorld {
  readonly fleet: Fleet;
  readonly flags: ProfileFlags;
}

/**
 * The blocks to show at virtual time `now`. A run that ended stalled shows its summary's
 * own `stall` (exactly what `run` printed); one that ended terminal has nothing blocked;
 * a run still going (or stopped at the horizon) shows what holds each waiting host now.
 */
export function blocksNow(
  tracker: StallTracker,
  world: StallWorld,
  now: number,
  ended: RunSummary | null,
): Stall | null {
  if (ended?.stall != null) return ended.stall;
  if (ended !== null && ended.ended === 'terminal') return null;
  return analyseStall(tracker, world.fleet, world.flags, now, { settled: false });
}

/**
 * The tracker folded over the first `position` records of a recorded run, for replay.
 * Forward moves fold only the new records; a move back folds again from the start
 * (the fold is a few map writes a record, and only runs while the screen is open).
 */
export class StallCursor {
  private tracker = new StallTracker();
  private applied = 0;

  constructor(private readonly records: readonly TraceRecord[]) {}

  at(position: number): StallTracker {
    const target = Math.max(0, Math.min(this.records.length, position));
    if (target < this.applied) {
      this.tracker = new StallTracker();
      this.applied = 0;
    }
    while (this.applied < target) this.tracker.observe(this.records[this.applied++] as TraceRecord);
    return this.tracker;
  }
}

/**
 * `host-02, host-03 … host-40 (39)`: as many names from the front as fit in `width`
 * beside the last one and the count; every name when they all fit.
 */
export function abbreviateHosts(hosts: readonly string[], width: number): string {
  const all = hosts.join(', ');
  if (all.length <= width || hosts.length <= 1) return all;
  const last = hosts.at(-1) as string;
  const tail = ` … ${last} (${hosts.length})`;
  let head = hosts[0] as string;
  for (let i = 1; i < hosts.length - 1; i++) {
    const next = `${head}, ${hosts[i]}`;
    if (next.length + tail.length > width) break;
    head = next;
  }
  return head + tail;
}

export type BlockedTone = 'title' | 'rollout' | 'group' | 'never' | 'may' | 'plain';

export interface BlockedLine {
  readonly text: string;
  readonly tone: BlockedTone;
}

/** Words packed into lines of at most `width` columns, later lines indented by `indent`. */
function wrap(text: string, width: number, indent: string): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const room = width - (out.length === 0 ? 0 : indent.length);
    if (line !== '' && line.length + 1 + word.length > room) {
      out.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') out.push(line);
  return out.map((l, i) => (i === 0 ? l : indent + l).slice(0, width));
}

const hostsWord = (n: number) => `${n} host${n === 1 ? '' : 's'}`;

/**
 * The screen's lines: a summary line, then per rollout its held hosts, and under it a
 * block per gate and reason — the hosts, since when, and whether and why it clears.
 */
export function blockedLines(
  stall: Stall | null,
  opts: {
    readonly width: number;
    readonly start: number;
    readonly stalled: boolean;
    /** What a run that reached its horizon was still doing (the summary's `unsettled`). */
    readonly still?: readonly string[];
  },
): BlockedLine[] {
  const { width } = opts;
  const still = opts.still ?? [];
  const notes: BlockedLine[] =
    still.length === 0
      ? []
      : [
          { text: 'not settled at the horizon:', tone: 'title' },
          ...still.flatMap((w) =>
            wrap(`• ${w}`, width, '  ').map((text): BlockedLine => ({ text, tone: 'plain' })),
          ),
        ];
  if (stall === null || stall.groups.length === 0)
    return [
      ...notes,
      { text: 'nothing is blocked: no waiting host is held by a gate', tone: 'plain' },
    ];
  const never = stall.groups.filter((g) => g.permanent).length;
  const title = opts.stalled
    ? `stalled: ${hostsWord(stall.blockedHosts)} wait on something that will not happen`
    : `${hostsWord(stall.blockedHosts)} held now, ${stall.groups.length} group${stall.groups.length === 1 ? '' : 's'}, ${never} that never clear${never === 1 ? 's' : ''}`;
  const lines: BlockedLine[] = [
    ...notes,
    ...wrap(title, width, '  ').map((text): BlockedLine => ({ text, tone: 'title' })),
  ];
  const byRollout = new Map<string, StallGroup[]>();
  for (const g of stall.groups)
    byRollout.set(g.rolloutId, [...(byRollout.get(g.rolloutId) ?? []), g]);
  for (const [rollout, groups] of byRollout) {
    const held = new Set(groups.flatMap((g) => g.hosts)).size;
    lines.push({ text: `${rollout}: ${hostsWord(held)} held`.slice(0, width), tone: 'rollout' });
    for (const g of groups) {
      const n = g.hosts.length;
      for (const t of wrap(`${g.gate}: ${g.reason} — ${hostsWord(n)}`, width - 2, '  '))
        lines.push({ text: `  ${t}`, tone: 'group' });
      const since = `    since +${span((g.since - opts.start) / 1000)}`;
      // A name too long for the line is cut rather than pushing the pane wider.
      lines.push({
        text: (n === 0
          ? since
          : `${since} · ${abbreviateHosts(g.hosts, width - since.length - 3)}`
        ).slice(0, width),
        tone: 'plain',
      });
      const verdict = `${g.permanent ? '✗ never clears' : '… may clear'}: ${g.why} (spec ${g.spec})`;
      for (const t of wrap(verdict, width - 4, '  '))
        lines.push({ text: `    ${t}`, tone: g.permanent ? 'never' : 'may' });
    }
  }
  return lines;
}
