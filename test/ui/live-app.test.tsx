import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { PRESETS } from '../../sim/fleet/presets/index.ts';
import { profile } from '../../sim/profile.ts';
import { LIVE_KEYS, LiveApp } from '../../src/ui/live/LiveApp.tsx';
import { LiveSession } from '../../src/ui/live/session.ts';
import { SPEEDS } from '../../src/ui/live/speed.ts';
import { KEY, lines, press, tick, waitFor } from './support.ts';

/*
 * The live screen, driven through ink-testing-library: every key of the footer, with
 * the frames checked for what a user would see.
 */

const MAX = SPEEDS.length - 1;
const mounted: { unmount: () => void }[] = [];

afterEach(() => {
  for (const m of mounted.splice(0)) m.unmount();
});

function live(preset = 'demo', speedIndex = 0, size = { width: 160, height: 48 }) {
  const fleet = (PRESETS[preset] as NonNullable<(typeof PRESETS)[string]>).build();
  const session = new LiveSession({ fleet, profile: profile('faithful'), seed: 1, speedIndex });
  const app = render(<LiveApp session={session} size={size} />);
  mounted.push(app);
  const frame = () => app.lastFrame() ?? '';
  return {
    session,
    app,
    frame,
    until: (check: (t: string) => boolean, ms?: number) => waitFor(frame, check, ms),
  };
}

