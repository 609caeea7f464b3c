import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../cli/run-cli.ts';

/*
 * End to end in a real terminal: tmux runs the CLI in a detached 160 × 48 pane, the
 * test presses keys and reads the screen back, as a user would. Runs when tmux is
 * installed (.ci/run installs it); otherwise the suite is reported as skipped, with why.
 */

const hasTmux = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
const socket = `rollout-sim-e2e-${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'rollout-sim-tmux-'));

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts `rollout-sim ARGS` in a fresh pane; its pid and exit status land in files. */
function start(name: string, args: string): { status: string; pid: string; screen: () => string } {
  const status = join(dir, `${name}.status`);
  const pid = join(dir, `${name}.pid`);
  const script = join(dir, `${name}.sh`);
  // A clean environment: Ink renders nothing interactive when it thinks it runs in CI.
  writeFileSync(
    script,
    [
      `cd '${REPO_ROOT}'`,
      `env -i PATH="${process.env.PATH}" HOME="${process.env.HOME ?? '/tmp'}" TERM=xterm-256color LANG=C.UTF-8 \\`,
      `  sh -c 'echo $$ > "${pid}"; exec node bin/rollout-sim.js ${args}'`,
      `echo EXIT=$? > '${status}'`,
      '',
    ].join('\n'),
  );
  tmux('new-session', '-d', '-s', name, '-x', '160', '-y', '48', `sh '${script}'`);
  tmux('set-option', '-t', name, 'remain-on-exit', 'on');
  return { status, pid, screen: () => tmux('capture-pane', '-p', '-t', name) };
}

async function waitFor(
  screen: () => string,
  check: (text: string) => boolean,
  what: string,
  ms = 15_000,
): Promise<string> {
  const until = Date.now() + ms;
  let previous = '';
  for (;;) {
    const text = screen();
    // A capture can land while a frame is being written: only a screen that stayed the
    // same across two captures counts.
    const stable = text === previous;
    previous = text;
    if (stable && check(text)) return text;
    if (Date.now() > until) {
      writeFileSync(join(tmpdir(), `rollout-sim-tmux-failure.txt`), text);
      throw new Error(`waiting for ${what}; the screen:\n${text}`);
    }
    await sleep(50);
  }
}

async function exitStatus(file: string, screen: () => string): Promise<string> {
  const until = Date.now() + 15_000;
  while (!existsSync(file) || readFileSync(file, 'utf8').trim() === '') {
    if (Date.now() > until) throw new Error(`the command did not exit; the screen:\n${screen()}`);
    await sleep(50);
  }
  return readFileSync(file, 'utf8').trim();
}

/**
 * Sends a key until the screen shows its effect: the first key can land before the app
 * has put the terminal in raw mode and started listening.
 */
async function pressUntil(
  session: string,
  key: string,
  screen: () => string,
  check: (text: string) => boolean,
  what: string,
): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    tmux('send-keys', '-t', session, key);
    try {
      return await waitFor(screen, check, what, 2000);
    } catch {
      // not yet: press again
    }
  }
  return waitFor(screen, check, what, 1);
}

afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['-L', socket, 'kill-server']);
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!hasTmux)(
  hasTmux
    ? 'in a real terminal (tmux)'
    : 'in a real terminal — skipped: tmux is not installed (.ci/run installs it)',
  () => {
    it('run --preset demo: live screen, pause, step, quit with status 0 and the same trace as a plain run', async () => {
      const trace = join(dir, 'live.jsonl');
      const { status, screen } = start('live', `run --preset demo --trace ${trace}`);
      const shown = await waitFor(
        screen,
        (t) => t.includes('rollout-sim ▸ live') && t.includes('w2'),
        'the live screen',
      );
      // Header, diagram, grid, log and every key in the footer.
      expect(shown).toMatch(/fleet demo · faithful profile · seed 1 │ sim \d\d:\d\d\.\d{3} at ×10/);
      for (const s of [
        'Opening',
        'Active',
        'Converging',
        'Terminal',
        'Reverted',
        'Failed',
        'Superseded',
        'Pruned',
      ]) {
        expect(shown).toContain(s);
      }
      expect(shown).toContain('Hosts of stable@v1: waves × hosts');
      expect(shown).toMatch(/w0 +[PASC] cache-01/);
      expect(shown).toContain('Event log');
      expect(shown).toContain(
        'space pause/resume · . one event · +/- speed · g next fault · / filter · tab focus · arrows select · ? help · q quit',
      );

      const paused = await pressUntil(
        'live',
        'Space',
        screen,
        (t) => t.includes('❚❚ paused'),
        'pause',
      );
      const head = (t: string) => t.split('\n')[0] ?? '';
      for (let i = 0; i < 40; i++) tmux('send-keys', '-t', 'live', '.');
      const stepped = await waitFor(
        screen,
        (t) => head(t) !== head(paused) && t.includes('❚❚ paused'),
        'steps',
      );
      expect(head(stepped)).toContain('❚❚ paused');

      tmux('send-keys', '-t', 'live', 'q');
      expect(await exitStatus(status, screen)).toBe('EXIT=0');
      // Back on the normal screen: the summary, and the cursor visible again.
      const after = await waitFor(
        screen,
        (t) => t.includes('fleet demo, profile faithful, seed 1'),
        'the summary',
      );
      expect(after).toContain('rollout    state');
      expect(after).toContain(`trace: ${trace}`);
      // Quit early, the trace was finished off-screen: identical to a plain run's.
      const plain = join(dir, 'plain.jsonl');
      expect(runCli(['run', '--preset', 'demo', '--no-ui', '--trace', plain]).status).toBe(0);
      expect(readFileSync(trace, 'utf8')).toBe(readFileSync(plain, 'utf8'));
    });

    it('replay: seeks to the end and back, quits with status 0', async () => {
      const trace = join(dir, 'replayed.jsonl');
      expect(runCli(['run', '--preset', 'demo', '--no-ui', '--trace', trace]).status).toBe(0);
      const { status, screen } = start('replay', `replay ${trace}`);
      await waitFor(screen, (t) => t.includes('rollout-sim ▸ replay replayed.jsonl'), 'the screen');
      const end = await pressUntil('replay', '$', screen, (t) => t.includes('■ ended'), 'the end');
      expect(end).toContain('[Failed]');
      expect(end).toContain('R db-04');
      // N from the end: to the last transition (Active → Failed), then the one before it.
      tmux('send-keys', '-t', 'replay', 'N');
      const last = (t: string) => /record 30\d\/306/.test(t) && !t.includes('■ ended');
      await waitFor(screen, last, 'the last transition');
      tmux('send-keys', '-t', 'replay', 'N');
      await waitFor(screen, (t) => t.includes('[Active]'), 'the previous transition');
      tmux('send-keys', '-t', 'replay', 'C-c');
      expect(await exitStatus(status, screen)).toBe('EXIT=0');
    });

    it('a signal from outside restores the terminal too, with status 128 + the signal', async () => {
      const { status, pid, screen } = start('signal', 'run --preset demo');
      await waitFor(screen, (t) => t.includes('rollout-sim ▸ live'), 'the live screen');
      process.kill(Number(readFileSync(pid, 'utf8')), 'SIGTERM');
      expect(await exitStatus(status, screen)).toBe('EXIT=143');
      // With the scrollback: the summary may start a line above the visible screen.
      const withHistory = () => tmux('capture-pane', '-p', '-S', '-50', '-t', 'signal');
      const after = await waitFor(
        withHistory,
        (t) => t.includes('fleet demo, profile faithful, seed 1'),
        'the summary',
      );
      expect(after).not.toContain('rollout-sim ▸ live');
      expect(after).toContain('quit before the end');
    });

    it('machine rollout: apply an event, undo, quit with status 0', async () => {
      const { status, screen } = start('machine', 'machine rollout');
      await waitFor(screen, (t) => t.includes('state Opening'), 'the explorer');
      await pressUntil(
        'machine',
        'Down',
        screen,
        (t) => t.includes('▸ HostJoined'),
        'HostJoined chosen',
      );
      tmux('send-keys', '-t', 'machine', 'a');
      await waitFor(screen, (t) => t.includes('state Active') && t.includes('[Active]'), 'Active');
      tmux('send-keys', '-t', 'machine', 'u');
      await waitFor(screen, (t) => t.includes('state Opening'), 'undo');
      tmux('send-keys', '-t', 'machine', 'q');
      expect(await exitStatus(status, screen)).toBe('EXIT=0');
    });
  },
);
