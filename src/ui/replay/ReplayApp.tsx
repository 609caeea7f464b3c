import { useApp } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import { blockedScrollMax } from '../components/BlockedHosts.tsx';
import { blockedPaneHeight, Dashboard, layoutFor } from '../components/Dashboard.tsx';
import { replayPosition } from '../components/Header.tsx';
import {
  BLOCKED_KEY,
  HELP_KEY,
  type HelpedKey,
  PANE_KEYS,
  quitKey,
} from '../components/key-hints.ts';
import { type DashboardContext, selectRecord, useDashboard } from '../hooks/use-dashboard.ts';
import { MAX_FPS } from '../hooks/use-frame.ts';
import { useKeys } from '../hooks/use-keys.ts';
import { type Size, useTerminalSize } from '../hooks/use-terminal-size.ts';
import { DEFAULT_SPEED_INDEX, faster, slower, speedLabel } from '../live/speed.ts';
import { blocksNow, StallCursor, type StallWorld } from '../model/blocked.ts';
import { ArrayLog } from '../model/log.ts';
import { stallBanner } from '../model/stall-banner.ts';
import type { Timeline } from '../model/timeline.ts';
import { type Violation, violationBanner } from '../model/violation-banner.ts';
import { Playback } from './playback.ts';

/*
 * `rollout-sim replay TRACE`: the live screen over a recorded run, with a cursor that
 * moves both ways — one event, one minute, one rollout transition, one fault — and
 * plays at any speed. The model at the cursor comes from the timeline's checkpoints,
 * so going back is as quick as going forward.
 */

export const REPLAY_KEYS: readonly HelpedKey[] = [
  { key: 'space', does: 'play/pause', long: 'play from the cursor at the chosen speed, or pause' },
  { key: './,', does: '±1 event', long: 'one record forward (.) or back (,)' },
  { key: ']/[', does: '±1 minute', long: 'one minute of simulated time forward (]) or back ([)' },
  {
    key: 'n/N',
    does: '±transition',
    long: 'to the next (n) or previous (N) rollout state transition',
  },
  { key: 'g/G', does: '±fault', long: 'to the next (g) or previous (G) fault or violation' },
  {
    key: '0/$',
    does: 'start/end',
    long: 'to the start (0, home) or the end ($, end) of the trace',
  },
  { key: '+/-', does: 'speed', long: 'play faster / slower: ×1 (real time) … ×10,000, then max' },
  ...PANE_KEYS,
  BLOCKED_KEY,
  HELP_KEY,
  quitKey(),
];

export interface ReplayAppProps {
  readonly timeline: Timeline;
  readonly title: string;
  /** Open with this many records applied (a counterexample's violating step). */
  readonly at?: number;
  /** What a counterexample breaks (`check --open`): shown under the header throughout. */
  readonly violation?: Violation;
  readonly size?: Partial<Size>;
  readonly now?: () => number;
  /** The recorded run's fleet and profile flags (the trace header), for the blocked hosts. */
  readonly world?: StallWorld;
  /** Said under the header throughout for a trace with no `end` record: it is incomplete. */
  readonly incomplete?: string;
}

