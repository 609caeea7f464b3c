import type { Key } from 'ink';
import { useCallback, useRef, useState } from 'react';
import { hostOf } from '../model/describe.ts';
import { type Filter, MATCH_ALL, parseFilter } from '../model/filter.ts';
import { type Direction, moveSelection } from '../model/grid-layout.ts';
import { logWindow, type RecordSource, seekMatch } from '../model/log.ts';
import type { RolloutView, ViewModel } from '../model/model.ts';

/*
 * What the live and replay screens share beyond drawing: which pane has focus, which
 * rollout and host are selected, the log's highlighted line, the filter (and its
 * prompt), and the help overlay — with the keys that move them (tab, arrows, `/`, `?`,
 * esc). The apps handle their own keys first and hand the rest here.
 */

export const FOCI = ['rollouts', 'grid', 'log'] as const;
export type Focus = (typeof FOCI)[number];

export interface DashboardState {
  readonly focus: Focus;
  /** Explicitly selected rollout, or null for "the newest". */
  readonly rolloutId: string | null;
  /** Explicitly selected host index, or null for "the first of the rollout". */
  readonly host: number | null;
  /** The log's highlighted record index, or null to follow the newest. */
  readonly logSelected: number | null;
  readonly filterText: string;
  readonly filter: Filter;
  /** The filter being typed, or null. */
  readonly prompt: string | null;
  readonly help: boolean;
  /** How far the help is scrolled (↑/↓ while it is open). */
  readonly helpOffset: number;
  /** The blocked-hosts screen (`b`) is open in place of the grid and log. */
  readonly blocked: boolean;
  /** How far it is scrolled (↑/↓ while it is open). */
  readonly blockedOffset: number;
  readonly message: string | null;
}

export const INITIAL_DASHBOARD: DashboardState = {
  focus: 'grid',
  rolloutId: null,
  host: null,
  logSelected: null,
  filterText: '',
  filter: MATCH_ALL,
  prompt: null,
  help: false,
  helpOffset: 0,
  blocked: false,
  blockedOffset: 0,
  message: null,
};

/** The rollout on screen: the selected one, else the newest. */
export function currentRollout(model: ViewModel, s: DashboardState): RolloutView | undefined {
  return (s.rolloutId === null ? undefined : model.byId.get(s.rolloutId)) ?? model.rollouts.at(-1);
}

/** The host on screen: the selected one if it belongs to the rollout's channel, else its first. */
export function currentHost(
  model: ViewModel,
  r: RolloutView | undefined,
  s: DashboardState,
): number | null {
  if (r === undefined) return null;
  if (s.host !== null && model.meta.hostChannel[s.host] === r.channel) return s.host;
  const waves = model.meta.channels.get(r.channel)?.waves ?? [];
  return waves.find((w) => w.length > 0)?.[0] ?? null;
}

export interface DashboardContext {
  readonly model: ViewModel;
  readonly source: RecordSource;
  /** Records before this index are the past. */
  readonly end: number;
  /** Hosts per screen row in the grid as drawn. */
  readonly gridCols: number;
  /** While the blocked-hosts screen is open: how far it can scroll down. */
  readonly blockedMax?: number;
}

const ARROWS: readonly [keyof Key, Direction][] = [
  ['leftArrow', 'left'],
  ['rightArrow', 'right'],
  ['upArrow', 'up'],
  ['downArrow', 'down'],
];

