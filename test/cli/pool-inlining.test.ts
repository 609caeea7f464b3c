import { describe, expect, it } from 'vitest';
import { inlineLessForPool } from '../../src/cli/pool-inlining.ts';

describe('inlineLessForPool', () => {
  it('sets the inlining budget when node was given none', () => {
    expect(inlineLessForPool(['--enable-source-maps'])).toBe(true);
  });

  it('leaves a budget the user gave node, in either spelling', () => {
    expect(inlineLessForPool(['--max-inlined-bytecode-size-cumulative=920'])).toBe(false);
    expect(inlineLessForPool(['--max_inlined_bytecode_size_cumulative=920'])).toBe(false);
  });
});
