import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { poolThreads } from '../../src/cli/pool-threads.ts';

describe('poolThreads', () => {
  it('starts no more threads than the machine has cores, whatever --workers asks', () => {
    expect(poolThreads(256, Number.POSITIVE_INFINITY)).toBe(availableParallelism());
    expect(poolThreads(256, 10_000)).toBe(Math.min(10_000, availableParallelism()));
  });
  it('starts no more threads than there are pieces of work', () => {
    expect(poolThreads(256, 1)).toBe(1);
    expect(poolThreads(2, 0)).toBe(1);
  });
  it('starts as many as asked when the cores and the work allow', () => {
    expect(poolThreads(1, 100)).toBe(1);
    if (availableParallelism() >= 2) expect(poolThreads(2, 100)).toBe(2);
  });
});
