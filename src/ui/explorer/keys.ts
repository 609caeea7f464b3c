import type { Key } from 'ink';
import { MACHINES } from '../../../machines/catalog.ts';
import { editField, fieldsOf } from './fields.ts';
import {
  type AnyEvent,
  applyEvent,
  defaultEvent,
  type ExplorerState,
  eventTypes,
  reset,
  togglePolicy,
  undo,
} from './model.ts';
import { type Plan, planToCell, planToState } from './plan.ts';

/*
 * The explorer's keys as a pure reducer over its whole screen state. Keys typed faster
 * than the screen redraws are each applied to the state the previous one left, never
 * to a stale copy.
 */

export interface ExplorerUi {
  readonly explorer: ExplorerState;
  /** Index of the chosen event. */
  readonly selected: number;
  /** The chosen event being edited, or null. */
  readonly draft: AnyEvent | null;
  /** Index of the field being edited. */
  readonly field: number;
  readonly help: boolean;
  /** How far the help is scrolled (↑/↓ while it is open; it does not fit at 80×24). */
  readonly helpOffset: number;
  /** The state `t` last chose as the target (an index into the machine's states). */
  readonly target: number;
  /** The path to the target being followed, or null. */
  readonly plan: Plan | null;
}

export function initialUi(explorer: ExplorerState): ExplorerUi {
  return {
    explorer,
    selected: 0,
    draft: null,
    field: 0,
    help: false,
    helpOffset: 0,
    target: -1,
    plan: null,
  };
}

/** `t`: the next state as the target, and the shortest path to it from here. */
function nextTarget(ui: ExplorerUi): ExplorerUi {
  const states = MACHINES[ui.explorer.machine].states;
  const target = (ui.target + 1) % states.length;
  const { machine, policy, record } = ui.explorer;
  return {
    ...ui,
    target,
    plan: planToState(machine, policy, record, states[target] as string),
  };
}

/** `c`: the cell (target state, chosen event), reached and then offered that event. */
function cellTarget(ui: ExplorerUi): ExplorerUi {
  const states = MACHINES[ui.explorer.machine].states;
  const state = states[Math.max(0, ui.target)] as string;
  const type = eventTypes(ui.explorer.machine)[ui.selected] as string;
  const { machine, policy, record } = ui.explorer;
  return {
    ...ui,
    target: Math.max(0, ui.target),
    plan: planToCell(machine, policy, record, state, type),
  };
}

/** `n`: apply the plan's next event; the plan ends when its last event is applied. */
function followPlan(ui: ExplorerUi): ExplorerUi {
  const [next, ...rest] = ui.plan?.events ?? [];
  if (ui.plan === null || next === undefined) return ui;
  const applied = apply(ui, next);
  return { ...applied, plan: { ...ui.plan, events: rest } };
}

/** The chosen event as it would be applied: the draft, else the representative. */
export function chosenEvent(ui: ExplorerUi): AnyEvent {
  const type = eventTypes(ui.explorer.machine)[ui.selected] as string;
  return ui.draft ?? defaultEvent(ui.explorer, type);
}

function apply(ui: ExplorerUi, event: AnyEvent): ExplorerUi {
  return { ...ui, explorer: applyEvent(ui.explorer, event), draft: null, plan: null };
}

export function explorerKey(ui: ExplorerUi, input: string, key: Key, start: number): ExplorerUi {
  if (ui.help) {
    if (key.upArrow) return { ...ui, helpOffset: Math.max(0, ui.helpOffset - 1) };
    if (key.downArrow) return { ...ui, helpOffset: ui.helpOffset + 1 };
    return { ...ui, help: false, helpOffset: 0 };
  }
  const types = eventTypes(ui.explorer.machine);
  if (ui.draft !== null) {
    const fields = fieldsOf(ui.draft, start);
    if (key.escape) return { ...ui, draft: null };
    if (key.return) return apply(ui, ui.draft);
    if (key.upArrow) return { ...ui, field: Math.max(0, ui.field - 1) };
    if (key.downArrow) return { ...ui, field: Math.min(fields.length - 1, ui.field + 1) };
    if (key.leftArrow || key.rightArrow) {
      const f = fields[ui.field];
      const target = 'targetClosure' in ui.explorer.record ? ui.explorer.record.targetClosure : '';
      return f === undefined
        ? ui
        : { ...ui, draft: editField(ui.draft, f.key, key.leftArrow ? -1 : 1, target) };
    }
    return ui;
  }
  if (input === '?') return { ...ui, help: true };
  if (key.upArrow) return { ...ui, selected: Math.max(0, ui.selected - 1) };
  if (key.downArrow) return { ...ui, selected: Math.min(types.length - 1, ui.selected + 1) };
  if (key.return) {
    const draft = chosenEvent(ui);
    const first = fieldsOf(draft, start).findIndex((f) => f.kind !== 'fixed');
    return { ...ui, draft, field: Math.max(0, first) };
  }
  if (input === 'a') return apply(ui, chosenEvent(ui));
  if (input === 't') return nextTarget(ui);
  if (input === 'c') return cellTarget(ui);
  if (input === 'n') return followPlan(ui);
  // A plan is a path from one record: anything else that moves the record drops it.
  if (input === 'u') return { ...ui, explorer: undo(ui.explorer), plan: null };
  if (input === 'r') return { ...ui, explorer: reset(ui.explorer), plan: null };
  if (input === 'p' && ui.explorer.machine === 'host')
    return { ...ui, explorer: togglePolicy(ui.explorer), plan: null };
  return ui;
}
