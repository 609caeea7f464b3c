import { describe, expect, it } from 'vitest';
import { inlineLessForPool, limitHeapGrowth, setUnlessGiven } from '../../src/cli/v8-defaults.ts';

describe('V8 defaults of the CLI', () => {
  it('are set when node was given no such flag', () => {
    expect(limitHeapGrowth(['--enable-source-maps'])).toBe(true);
    expect(inlineLessForPool([])).toBe(true);
  });

  it('give way to the flag given to node, in either spelling', () => {
    expect(limitHeapGrowth(['--heap-growing-percent=20'])).toBe(false);
    expect(limitHeapGrowth(['--heap_growing_percent=20'])).toBe(false);
    expect(inlineLessForPool(['--max_inlined_bytecode_size_cumulative=920'])).toBe(false);
  });

  it('are not confused by a flag that only starts the same', () => {
    expect(setUnlessGiven('heap-growing-percent', 50, ['--heap-growing-percent-extra=1'])).toBe(
      true,
    );
  });
});
