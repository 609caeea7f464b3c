import { type Key, useInput } from 'ink';

/*
 * Ink's useInput, one key at a time. Ink hands over a run of plain characters that
 * arrived together ("..q" when keys are typed faster than it reads them, or pasted) as
 * one input; every key of these screens is a single character, so such runs are split
 * and each character handled in turn. Escape sequences (arrows, …) pass through whole.
 */

const SPECIAL: Readonly<Record<string, Partial<Key>>> = {
  '\r': { return: true },
  '\n': { return: true },
  '\t': { tab: true },
  '\u007F': { backspace: true },
  '\b': { backspace: true },
};

export function useKeys(
  handler: (input: string, key: Key) => void,
  options?: { isActive?: boolean },
): void {
  useInput((input, key) => {
    if (input.length <= 1 || key.ctrl || key.meta || input.includes('\u001B')) {
      handler(input, key);
      return;
    }
    for (const ch of input) handler(ch, { ...key, ...SPECIAL[ch] });
  }, options);
}