export function ReplayApp({
  timeline,
  title,
  at,
  violation,
  size,
  now,
  world,
  incomplete,
}: ReplayAppProps) {
  const { exit } = useApp();
  const { width, height } = useTerminalSize(size);
  const dash = useDashboard();
  const source = useMemo(() => new ArrayLog(timeline.records), [timeline]);
  const playback = useMemo(
    () =>
      new Playback(timeline, {
        position: at ?? 0,
        speedIndex: DEFAULT_SPEED_INDEX,
        ...(now === undefined ? {} : { now }),
      }),
    [timeline, at, now],
  );
  const [, setPosition] = useState(playback.position);
  // Speed changes move nothing React can see: redraw explicitly.
  const [, setRedraw] = useState(0);
  const redraw = () => setRedraw((n) => n + 1);
  const wallStart = useRef((now ?? (() => performance.now()))());
  const [wallSeconds, setWall] = useState(0);

  // Playing: advance at most MAX_FPS times a second; the model follows the cursor.
  useEffect(() => {
    const timer = setInterval(
      () => {
        if (playback.tick()) setPosition(playback.position);
        if (playback.playing)
          setWall(((now ?? (() => performance.now()))() - wallStart.current) / 1000);
      },
      Math.ceil(1000 / MAX_FPS),
    );
    return () => clearInterval(timer);
  }, [playback, now]);

  const model = timeline.seek(playback.position);
  const stalls = useMemo(() => new StallCursor(timeline.records), [timeline]);
  // The blocks at the cursor, folded from the records before it (only while the screen is
  // open). Without the trace's fleet only a recorded stall can be shown.
  const blocksAt = (m: typeof model, position: number) => ({
    stall:
      world === undefined
        ? (m.ended?.stall ?? null)
        : blocksNow(stalls.at(position), world, playback.virtualNow, m.ended),
    stalled: m.ended?.ended === 'stalled',
    still: m.ended?.unsettled?.work ?? [],
    at: playback.virtualNow,
  });

  const banner =
    violation === undefined ? (incomplete ?? null) : violationBanner(violation, playback.position);
  const ctx = (): DashboardContext => {
    const layout = layoutFor({
      model,
      state: dash.state,
      keys: REPLAY_KEYS,
      banner,
      width,
      height,
    });
    return {
      model: timeline.seek(playback.position),
      source,
      end: playback.position,
      gridCols: layout.fit?.cols ?? 1,
      ...(dash.state.blocked
        ? {
            blockedMax: blockedScrollMax({
              ...blocksAt(model, playback.position),
              start: model.meta.start,
              width,
              height: blockedPaneHeight(layout),
            }),
          }
        : {}),
    };
  };

  // Opened on a counterexample's violating record: its host and log line, as g selects them.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, on the first frame
  useEffect(() => {
    const index = violation?.index;
    if (index !== undefined && playback.position === index + 1)
      dash.setState((s) => selectRecord(s, ctx(), index));
  }, []);

  const go = (position: number | null, what: string) => {
    if (position === null) {
      dash.setState((s) => ({ ...s, message: `no ${what}` }));
      return;
    }
    playback.seek(position);
    setPosition(playback.position);
    dash.setState((s) => ({ ...s, logSelected: null, message: null }));
  };

  useKeys((input, key) => {
    if (key.ctrl && input === 'c') return exit();
    if (!dash.capturing()) {
      const p = playback.position;
      if (input === 'q') return exit();
      if (input === ' ') {
        playback.togglePlay();
        setPosition(playback.position);
        return redraw();
      }
      if (input === '.') return go(p < timeline.length ? p + 1 : null, 'later record: at the end');
      if (input === ',') return go(p > 0 ? p - 1 : null, 'earlier record: at the start');
      if (input === ']' || input === '[') {
        // By time, not by record: a minute with nothing in it is still a minute.
        playback.seekTime(playback.virtualNow + (input === ']' ? 60_000 : -60_000));
        setPosition(playback.position);
        return dash.setState((s) => ({ ...s, logSelected: null, message: null }));
      }
      if (input === 'n') return go(timeline.nextTransition(p, 1), 'later rollout transition');
      if (input === 'N') return go(timeline.nextTransition(p, -1), 'earlier rollout transition');
      if (input === 'g' || input === 'G') {
        const next = timeline.nextMark(p, input === 'g' ? 1 : -1);
        if (next === null)
          return go(null, `${input === 'g' ? 'later' : 'earlier'} fault or violation`);
        go(next, '');
        // The mark is the newest record now: highlight it and select its host.
        const label = timeline.marks.find((m) => m.index === next - 1)?.label ?? null;
        return dash.setState((s) => ({ ...selectRecord(s, ctx(), next - 1), message: label }));
      }
      if (input === '0' || key.home) return go(0, 'start');
      if (input === '$' || key.end) return go(timeline.length, 'end');
      if (input === '+' || input === '=') {
        playback.speedIndex = faster(playback.speedIndex);
        return redraw();
      }
      if (input === '-' || input === '_') {
        playback.speedIndex = slower(playback.speedIndex);
        return redraw();
      }
    }
    dash.handle(input, key, ctx());
  });

  const status = playback.playing ? 'running' : playback.atEnd ? 'ended' : 'paused';
  return (
    <Dashboard
      header={{
        mode: `▸ replay ${title}`,
        now: playback.virtualNow,
        speed: speedLabel(playback.speedIndex),
        wallSeconds,
        status,
        position: replayPosition(playback.position, timeline.length),
        ...(playback.position === 0 && !playback.playing
          ? { note: 'space plays, . steps' }
          : stallBanner(model.ended) === null
            ? {}
            : { note: stallBanner(model.ended) as string }),
      }}
      model={model}
      source={source}
      end={playback.position}
      state={dash.state}
      keys={REPLAY_KEYS}
      {...(dash.state.blocked ? { blocks: blocksAt(model, playback.position) } : {})}
      banner={banner}
      width={width}
      height={height}
    />
  );
}