/** The pure key handler: the next state, or null when the key is not the dashboard's. */
export function dashboardKey(
  s: DashboardState,
  input: string,
  key: Key,
  ctx: DashboardContext,
): DashboardState | null {
  if (s.help) {
    if (key.upArrow) return { ...s, helpOffset: Math.max(0, s.helpOffset - 1) };
    if (key.downArrow) return { ...s, helpOffset: s.helpOffset + 1 };
    return { ...s, help: false, helpOffset: 0 };
  }
  if (s.prompt !== null) {
    if (key.escape) return { ...s, prompt: null, message: null };
    if (key.return) {
      const parsed = parseFilter(s.prompt, ctx.model.meta);
      if (!parsed.ok) return { ...s, message: parsed.message };
      return {
        ...s,
        prompt: null,
        filterText: s.prompt.trim(),
        filter: parsed.filter,
        logSelected: null,
        message: null,
      };
    }
    if (key.backspace || key.delete) return { ...s, prompt: s.prompt.slice(0, -1) };
    if (input !== '' && !key.ctrl && !key.meta && !key.tab)
      return { ...s, prompt: s.prompt + input };
    return s;
  }
  if (input === '?') return { ...s, help: true };
  if (input === 'b') return { ...s, blocked: !s.blocked, blockedOffset: 0 };
  // The blocked-hosts screen keeps the app's own keys (pause, step, seek) working, so the
  // blocks can be watched as they change; only the arrows and esc are its own.
  if (s.blocked) {
    if (key.escape) return { ...s, blocked: false, blockedOffset: 0 };
    // Clamped to what is there, so ↑ moves at once after ↓ went past the end (the list
    // also shrinks while the run goes on).
    const max = ctx.blockedMax ?? Number.POSITIVE_INFINITY;
    const scroll = (by: number) => Math.max(0, Math.min(max, s.blockedOffset + by));
    if (key.upArrow) return { ...s, blockedOffset: scroll(-1) };
    if (key.downArrow) return { ...s, blockedOffset: scroll(1) };
    if (key.pageUp) return { ...s, blockedOffset: scroll(-10) };
    if (key.pageDown) return { ...s, blockedOffset: scroll(10) };
    if (key.leftArrow || key.rightArrow || key.tab) return s;
  }
  // A new filter replaces the one in force: the prompt opens empty (the header still
  // shows the current filter), and Enter on an empty prompt clears it.
  if (input === '/') return { ...s, prompt: '', message: null };
  if (key.tab) {
    const i = FOCI.indexOf(s.focus) + (key.shift ? -1 : 1);
    return { ...s, focus: FOCI[(i + FOCI.length) % FOCI.length] as Focus };
  }
  if (key.escape) return { ...s, logSelected: null, message: null };
  const dir = ARROWS.find(([k]) => key[k] === true)?.[1];
  if (dir === undefined) return null;
  const rollout = currentRollout(ctx.model, s);
  switch (s.focus) {
    case 'rollouts': {
      const list = ctx.model.rollouts;
      if (list.length === 0 || rollout === undefined) return s;
      const step = dir === 'left' || dir === 'up' ? -1 : 1;
      const next = list[Math.max(0, Math.min(list.length - 1, list.indexOf(rollout) + step))];
      return { ...s, rolloutId: next?.id ?? s.rolloutId };
    }
    case 'grid': {
      if (rollout === undefined) return s;
      const waves = ctx.model.meta.channels.get(rollout.channel)?.waves ?? [];
      return {
        ...s,
        host: moveSelection(waves, currentHost(ctx.model, rollout, s), dir, ctx.gridCols),
      };
    }
    case 'log': {
      if (dir === 'left' || dir === 'right') return s;
      const from = s.logSelected ?? logWindow(ctx.source, ctx.end, s.filter, 1)[0]?.index ?? null;
      if (from === null) return s;
      const next =
        s.logSelected === null && dir === 'up'
          ? from
          : seekMatch(ctx.source, from, dir === 'up' ? -1 : 1, ctx.end, s.filter);
      if (next === null) return dir === 'down' ? { ...s, logSelected: null } : s;
      return selectRecord(s, ctx, next);
    }
  }
}

/** Highlight a record in the log and select the host (and rollout) it is about. */
export function selectRecord(
  s: DashboardState,
  ctx: DashboardContext,
  index: number,
): DashboardState {
  const record = ctx.source.get(index);
  const name = record === undefined ? null : hostOf(record);
  const host = name === null ? undefined : ctx.model.meta.hostIndex.get(name);
  const rolloutId =
    record !== undefined && 'rolloutId' in record && ctx.model.byId.has(record.rolloutId)
      ? record.rolloutId
      : s.rolloutId;
  return { ...s, logSelected: index, host: host ?? s.host, rolloutId };
}

/** The dashboard state with its key handler, for a component. */
export function useDashboard(): {
  state: DashboardState;
  setState: (f: (s: DashboardState) => DashboardState) => void;
  handle: (input: string, key: Key, ctx: DashboardContext) => boolean;
  /** Whether the prompt or the help has the keyboard (the app's own keys wait). */
  capturing: () => boolean;
} {
  const [state, setStateRaw] = useState(INITIAL_DASHBOARD);
  // Keys can arrive faster than renders: handle each against the latest state.
  const latest = useRef(state);
  const setState = useCallback((f: (s: DashboardState) => DashboardState) => {
    latest.current = f(latest.current);
    setStateRaw(latest.current);
  }, []);
  const handle = useCallback(
    (input: string, key: Key, ctx: DashboardContext) => {
      const next = dashboardKey(latest.current, input, key, ctx);
      if (next === null) return false;
      setState(() => next);
      return true;
    },
    [setState],
  );
  const capturing = useCallback(() => latest.current.prompt !== null || latest.current.help, []);
  return { state, setState, handle, capturing };
}
