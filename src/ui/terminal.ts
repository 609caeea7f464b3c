import { constants } from 'node:os';
import { type Instance, render } from 'ink';
import type { ReactElement } from 'react';
import { STOP_SIGNALS } from '../cli/signals.ts';
import { MAX_FPS } from './hooks/use-frame.ts';

/*
 * Runs a full-screen Ink app and always gives the terminal back as it was: on `q`,
 * on Ctrl-C (Ink's own handler, or a SIGINT/SIGTERM/SIGHUP from outside), and when the
 * app throws. Resolves to the signal that closed it, or null. The app draws on the alternate screen, so the shell's scrollback is left
 * untouched and whatever the command prints afterwards lands on the normal screen.
 */

const ENTER = '\x1b[?1049h\x1b[H\x1b[2J';
const LEAVE = '\x1b[?25h\x1b[?1049l';

export async function runFullScreen(
  app: ReactElement,
  stdout: NodeJS.WriteStream = process.stdout,
): Promise<NodeJS.Signals | null> {
  let restored = false;
  let received: NodeJS.Signals | null = null;
  let instance: Instance | undefined;
  const restore = () => {
    if (restored) return;
    restored = true;
    stdout.write(LEAVE);
  };
  // A signal from outside ends the screen as `q` does, and the exit status says which.
  const onSignal = (signal: NodeJS.Signals) => {
    received ??= signal;
    process.exitCode = 128 + (constants.signals[signal] ?? 0);
    instance?.unmount();
  };
  const signals = STOP_SIGNALS;
  // Last resort: whatever ends the process writes the restoring sequence.
  process.on('exit', restore);
  for (const s of signals) process.on(s, onSignal);
  stdout.write(ENTER);
  try {
    // Stray console output would tear the frame; only the real terminal needs guarding.
    instance = render(app, {
      stdout,
      exitOnCtrlC: true,
      patchConsole: stdout === process.stdout,
      maxFps: MAX_FPS,
    });
    await instance.waitUntilExit();
    return received;
  } finally {
    instance?.unmount();
    instance?.cleanup();
    restore();
    process.off('exit', restore);
    for (const s of signals) process.off(s, onSignal);
  }
}
