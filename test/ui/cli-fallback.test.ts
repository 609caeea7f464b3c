import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { wantsUi } from '../../src/ui/tty.ts';
import { runCli, STACK_TRACE } from '../cli/run-cli.ts';

/*
 * Outside a terminal every command prints what it printed before the UI existed, and
 * --no-ui forces that on a terminal too. These run the real CLI with pipes.
 */

const dir = mkdtempSync(join(tmpdir(), 'rollout-sim-fallback-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('when to show the UI', () => {
  const tty = { stdin: { isTTY: true }, stdout: { isTTY: true }, env: {} };
  it('only with a terminal on both ends, outside CI, and neither --json nor --no-ui', () => {
    expect(wantsUi({}, tty)).toBe(true);
    expect(wantsUi({ ui: true, json: false }, tty)).toBe(true);
    expect(wantsUi({ ui: false }, tty)).toBe(false);
    expect(wantsUi({ json: true }, tty)).toBe(false);
    expect(wantsUi({}, { ...tty, stdout: {} })).toBe(false);
    expect(wantsUi({}, { ...tty, stdin: {} })).toBe(false);
    expect(wantsUi({}, { ...tty, env: { CI: 'true' } })).toBe(false);
    expect(wantsUi({}, { ...tty, env: { CI_PIPELINE_ID: '7' } })).toBe(false);
    expect(wantsUi({}, { ...tty, env: { CI: 'false' } })).toBe(true);
  });
});

describe('plain output outside a terminal', () => {
  const trace = join(dir, 'demo.jsonl');

  it('run prints the summary, with or without --no-ui, and writes the trace', () => {
    const piped = runCli(['run', '--preset', 'demo', '--trace', trace]);
    expect(piped.status).toBe(0);
    expect(piped.stdout).toContain('fleet demo, profile faithful, seed 1');
    expect(piped.stdout).toContain(`trace: ${trace}`);
    const forced = runCli(['run', '--preset', 'demo', '--no-ui']);
    expect(forced.status).toBe(0);
    const same = (s: string) =>
      s.replace(/in [\d.]+ s wall/, 'in … s wall').replace(/trace: .*\n/, '');
    expect(same(forced.stdout)).toBe(same(piped.stdout));
  });

  it('replay checks the trace instead of showing it', () => {
    const piped = runCli(['replay', trace]);
    expect(piped.status).toBe(0);
    expect(piped.stdout).toMatch(/demo\.jsonl: \d+ lines, well-formed rollout-sim-trace\/1\n$/);
    expect(runCli(['replay', trace, '--no-ui']).stdout).toBe(piped.stdout);
    expect(runCli(['replay', trace, '--verify', '--no-ui']).stdout).toMatch(
      /^verified: \d+ lines identical/,
    );
  });

  it('machine lists the machine and points at `step`', () => {
    const r = runCli(['machine', 'rollout']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('rollout machine: 8 states, 8 events');
    expect(r.stdout).toContain(
      'states: Opening, Active, Converging, Terminal, Reverted, Failed, Superseded, Pruned',
    );
    const h = runCli(['machine', 'host', '--no-ui']);
    expect(h.stdout).toContain('host machine: 7 states, 24 events');
    const bad = runCli(['machine', 'router']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).not.toMatch(STACK_TRACE);
  });
});
