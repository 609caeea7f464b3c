import { useEffect, useState } from 'react';

/*
 * Re-renders at most `fps` times a second while `active`, and only when `version()`
 * moved since the last frame: the screen follows the simulation at a fixed frame rate
 * however many records arrive in between.
 */

export const MAX_FPS = 30;
/** The frame rate while the simulation runs flat out. */
export const BUSY_FPS = 12;

export function useFrame(version: () => number, active: boolean, fps = MAX_FPS): number {
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    if (!active) return;
    let seen = -1;
    const timer = setInterval(
      () => {
        const v = version();
        if (v !== seen) {
          seen = v;
          setFrame((f) => f + 1);
        }
      },
      Math.ceil(1000 / fps),
    );
    return () => clearInterval(timer);
  }, [version, active, fps]);
  return frame;
}
