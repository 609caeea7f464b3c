import { constants } from 'node:os';

/*
 * The signals that stop a run (Ctrl-C, `kill`, a closed terminal), caught so the run can
 * end its trace before exiting. Handlers only run between chunks of simulation, when
 * the command yields to the event loop; `received` says whether one came.
 */

export const STOP_SIGNALS: readonly NodeJS.Signals[] = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  // Also ends a process by default; SIGUSR1 starts node's debugger and is left to it.
  'SIGQUIT',
  'SIGALRM',
  'SIGUSR2',
];

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

/** Wall time between two yields to the event loop, where signal handlers run. */
const YIELD_EVERY_MS = 50;
/** How many steps run between two looks at the clock. */
const CHUNK = 256;

/**
 * Steps `sim` until it is done or a stop signal comes, yielding to the event loop every
 * 50 ms so the signal is seen; the signal, or null once done.
 */
export async function stepUntilDone(
  sim: { step(): boolean },
  signals: SignalWatch,
): Promise<NodeJS.Signals | null> {
  let more = true;
  while (more) {
    const until = performance.now() + YIELD_EVERY_MS;
    while (more && performance.now() < until) {
      for (let i = 0; i < CHUNK && more; i++) more = sim.step();
    }
    if (!more) break;
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (signals.received !== null) return signals.received;
  }
  return null;
}
