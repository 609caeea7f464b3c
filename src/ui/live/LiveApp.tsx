import { useApp } from 'ink';
import { useCallback, useEffect, useRef, useState } from 'react';
import { blockedScrollMax } from '../components/BlockedHosts.tsx';
import { blockedPaneHeight, Dashboard, layoutFor } from '../components/Dashboard.tsx';
import { LIVE_POSITION_WIDTH, recordsLabel } from '../components/Header.tsx';
import {
  BLOCKED_KEY,
  HELP_KEY,
  type HelpedKey,
  PANE_KEYS,
  quitKey,
} from '../components/key-hints.ts';
import { type DashboardContext, selectRecord, useDashboard } from '../hooks/use-dashboard.ts';
import { useDriverLoop } from '../hooks/use-driver-loop.ts';
import { BUSY_FPS, MAX_FPS, useFrame } from '../hooks/use-frame.ts';
import { useKeys } from '../hooks/use-keys.ts';
import { type Size, useTerminalSize } from '../hooks/use-terminal-size.ts';
import { stallBanner } from '../model/stall-banner.ts';
import type { LiveSession } from './session.ts';
import { faster, slower, speedLabel } from './speed.ts';

/*
 * `rollout-sim run` on a terminal: the simulation runs in time slices beside the
 * screen (use-driver-loop.ts), the screen redraws at most 30 times a second
 * (use-frame.ts), and the keys pause, step, change speed and hunt for the next fault.
 * When the run ends the last screen stays until `q`.
 */

export const LIVE_KEYS: readonly HelpedKey[] = [
  { key: 'space', does: 'pause/resume', long: 'pause or resume the simulation' },
  { key: '.', does: 'one event', long: 'deliver exactly one message (pauses first)' },
  { key: '+/-', does: 'speed', long: 'faster / slower: ×1 (real time) … ×10,000, then max' },
  {
    key: 'g',
    does: 'next fault',
    long: 'next fault or violation (G: previous); runs ahead to find one',
  },
  ...PANE_KEYS,
  BLOCKED_KEY,
  HELP_KEY,
  quitKey('quit (Ctrl-C too); the summary is printed after'),
];

export interface LiveAppProps {
  readonly session: LiveSession;
  readonly size?: Partial<Size>;
}

export function LiveApp({ session, size }: LiveAppProps) {
  const { exit } = useApp();
  const { width, height } = useTerminalSize(size);
  const dash = useDashboard();
  const { driver, model } = session;
  const [, redraw] = useState(0);
  const hunt = useRef<number | null>(null);

  const onError = useCallback((error: Error) => exit(error), [exit]);
  useDriverLoop(driver, onError);
  // Running: a new frame every tick (the clocks move); paused or ended: when records do.
  const version = useCallback(
    () => (driver.paused || driver.done ? session.version : session.version + performance.now()),
    [driver, session],
  );
  // While the simulation cannot keep up, fewer frames leave it more of the CPU.
  const frame = useFrame(version, true, driver.lastResult === 'behind' ? BUSY_FPS : MAX_FPS);

  const ctx = (): DashboardContext => {
    const layout = layoutFor({ model, state: dash.state, keys: LIVE_KEYS, width, height });
    return {
      model,
      source: session.log,
      end: session.log.end(),
      gridCols: layout.fit?.cols ?? 1,
      ...(dash.state.blocked
        ? {
            blockedMax: blockedScrollMax({
              ...session.blocks(),
              start: model.meta.start,
              width,
              height: blockedPaneHeight(layout),
            }),
          }
        : {}),
    };
  };

  // A hunt for the next fault ends when the driver pauses on one, or the run ends.
  // biome-ignore lint/correctness/useExhaustiveDependencies: checked once per frame
  useEffect(() => {
    if (hunt.current === null || driver.isHunting) return;
    const before = hunt.current;
    hunt.current = null;
    const found = session.marks.at(-1);
    if (session.marksSeen > before && found !== undefined) {
      dash.setState((s) => ({
        ...selectRecord(s, ctx(), found.index),
        message: found.label,
        focus: 'log',
      }));
    } else {
      dash.setState((s) => ({ ...s, message: 'no further fault or violation: the run has ended' }));
    }
  }, [frame]);

  useKeys((input, key) => {
    if (key.ctrl && input === 'c') return exit();
    if (!dash.capturing()) {
      if (input === 'q') return exit();
      if (input === ' ') {
        if (!driver.done) driver.togglePause();
        hunt.current = null;
        return redraw((n) => n + 1);
      }
      if (input === '.') {
        driver.paused = true;
        if (!driver.done) driver.stepOne();
        return redraw((n) => n + 1);
      }
      if (input === '+' || input === '=') {
        driver.speedIndex = faster(driver.speedIndex);
        return redraw((n) => n + 1);
      }
      if (input === '-' || input === '_') {
        driver.speedIndex = slower(driver.speedIndex);
        return redraw((n) => n + 1);
      }
      if (input === 'g' || input === 'G') {
        const selected = dash.state.logSelected;
        const seen =
          input === 'g'
            ? session.marks.find((m) => selected !== null && m.index > selected)
            : session.marks.findLast((m) => m.index < (selected ?? session.log.end()));
        if (seen !== undefined) {
          return dash.setState((s) => ({
            ...selectRecord(s, ctx(), seen.index),
            message: seen.label,
            focus: 'log',
          }));
        }
        if (input === 'G' || driver.done) {
          return dash.setState((s) => ({
            ...s,
            message: `no ${input === 'g' ? 'further' : 'earlier'} fault or violation`,
          }));
        }
        hunt.current = session.marksSeen;
        const before = session.marksSeen;
        driver.hunt(() => session.marksSeen > before);
        return dash.setState((s) => ({
          ...s,
          message: 'running ahead to the next fault or violation…',
        }));
      }
    }
    dash.handle(input, key, ctx());
  });

  const wallSeconds = session.wallSeconds();
  const status = driver.done
    ? 'ended'
    : driver.isHunting
      ? 'seeking'
      : driver.paused
        ? 'paused'
        : 'running';
  return (
    <Dashboard
      header={{
        mode: '▸ live',
        now: driver.done ? model.t : driver.virtualNow,
        speed: speedLabel(driver.speedIndex),
        wallSeconds,
        status,
        position: recordsLabel(session.log.end()),
        positionWidth: LIVE_POSITION_WIDTH,
        ...(driver.done
          ? {
              note: `(${stallBanner(model.ended) ?? model.ended?.ended ?? 'terminal'}) · q to quit`,
            }
          : {}),
      }}
      model={model}
      source={session.log}
      end={session.log.end()}
      state={dash.state}
      keys={LIVE_KEYS}
      inspect={session.inspect}
      {...(dash.state.blocked
        ? { blocks: { ...session.blocks(), at: driver.done ? model.t : driver.virtualNow } }
        : {})}
      width={width}
      height={height}
    />
  );
}
