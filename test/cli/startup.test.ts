import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MACHINES } from '../../machines/catalog.ts';
import { presetNames } from '../../sim/fleet/presets/index.ts';
import { MACHINE_NAMES, PRESET_NAMES } from '../../src/cli/commands/names.ts';
import { DIAGRAM_FORMATS as FORMATS_AT_START } from '../../src/diagram/formats.ts';
import { DIAGRAM_FORMATS } from '../../src/diagram/index.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

// The command definitions name presets and machines without loading them (start-up);
// these lists must stay the real ones.
describe('names the CLI declares before loading anything', () => {
  it('are the presets, in their order', () => {
    expect([...PRESET_NAMES]).toEqual(presetNames());
  });
  it('are the machines', () => {
    expect([...MACHINE_NAMES]).toEqual(Object.keys(MACHINES));
  });
  it('are the diagram formats', () => {
    expect(FORMATS_AT_START).toBe(DIAGRAM_FORMATS);
  });
});

// Without dist/ (a clone installed with --ignore-scripts) bin/ runs the sources through
// tsx; the worker pools must start from source too.
describe('the CLI from source, without dist/', () => {
  it('check spreads its runs over two workers and reports as one thread', () => {
    const args = ['--runs', '12', '--seed', '3', '--json'];
    const run = (workers: string) =>
      spawnSync(
        process.execPath,
        ['--import', 'tsx', 'src/cli/main.ts', 'check', ...args, '--workers', workers],
        { cwd: REPO, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } },
      );
    const two = run('2');
    expect(two.stderr).toBe('');
    expect(two.status).toBe(0);
    const one = run('1');
    const strip = (s: string) => {
      const { wall_seconds: _w, ...rest } = JSON.parse(s) as Record<string, unknown>;
      return rest;
    };
    expect(strip(two.stdout)).toEqual(strip(one.stdout));
  }, 60_000);

  it('explore runs its paths on two workers', () => {
    const r = spawnSync(
      process.execPath,
      [
        ...['--import', 'tsx', 'src/cli/main.ts', 'explore', '--hosts', '2', '--waves', '1'],
        ...['--profile', 'intent', '--workers', '2', '--json', '--out', tmpdir()],
      ],
      { cwd: REPO, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { profiles: { runs: number }[] };
    expect(report.profiles[0]?.runs).toBeGreaterThan(10);
  }, 60_000);
});
