import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPLORER_KEYS } from '../../src/ui/explorer/MachineExplorer.tsx';
import { LIVE_KEYS } from '../../src/ui/live/LiveApp.tsx';
import { REPLAY_KEYS } from '../../src/ui/replay/ReplayApp.tsx';
import { REPO_ROOT, runCli } from '../cli/run-cli.ts';
import {
  boxProblems,
  boxRows,
  detailProblems,
  frameProblems,
  missingKeys,
  titleProblems,
} from './screen-checks.ts';

/*
 * End to end in a real terminal: tmux runs the CLI in a detached pane (160 × 48, and
 * every screen at 80 × 24 and 200 × 50), the test presses keys and reads the screen
 * back, as a user would. Runs when tmux is installed (.ci/run installs it); otherwise
 * the suite is reported as skipped, with why. With UPDATE_SCREENSHOTS=1 the captures
 * are written to docs/screenshots/ as well.
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
function start(
  name: string,
  args: string,
  size: { readonly width: number; readonly height: number } = { width: 160, height: 48 },
): { status: string; pid: string; screen: () => string } {
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
  tmux(
    'new-session',
    '-d',
    '-s',
    name,
    '-x',
    String(size.width),
    '-y',
    String(size.height),
    `sh '${script}'`,
  );
  tmux('set-option', '-t', name, 'remain-on-exit', 'on');
  return { status, pid, screen: () => tmux('capture-pane', '-p', '-t', name) };
}

async function waitFor(
  screen: () => string,
  check: (text: string) => boolean,
  what: string,
  ms = 15_000,
  settled = true,
): Promise<string> {
  const until = Date.now() + ms;
  let previous = '';
  for (;;) {
    const text = screen();
    // A capture can land while a frame is being written: only a screen that stayed the
    // same across two captures counts (`settled`).
    const stable = text === previous || !settled;
    previous = text;
    if (stable && check(text)) return text;
    // The error carries the screen. (It was also written to /tmp, which left a file
    // there from every wait that `changed` and `pressUntil` expect to time out.)
    if (Date.now() > until) throw new Error(`waiting for ${what}; the screen:\n${text}`);
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
 * For a screen that is still running (a live run's clock redraws it all the time): the
 * text shows in one capture. On a loaded machine two captures 50 ms apart straddled a
 * redraw every time, and a wait for a settled screen timed out on a run that was fine.
 * Only for text that every frame has, a partly written one too.
 */