describe('live run screen', () => {
  it('shows the header, the rollout on its diagram, the grid, the detail, the log and the keys', async () => {
    const { until } = live('demo', MAX);
    const text = await until((t) => t.includes('■ ended'));
    expect(text).toMatch(
      /rollout-sim ▸ live ■ ended +│ fleet demo · faithful profile · seed 1 │ sim 09:45\.000 at max +│ wall +[\d.]+s │ \d+ records │ \(terminal\) · q to quit/,
    );
    // The machine's 8 states, current boxed, visited ticked, the path taken.
    expect(text).toContain('✓Opening');
    expect(text).toContain('✓Active');
    expect(text).toContain('[Failed]');
    for (const s of ['Converging', 'Terminal', 'Reverted', 'Superseded', 'Pruned'])
      expect(text).toContain(s);
    expect(text).toContain('taken Opening ─HostJoined→ Active ─HostStateChanged→ Failed');
    expect(text).toContain('next SuccessorOpened→Superseded · RetentionExpired→Pruned');
    // Waves × hosts with names (24 hosts fit), the failed host reverted.
    expect(text).toContain('Hosts of stable@v1: waves × hosts, control-plane state (names)');
    expect(text).toMatch(/w0 +C cache-01 C web-01/);
    expect(text).toContain('R db-04');
    expect(text).toContain('C Converged 23');
    expect(text).toContain('R Reverted  1');
    // Detail of the first host, the log with the end record, the footer.
    expect(text).toContain('cache-01 · stable · wave 0 · stable@v1');
    expect(text).toContain('── control-plane record');
    expect(text).toMatch(/end +end: terminal after 09:45\.000/);
    expect(text).toContain(
      'space pause/resume · . one event · +/- speed · g next fault · / filter · tab focus · arrows select · b blocked · ? help · q quit',
    );
  });

  it('space pauses and resumes; . delivers exactly one message', async () => {
    const { app, session, until } = live('demo', 3);
    await until((t) => t.includes('▶ running'));
    await press(app.stdin, ' ');
    await until((t) => t.includes('❚❚ paused'));
    const before = session.sim.deliveries;
    await tick(50);
    expect(session.sim.deliveries).toBe(before);
    await press(app.stdin, '.');
    expect(session.sim.deliveries).toBe(before + 1);
    await press(app.stdin, '.', '.');
    expect(session.sim.deliveries).toBe(before + 3);
    // Keys that arrive together (typed fast, pasted) still count one by one.
    await press(app.stdin, '....');
    expect(session.sim.deliveries).toBe(before + 7);
    await until((t) => t.includes(`${session.log.end()} records`) && t.includes('❚❚ paused'));
    await press(app.stdin, ' ');
    await until((t) => t.includes('▶ running'));
  });

  it('+ and - change the speed, from ×1 up to max', async () => {
    const { app, until } = live('demo', 0);
    await until((t) => t.includes('at ×1 '));
    await press(app.stdin, '+');
    await until((t) => t.includes('at ×2 '));
    await press(app.stdin, '+', '+');
    await until((t) => t.includes('at ×10 '));
    await press(app.stdin, '-');
    await until((t) => t.includes('at ×5 '));
    await press(app.stdin, ...Array.from({ length: 20 }, () => '+'));
    await until((t) => t.includes('at max '));
  });

  it('g runs ahead to the next fault, pauses on it and selects its host', async () => {
    const { app, until } = live('demo', 0);
    await press(app.stdin, 'g');
    const text = await until((t) => t.includes('❚❚ paused') && t.includes('Host db-04'), 10_000);
    expect(text).toContain('◆ Event log (scrolled back (esc: follow))');
    expect(text).toMatch(/fault probe_failed on db-04|db-04 Soaking → Failed/);
    // g again: the next one, further on.
    await press(app.stdin, 'g');
    await until(
      (t) => t.includes('❚❚ paused') && /db-04 .*→ (Failed|Reverted)|probe_failed/.test(t),
    );
  });

  it('/ filters the log by host, wave, rollout or kind; esc cancels; a bad filter says why', async () => {
    const { app, until, frame } = live('demo', MAX);
    await until((t) => t.includes('■ ended'));
    await press(app.stdin, '/', ...'host:db-04');
    await until((t) => t.includes('filter /host:db-04'));
    await press(app.stdin, KEY.enter);
    const text = await until((t) => t.includes('filter: host:db-04'));
    const log = lines(text).slice(lines(text).findIndex((l) => l.includes('Event log')) + 1, -1);
    expect(log.length).toBeGreaterThan(5);
    expect(log.every((l) => l.includes('db-04'))).toBe(true);
    await press(app.stdin, '/', ...Array.from({ length: 12 }, () => KEY.backspace));
    await press(app.stdin, ...'wave:x', KEY.enter);
    await until((t) => t.includes('wave: expected a wave number, got "x"'));
    await press(app.stdin, KEY.escape);
    await until((t) => !t.includes('filter /'));
    expect(frame()).toContain('filter: host:db-04');
    await press(
      app.stdin,
      '/',
      ...Array.from({ length: 12 }, () => KEY.backspace),
      ...'kind:fault',
      KEY.enter,
    );
    const faults = await until((t) => t.includes('filter: kind:fault'));
    const faultLog = lines(faults).slice(
      lines(faults).findIndex((l) => l.includes('Event log')) + 1,
      -1,
    );
    expect(faultLog.filter((l) => l.trim() !== '').every((l) => l.includes('FAULT'))).toBe(true);
  });

  it('tab moves the focus; arrows select a host, a log line; esc follows again', async () => {
    const { app, until } = live('demo', MAX);
    await until((t) => t.includes('■ ended'));
    expect(await until((t) => t.includes('◆ Hosts of'))).toContain('Host cache-01');
    await press(app.stdin, KEY.right);
    await until((t) => t.includes('Host web-01'));
    await press(app.stdin, KEY.down);
    await until((t) => t.includes('Host db-01'));
    await press(app.stdin, KEY.tab);
    await until((t) => t.includes('◆ Event log'));
    await press(app.stdin, KEY.up, KEY.up);
    await until((t) => t.includes('scrolled back (esc: follow)') && t.includes('Host db-04'));
    await press(app.stdin, KEY.escape);
    await until((t) => t.includes('newest at the bottom'));
    await press(app.stdin, KEY.tab);
    await until((t) => t.includes('◆ Rollouts'));
    await press(app.stdin, KEY.shiftTab);
    await until((t) => t.includes('◆ Event log'));
  });

  it('? shows the help; any key closes it', async () => {
    const { app, until } = live('demo', MAX);
    await press(app.stdin, '?');
    const text = await until((t) => t.includes('any other key closes)'));
    expect(text).toContain('deliver exactly one message');
    expect(text).toContain('host:db-04 (or a prefix: host:web-0)');
    await press(app.stdin, 'x');
    await until((t) => !t.includes('key closes'));
  });

  it('at 80 × 24 the help scrolls with ↑/↓ and every key is on some page, unbroken', async () => {
    const { app, until, frame } = live('demo', MAX, { width: 80, height: 24 });
    await press(app.stdin, '?');
    await until((t) => t.includes('↑/↓ scroll, any other key closes'));
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      for (const l of frame().split('\n')) seen.add(l);
      await press(app.stdin, KEY.down);
    }
    const text = [...seen].join('\n');
    for (const k of LIVE_KEYS) expect(text).toContain(`│ ${k.key.padEnd(12)}`);
    expect(text).toContain('host:db-04 (or a prefix: host:web-0)');
    for (const l of seen) expect(l.length).toBeLessThanOrEqual(80);
    await press(app.stdin, 'x');
    await until((t) => !t.includes('key closes'));
  });

  it('q quits: the screen stops and the simulation with it', async () => {
    const { app, session, until } = live('demo', 0);
    await until((t) => t.includes('▶ running'));
    await press(app.stdin, '.q');
    await tick(30);
    const frames = app.frames.length;
    const delivered = session.sim.deliveries;
    await tick(200);
    expect(app.frames.length).toBe(frames);
    expect(session.sim.deliveries).toBe(delivered);
  });

  it('Ctrl-C quits as q does', async () => {
    const { app, session } = live('demo', 0);
    await press(app.stdin, KEY.ctrlC);
    await tick(30);
    const delivered = session.sim.deliveries;
    await tick(150);
    expect(session.sim.deliveries).toBe(delivered);
  });

  it('10,000 hosts: bars with counts per wave, and the keys still answer while it runs', async () => {
    const { app, session, until } = live('staged-10k', MAX, { width: 120, height: 40 });
    const text = await until((t) => t.includes('(bars)') && t.includes('5,000'), 20_000);
    expect(text).toMatch(/w3 +▕[PASC·]+▏ +5,000 │/);
    await press(app.stdin, ' ');
    await until((t) => t.includes('❚❚ paused'), 2000);
    const delivered = session.sim.deliveries;
    await tick(50);
    expect(session.sim.deliveries).toBe(delivered);
  });

  it('fits an 80 × 24 terminal', async () => {
    const { until } = live('demo', MAX, { width: 80, height: 24 });
    const text = await until((t) => t.includes('■ ended'));
    expect(lines(text).length).toBeLessThanOrEqual(23);
    expect(lines(text).every((l) => l.length <= 80)).toBe(true);
    expect(text).toContain('q quit');
  });
});
