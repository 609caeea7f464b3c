// First, before React and Ink load (and no JSX in this file, whose runtime import would
// come first): their production builds.
import '../production.ts';
import { createElement } from 'react';
import { runFullScreen } from '../terminal.ts';
import { MachineExplorer } from './MachineExplorer.tsx';
import type { MachineName } from './model.ts';

/** The machine explorer, full screen until `q`. */
export async function openExplorer(machine: MachineName): Promise<void> {
  await runFullScreen(createElement(MachineExplorer, { machine }));
}
