import { EventEmitter } from 'node:events';
import { Text, useApp } from 'ink';
import { useEffect } from 'react';
import { describe, expect, it } from 'vitest';
import { runFullScreen } from '../../src/ui/terminal.ts';

/*
 * The terminal is given back whatever ends the screen: the app quitting, or the app
 * crashing. (Signals and Ctrl-C in a real terminal: tmux.test.ts.)
 */

class FakeTerminal extends EventEmitter {
  readonly columns = 80;
  readonly rows = 24;
  readonly isTTY = false;
  written = '';
  write(data: string): boolean {
    this.written += data;
    return true;
  }
}

const LEAVE = '\x1b[?25h\x1b[?1049l';

function Quits() {
  const { exit } = useApp();
  useEffect(() => {
    setTimeout(() => exit(), 10);
  }, [exit]);
  return <Text>hello</Text>;
}

function Crashes(): never {
  throw new Error('boom');
}

describe('runFullScreen', () => {
  it('enters the alternate screen, and leaves it when the app quits', async () => {
    const out = new FakeTerminal();
    await runFullScreen(<Quits />, out as unknown as NodeJS.WriteStream);
    expect(out.written.startsWith('\x1b[?1049h')).toBe(true);
    expect(out.written).toContain('hello');
    expect(out.written.endsWith(LEAVE)).toBe(true);
  });

  it('leaves it when the app crashes, and the error still reaches the caller', async () => {
    const out = new FakeTerminal();
    await expect(runFullScreen(<Crashes />, out as unknown as NodeJS.WriteStream)).rejects.toThrow(
      'boom',
    );
    expect(out.written.endsWith(LEAVE)).toBe(true);
  });
});
