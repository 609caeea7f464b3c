import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { checkFleetFileBudget, checkHostBudget } from '../../src/cli/memory-budget.ts';
import { InputError } from '../../src/cli/usage-error.ts';

const GB = 2 ** 30;

describe('a fleet too big for the heap is refused before it is built', () => {
  it('by host count, with the figures and the remedy', () => {
    expect(() => checkHostBudget(1_000_000, '--hosts', 1 * GB)).toThrow(
      new InputError(
        "--hosts: 1,000,000 hosts need about 1.5 GB of heap, more than this process's limit of 1.0 GB; give node more (NODE_OPTIONS=--max-old-space-size=MB, where the machine has the memory) or simulate fewer hosts",
      ),
    );
  });
  it('by channel count too: each channel has a rollout of its own', () => {
    // `run --hosts 1000000 --channels 1000000` used to start and die in V8's heap.
    expect(() => checkHostBudget(1_000_000, '--hosts', 4 * GB, 1_000_000)).toThrow(
      new InputError(
        "--hosts: 1,000,000 hosts on 1,000,000 channels need about 12.6 GB of heap, more than this process's limit of 4.0 GB; give node more (NODE_OPTIONS=--max-old-space-size=MB, where the machine has the memory) or simulate fewer hosts or channels",
      ),
    );
    // 200,000 one-host channels ran in 2.78 GB of RSS.
    expect(() => checkHostBudget(200_000, '--hosts', 4 * GB, 200_000)).not.toThrow();
  });
  it('lets a fleet through that fits', () => {
    expect(() => checkHostBudget(100_000, '--hosts', 4 * GB)).not.toThrow();
    // A million hosts fit the default heap of a 64-bit machine with 16 GB or more.
    expect(() => checkHostBudget(1_000_000, '--hosts', 4 * GB)).not.toThrow();
  });
  it('by file size, before the file is read', () => {
    const path = join(tmpdir(), `rollout-sim-budget-${process.pid}.yaml`);
    writeFileSync(path, 'x'.repeat(3 * 2 ** 20));
    onTestFinished(() => rmSync(path, { force: true }));
    expect(() => checkFleetFileBudget(path, 0.1 * GB)).toThrow(
      new InputError(
        `${path}: a fleet file of 3 MB needs about 0.2 GB of heap to read, more than this process's limit of 0.1 GB; give node more (NODE_OPTIONS=--max-old-space-size=MB, where the machine has the memory) or simulate fewer hosts`,
      ),
    );
    expect(() => checkFleetFileBudget(path, 4 * GB)).not.toThrow();
  });
  it('leaves a missing file to the reader, which says so in words', () => {
    expect(() => checkFleetFileBudget('/nonexistent/fleet.yaml', 1)).not.toThrow();
  });
});