function waitForRunning(
  screen: () => string,
  check: (text: string) => boolean,
  what: string,
): Promise<string> {
  return waitFor(screen, check, what, 15_000, false);
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
      const running = await waitForRunning(
        screen,
        (t) => t.includes('rollout-sim ▸ live') && t.includes('w2'),
        'the live screen',
      );
      expect(running).toContain('▶ running');
      // Read whole once paused: a running screen is redrawn all the time.
      const paused = await pressUntil(
        'live',
        'Space',
        screen,
        (t) => t.includes('❚❚ paused'),
        'pause',
      );
      // Header, diagram, grid, log and every key in the footer.
      expect(paused).toMatch(
        /fleet demo · faithful profile · seed 1 │ sim \d\d:\d\d\.\d{3} at ×10/,
      );
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
        expect(paused).toContain(s);
      }
      expect(paused).toContain('Hosts of stable@v1: waves × hosts');
      expect(paused).toMatch(/w0 +[PASC] cache-01/);
      expect(paused).toContain('Event log');
      expect(paused).toContain(
        'space pause/resume · . one event · +/- speed · g next fault · / filter · tab focus · arrows select · b blocked · ? help · q quit',
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
      await waitForRunning(screen, (t) => t.includes('rollout-sim ▸ live'), 'the live screen');
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

    it('a run quit for its trace to be finished off-screen still stops on SIGINT, and the trace ends "interrupted"', async () => {
      const trace = join(dir, 'finishing.jsonl');
      // A heartbeat every millisecond and a settle window of ten years: finishing it would
      // take hours.
      const { status, pid, screen } = start(
        'finishing',
        `run --set heartbeat_secs=0.001 --set settle_secs=315360000 --trace '${trace}'`,
      );
      await waitForRunning(screen, (t) => t.includes('rollout-sim ▸ live'), 'the live screen');
      tmux('send-keys', '-t', 'finishing', 'q');
      await waitFor(screen, (t) => t.includes('finishing the run for the trace'), 'finishing');
      // As Ctrl-C would send it off the alternate screen; a key would reach the pane's
      // shell too, which then dies before it can write the status.
      process.kill(Number(readFileSync(pid, 'utf8')), 'SIGINT');
      expect(await exitStatus(status, screen)).toBe('EXIT=130');
      const last = readFileSync(trace, 'utf8').trimEnd().split('\n').at(-1) ?? '';
      expect(JSON.parse(last)).toMatchObject({ type: 'end', summary: { ended: 'interrupted' } });
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

interface Size {
  readonly width: number;
  readonly height: number;
}

const SIZES: readonly Size[] = [
  { width: 80, height: 24 },
  { width: 200, height: 50 },
];

/** A capture kept for docs/screenshots/ when UPDATE_SCREENSHOTS=1. */
function keep(name: string, size: Size, capture: string): void {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  writeFileSync(
    join(REPO_ROOT, 'docs', 'screenshots', `${name}-${size.width}x${size.height}.txt`),
    capture,
  );
}

/** Polls until the screen differs from `before` (and holds still), or `ms` pass: null then. */
async function changed(screen: () => string, before: string, ms: number): Promise<string | null> {
  try {
    return await waitFor(screen, (t) => t !== before, 'a change', ms);
  } catch {
    return null;
  }
}

/** Opens `?`, reads every page (↓ scrolls one line), checks the box on each, closes it. */
async function helpRows(session: string, screen: () => string): Promise<string[]> {
  let page = await pressUntil(session, '?', screen, (t) => t.includes('╭'), 'the help');
  const seen = [...boxRows(page)];
  // A page less two lines at a time (↓ scrolls one): every line is seen, in few steps.
  const step = Math.max(1, boxRows(page).length - 3);
  for (let i = 0; i < 40; i++) {
    expect(boxProblems(page)).toEqual([]);
    tmux('send-keys', '-t', session, ...new Array<string>(step).fill('Down'));
    // Long enough for a loaded machine: the last page is the one that does not move.
    const next = await changed(screen, page, 1500);
    if (next === null) break;
    page = next;
    seen.push(...boxRows(page));
  }
  tmux('send-keys', '-t', session, 'x');
  await waitFor(screen, (t) => !t.includes('╭'), 'the help to close');
  return seen;
}

/** The checks every dashboard capture passes: frame, titles, the detail pane's lines. */
function dashboardProblems(capture: string, size: Size): string[] {
  return [
    ...frameProblems(capture, size.height),
    ...titleProblems(capture, size.width),
    ...detailProblems(capture),
  ];
}

// Concurrent: each test has its own tmux session, and most of the time is waiting.
describe.skipIf(!hasTmux)(
  hasTmux
    ? 'every screen at 80 × 24 and 200 × 50 (tmux)'
    : 'every screen at 80 × 24 and 200 × 50 — skipped: tmux is not installed',
  { concurrent: true },
  () => {
    const trace = join(dir, 'demo.jsonl');
    beforeAll(() => {
      expect(runCli(['run', '--preset', 'demo', '--no-ui', '--trace', trace]).status).toBe(0);
    });

    for (const size of SIZES) {
      const at = `${size.width}x${size.height}`;

      it(`live run at ${at}: the clock, every help key, nothing drawn over anything`, async () => {
        const name = `live-${at}`;
        const { screen } = start(name, 'run --preset demo', size);
        await waitForRunning(
          screen,
          (t) => t.includes('▸ live') && t.includes('w2'),
          'the live screen',
        );
        const paused = await pressUntil(
          name,
          'Space',
          screen,
          (t) => t.includes('❚❚ paused'),
          'pause',
        );
        expect(paused.split('\n')[0]).toMatch(
          /sim +\d\d:\d\d\.\d{3} (at )?×10 +│ (wall +\S+ │ )?[\d,]+ records/,
        );
        expect(dashboardProblems(paused, size)).toEqual([]);
        keep('live-demo', size, paused);
        if (process.env.UPDATE_SCREENSHOTS === '1') {
          keep('live-help', size, await pressUntil(name, '?', screen, (t) => t.includes('╭'), '?'));
          tmux('send-keys', '-t', name, 'x');
          await waitFor(screen, (t) => !t.includes('╭'), 'the help to close');
        }
        expect(missingKeys(await helpRows(name, screen), LIVE_KEYS)).toEqual([]);
        // Steps and a new host chosen: each frame is drawn whole, nothing left of the last.
        for (let i = 0; i < 30; i++) tmux('send-keys', '-t', name, '.');
        tmux('send-keys', '-t', name, 'Right', 'Right', 'Right', 'Down');
        const moved = await waitFor(
          screen,
          (t) => t !== paused && t.includes('❚❚ paused'),
          'steps',
        );
        expect(dashboardProblems(moved, size)).toEqual([]);
        tmux('send-keys', '-t', name, 'q');
      });

      it(`replay at ${at}: the clock and position, every help key, nothing drawn over anything`, async () => {
        const name = `replay-${at}`;
        const { screen } = start(name, `replay ${trace}`, size);
        await waitFor(screen, (t) => t.includes('▸ replay demo.jsonl'), 'the replay screen');
        // The fault on db-04: a host with a history, a red log line.
        const shown = await pressUntil(name, 'g', screen, (t) => t.includes('Host db-04'), 'g');
        expect(shown.split('\n')[0]).toMatch(
          /sim +\d\d:\d\d\.\d{3} (at )?×10 +│ (wall +\S+ │ )?record +\d+\/306/,
        );
        expect(dashboardProblems(shown, size)).toEqual([]);
        keep('replay-demo', size, shown);
        const help = await pressUntil(name, '?', screen, (t) => t.includes('╭'), 'the help');
        keep('replay-help', size, help);
        tmux('send-keys', '-t', name, 'x');
        await waitFor(screen, (t) => !t.includes('╭'), 'the help to close');
        expect(missingKeys(await helpRows(name, screen), REPLAY_KEYS)).toEqual([]);
        tmux('send-keys', '-t', name, '$', 'Left', 'Left', 'Up');
        const moved = await waitFor(screen, (t) => t.includes('■ ended'), 'the end');
        expect(dashboardProblems(moved, size)).toEqual([]);
        tmux('send-keys', '-t', name, 'q');
      });

      for (const machine of ['rollout', 'host'] as const) {
        it(`machine ${machine} at ${at}: the clock, every help key, rows intact`, async () => {
          const name = `machine-${machine}-${at}`;
          const { screen } = start(name, `machine ${machine}`, size);
          const first = await waitFor(screen, (t) => t.includes('state '), 'the explorer');
          // The clock (its word goes at 80 columns), and how many states were visited.
          expect(first.split('\n')[0]).toMatch(/│ (clock +)?\+\d\d:\d\d\.\d{3} │.*visited/);
          expect([
            ...frameProblems(first, size.height),
            ...titleProblems(first, size.width),
          ]).toEqual([]);
          expect(missingKeys(await helpRows(name, screen), EXPLORER_KEYS)).toEqual([]);
          // The first event applied, the next chosen and edited: the rows are still whole.
          await pressUntil(
            name,
            'Down',
            screen,
            (t) => /▸ \S+ +/.test(t) && t !== first,
            'a choice',
          );
          tmux('send-keys', '-t', name, 'Up', 'a', 'Down', 'Enter', 'Right');
          const edited = await waitFor(screen, (t) => t.includes('editing'), 'editing');
          expect([
            ...frameProblems(edited, size.height),
            ...titleProblems(edited, size.width),
          ]).toEqual([]);
          expect(edited).toMatch(/ {2,}1 step +│ (clock +)?\+/);
          keep(`machine-${machine}`, size, edited);
          // Esc alone first: right before another key, it reads as Alt plus that key.
          tmux('send-keys', '-t', name, 'Escape');
          await waitFor(screen, (t) => !t.includes('editing'), 'the edit dropped');
          tmux('send-keys', '-t', name, '?');
          keep(
            `machine-${machine}-help`,
            size,
            await waitFor(screen, (t) => t.includes('╭'), 'the help'),
          );
          tmux('send-keys', '-t', name, 'q');
        });
      }
    }

    it('replay: the same place reached by other keys, or after a resize, draws the very same screen', async () => {
      const small = { width: 80, height: 24 };
      const a = start('same-a', `replay ${trace}`, small);
      const b = start('same-b', `replay ${trace}`, { width: 200, height: 50 });
      await waitFor(a.screen, (t) => t.includes('record'), 'replay a');
      await waitFor(b.screen, (t) => t.includes('record'), 'replay b');
      // a: straight there. b: past it and back, at another size, then resized to 80 × 24.
      await pressUntil('same-a', '$', a.screen, (t) => t.includes('■ ended'), 'a at the end');
      for (let i = 0; i < 6; i++) tmux('send-keys', '-t', 'same-a', ',');
      tmux('send-keys', '-t', 'same-a', 'Right', 'Right', 'Right');
      await pressUntil('same-b', '$', b.screen, (t) => t.includes('■ ended'), 'b at the end');
      for (let i = 0; i < 9; i++) tmux('send-keys', '-t', 'same-b', ',');
      tmux('send-keys', '-t', 'same-b', '.', '.', '.');
      for (const k of ['Right', 'Right', 'Right', 'Right', 'Right', 'Left', 'Left'])
        tmux('send-keys', '-t', 'same-b', k);
      await waitFor(b.screen, (t) => /record +300\/306/.test(t), 'b at record 300');
      tmux('resize-window', '-t', 'same-b', '-x', '80', '-y', '24');
      const want = await waitFor(a.screen, (t) => /record +300\/306/.test(t), 'a at record 300');
      expect(dashboardProblems(want, small)).toEqual([]);
      const got = await waitFor(b.screen, (t) => t === want, 'b to draw what a draws', 5000);
      expect(got).toBe(want);
    });
  },
);
