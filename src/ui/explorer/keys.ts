import type { Key } from 'ink';
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
}

export function initialUi(explorer: ExplorerState): ExplorerUi {
  return { explorer, selected: 0, draft: null, field: 0, help: false };
}

/** The chosen event as it would be applied: the draft, else the representative. */
export function chosenEvent(ui: ExplorerUi): AnyEvent {
  const type = eventTypes(ui.explorer.machine)[ui.selected] as string;
  return ui.draft ?? defaultEvent(ui.explorer, type);
}

function apply(ui: ExplorerUi, event: AnyEvent): ExplorerUi {
  return { ...ui, explorer: applyEvent(ui.explorer, event), draft: null };
}

export function explorerKey(ui: ExplorerUi, input: string, key: Key, start: number): ExplorerUi {
  if (ui.help) return { ...ui, help: false };
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
  if (input === 'u') return { ...ui, explorer: undo(ui.explorer) };
  if (input === 'r') return { ...ui, explorer: reset(ui.explorer) };
  if (input === 'p' && ui.explorer.machine === 'host')
    return { ...ui, explorer: togglePolicy(ui.explorer) };
  return ui;
}
