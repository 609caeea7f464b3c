import { useStdout } from 'ink';
import { useCallback, useEffect, useState } from 'react';

/*
 * The terminal's size, following resizes. Streams that are not terminals (tests, CI)
 * have no size; they get 100 × 40, or what the caller passes in.
 */

export interface Size {
  readonly width: number;
  readonly height: number;
}

export function useTerminalSize(fixed?: Partial<Size>): Size {
  const { stdout } = useStdout();
  const fixedWidth = fixed?.width;
  const fixedHeight = fixed?.height;
  const read = useCallback(
    (): Size => ({
      width: fixedWidth ?? (stdout.columns || 100),
      height: fixedHeight ?? (stdout.rows || 40),
    }),
    [stdout, fixedWidth, fixedHeight],
  );
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, read]);
  return size;
}
