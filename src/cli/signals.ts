import { constants } from 'node:os';

/*
 * The signals that stop a run (Ctrl-C, `kill`, a closed terminal), caught so the run can
 * end its trace before exiting. Handlers only run between chunks of simulation, when
 * the command yields to the event loop; `received` says whether one came.
 */

export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface SignalWatch {
  readonly received: NodeJS.Signals | null;
  stop(): void;
}

export function watchStopSignals(): SignalWatch {
  let received: NodeJS.Signals | null = null;
  const on = (signal: NodeJS.Signals) => {
    received ??= signal;
  };
  for (const s of STOP_SIGNALS) process.on(s, on);
  return {
    get received() {
      return received;
    },
    stop: () => {
      for (const s of STOP_SIGNALS) process.off(s, on);
    },
  };
}

/** The shell's convention: 128 + the signal number. */
export const signalExitStatus = (signal: NodeJS.Signals): number =>
  128 + (constants.signals[signal] ?? 0);
