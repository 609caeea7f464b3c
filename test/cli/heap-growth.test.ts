import { describe, expect, it } from 'vitest';
import { limitHeapGrowth } from '../../src/cli/heap-growth.ts';

describe('limitHeapGrowth', () => {
  it('holds the growth when node was given none', () => {
    expect(limitHeapGrowth(['--enable-source-maps'])).toBe(true);
  });

  it('leaves a growth the user gave node, in either spelling', () => {
    expect(limitHeapGrowth(['--heap-growing-percent=20'])).toBe(false);
    expect(limitHeapGrowth(['--heap_growing_percent=20'])).toBe(false);
  });
});
