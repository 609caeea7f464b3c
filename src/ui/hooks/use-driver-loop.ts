import { useEffect } from 'react';
import type { LiveDriver } from '../live/driver.ts';

/*
 * Runs the driver's time slices off the event loop: straight on (setImmediate) while
 * the simulation is behind the clock, every few milliseconds while it waits for
 * virtual time or is paused. Between slices Node reads the keyboard, so a key never
 * waits more than one slice (≤ 10 ms). A throw inside the simulation ends the app
 * through `onError`, which restores the terminal.
 */

export function useDriverLoop(driver: LiveDriver, onError: (error: Error) => void): void {
  useEffect(() => {
    let stopped = false;
    let immediate: NodeJS.Immediate | undefined;
    let timeout: NodeJS.Timeout | undefined;
    const loop = () => {
      if (stopped) return;
      let result: ReturnType<LiveDriver['slice']>;
      try {
        result = driver.slice();
      } catch (error) {
        onError(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (result === 'behind') immediate = setImmediate(loop);
      else timeout = setTimeout(loop, result === 'done' ? 100 : 8);
    };
    loop();
    return () => {
      stopped = true;
      if (immediate !== undefined) clearImmediate(immediate);
      if (timeout !== undefined) clearTimeout(timeout);
    };
  }, [driver, onError]);
}
