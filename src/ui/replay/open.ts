// First, before React and Ink load (and no JSX in this file, whose runtime import would
// come first): their production builds.
import '../production.ts';
import { createElement } from 'react';
import type { TraceRecord } from '../../../sim/trace-record.ts';
import type { TraceHeader } from '../../trace/format.ts';
import { metaFromFleet, metaFromRecords } from '../model/meta.ts';
import { type Mark, Timeline } from '../model/timeline.ts';
import type { Violation } from '../model/violation-banner.ts';
import { runFullScreen } from '../terminal.ts';
import { ReplayApp } from './ReplayApp.tsx';

/*
 * The replay screen's entry point, for `replay TRACE` and for anything that holds
 * records in memory — `check --open` hands its minimal counterexample here, opened at
 * the violating step (`at`: the number of records applied, so the violating record is
 * the newest on screen), with the violations as extra marks for `g`.
 */

export interface OpenReplayOptions {
  /** Records applied when the screen opens (default 0). */
  readonly at?: number;
  /** The trace header, when there is one: the fleet gives the grid every host and wave. */
  readonly header?: TraceHeader;
  /** The run's start on the virtual clock (default: the simulator's RUN_START). */
  readonly start?: number;
  /** Shown in the header (a file name, "counterexample"). */
  readonly title?: string;
  /** Violations to visit with g/G, beside the faults found in the records. */
  readonly marks?: readonly Mark[];
  /** The invariant a counterexample breaks: a banner on the screen from the start. */
  readonly violation?: Violation;
  /** Said at the end of a trace file with no `end` record (`loadTrace`). */
  readonly incomplete?: string;
}

export function replayTimeline(
  records: readonly TraceRecord[],
  options: OpenReplayOptions = {},
): Timeline {
  const meta =
    options.header === undefined
      ? metaFromRecords(records)
      : metaFromFleet(options.header.fleet, {
          profile: options.header.profile,
          seed: options.header.seed,
          ...(options.start === undefined ? {} : { start: options.start }),
        });
  return new Timeline(meta, records, options.marks ?? []);
}

/** Shows `records` full screen until `q`; resolves once the terminal is restored. */
export async function openReplay(
  records: readonly TraceRecord[],
  options: OpenReplayOptions = {},
): Promise<void> {
  const timeline = replayTimeline(records, options);
  await runFullScreen(
    createElement(ReplayApp, {
      timeline,
      title: options.title ?? 'trace',
      ...(options.header === undefined
        ? {}
        : { world: { fleet: options.header.fleet, flags: options.header.profile.flags } }),
      ...(options.at === undefined ? {} : { at: options.at }),
      ...(options.violation === undefined ? {} : { violation: options.violation }),
      ...(options.incomplete === undefined ? {} : { incomplete: options.incomplete }),
    }),
  );
}
