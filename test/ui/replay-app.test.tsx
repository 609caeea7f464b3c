import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../sim/settings.ts';
import { simulate } from '../../sim/simulate.ts';
import { RUN_START } from '../../sim/world.ts';
import { InputError } from '../../src/cli/usage-error.ts';
import { TraceWriter } from '../../src/trace/writer.ts';
import { SPEEDS } from '../../src/ui/live/speed.ts';
import { metaFromFleet } from '../../src/ui/model/meta.ts';
import { Timeline } from '../../src/ui/model/timeline.ts';
import { incompleteBanner, loadTrace } from '../../src/ui/replay/load-trace.ts';
import { replayTimeline } from '../../src/ui/replay/open.ts';
import { Playback } from '../../src/ui/replay/playback.ts';
import { ReplayApp } from '../../src/ui/replay/ReplayApp.tsx';
import { KEY, lines, press, record, tick, waitFor } from './support.ts';

/*
 * Replay over a trace file written in the test from the demo preset: the screen at a
 * given step (grid and log checked against the records), and every seeking key.
 */

const dir = mkdtempSync(join(tmpdir(), 'rollout-sim-replay-'));
const demo = record('demo');
const path = join(dir, 'demo.jsonl');
{
  const writer = new TraceWriter(path, {
    seed: demo.seed,
    profile: demo.profile,
    fleet: demo.fleet,
    settings: DEFAULT_SETTINGS,
    untilSeconds: null,
  });
  simulate({ fleet: demo.fleet, profile: demo.profile, seed: demo.seed, sink: writer.record });
  writer.close();
}
const trace = loadTrace(path);
const mounted: { unmount: () => void }[] = [];

afterEach(() => {
  for (const m of mounted.splice(0)) m.unmount();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function replay(at?: number, size = { width: 160, height: 48 }) {
  const timeline = replayTimeline(trace.records, { header: trace.header, start: trace.start });
  const app = render(
    <ReplayApp
      timeline={timeline}
      title="demo.jsonl"
      {...(at === undefined ? {} : { at })}
      size={size}
    />,
  );
  mounted.push(app);
  const frame = () => app.lastFrame() ?? '';
  return {
    app,
    timeline,
    frame,
    until: (check: (t: string) => boolean, ms?: number) => waitFor(frame, check, ms),
  };
}

/** The log lines of a frame (between the log title and the footer). */
function logLines(text: string): string[] {
  const all = lines(text);
  const from = all.findIndex((l) => l.includes('Event log'));
  return all.slice(from + 1, -1).filter((l) => l.startsWith('+'));
}

/** The header's position reads `record N/…` (N padded to the total's width). */
const atRecord = (t: string, n: string | number, total: string | number = '') =>
  new RegExp(`record +${n}/${total}`).test(t);

const position = (text: string) => Number(/record +([\d,]+)\//.exec(text)?.[1]?.replace(/,/g, ''));

describe('replay screen', () => {
  it('at 80 × 24 nothing moves sideways as the figures change: bars, counts, header', async () => {
    const big = record('staged-1k');
    const timeline = replayTimeline(big.records);
    const frames: string[] = [];
    for (const at of [1, 0.2, 0.4, 0.6, 0.8, 1].map((f) => Math.floor(f * timeline.length))) {
      const app = render(
        <ReplayApp timeline={timeline} title="1k" at={at} size={{ width: 80, height: 24 }} />,
      );
      mounted.push(app);
      frames.push(
        await waitFor(
          () => app.lastFrame(),
          (t) => t.includes('▕'),
        ),
      );
    }
    // Where each bar ends, and the header with its figures blanked out.
    const shape = (t: string) => ({
      barEnds: lines(t)
        .filter((l) => l.includes('▕'))
        .map((l) => l.indexOf('▏')),
      header: [...(lines(t)[0] ?? '')].flatMap((c, i) => (c === '│' ? [i] : [])),
      headerLength: (lines(t)[0] ?? '').length,
    });
    const first = shape(frames[0] as string);
    expect(first.barEnds.length).toBeGreaterThan(1);
    for (const f of frames) expect(shape(f)).toEqual(first);
    // The counts really did change between those frames.
    expect(new Set(frames.map((f) => lines(f).find((l) => l.includes('▸w'))))).not.toHaveProperty(
      'size',
      1,
    );
  });

  it('a terminal too small for the panes says so instead of wrapping them into each other', async () => {
    const timeline = replayTimeline(demo.records);
    const small = render(
      <ReplayApp timeline={timeline} title="demo" size={{ width: 40, height: 12 }} />,
    );
    mounted.push(small);
    const note = await waitFor(
      () => small.lastFrame(),
      (t) => t.length > 0,
    );
    expect(note.replace(/\s+/g, ' ')).toContain(
      'The terminal is 40 × 12; the dashboard needs at least 60 × 16. Enlarge it, or press q to quit.',
    );
    const fits = render(
      <ReplayApp timeline={timeline} title="demo" size={{ width: 60, height: 16 }} />,
    );
    mounted.push(fits);
    const frame = await waitFor(
      () => fits.lastFrame(),
      (t) => t.includes('Event log'),
    );
    expect(frame).not.toContain('Enlarge it');
    expect(lines(frame).length).toBeLessThanOrEqual(16);
    expect(lines(frame).every((l) => l.length <= 60)).toBe(true);
  });

  it('a counterexample (check --open) names the broken invariant from the first frame, and where', async () => {
    const failed = demo.records.findIndex((r) => r.type === 'fault');
    const violation = { invariant: 'host.example', message: 'db-04 went wrong', index: failed };
    const timeline = replayTimeline(trace.records, { header: trace.header, start: trace.start });
    const open = (at: number) => {
      const app = render(
        <ReplayApp
          timeline={timeline}
          title="counterexample"
          at={at}
          violation={violation}
          size={{ width: 80, height: 24 }}
        />,
      );
      mounted.push(app);
      return app;
    };
    // The banner: the lines between the header and the rollouts' title.
    const banner = (t: string) => {
      const all = lines(t);
      return all
        .slice(
          1,
          all.findIndex((l) => l.includes('Rollouts (')),
        )
        .join(' ');
    };
    // Opened where check --open opens it: the violating record is the newest on screen.
    const at = open(failed + 1);
    const there = await waitFor(
      () => at.lastFrame(),
      (t) => t.includes('host.example'),
    );
    expect(banner(there)).toBe(
      `✗ host.example violated at record ${failed + 1} (the newest on screen): db-04 went wrong`,
    );
    // The banner costs its lines, not the frame: the screen still fits the terminal.
    expect(lines(there).length).toBeLessThan(24);
    // Elsewhere in the trace it stays, and says which way the record is.
    const start = open(0);
    const before = await waitFor(
      () => start.lastFrame(),
      (t) => t.includes('host.example'),
    );
    expect(banner(before)).toContain(`at record ${failed + 1} (ahead; g/G go there)`);
    await press(start.stdin, '$');
    const after = await waitFor(
      () => start.lastFrame(),
      (t) => t.includes('■ ended'),
    );
    expect(banner(after)).toContain(`at record ${failed + 1} (behind; g/G go there)`);
  });

  it('reads the file it replays: every record, in order, as the run emitted them', () => {
    expect(trace.records).toHaveLength(demo.records.length);
    expect(trace.records.map((r) => r.type)).toEqual(demo.records.map((r) => r.type));
    expect(trace.header.fleet.name).toBe('demo');
  });

  it('opens at a given step: the grid and the log are the run as of that record', async () => {
    // The step where db-04 fails on the control plane side.
    const failed = demo.records.findIndex(
      (r) => r.type === 'host_transition' && r.side === 'cp' && r.to === 'Failed',
    );
    const { until } = replay(failed + 1);
    const text = await until((t) => atRecord(t, failed + 1, demo.records.length));
    // Grid: db-04 Failed, wave 2 partly converged, waves 0 and 1 all converged.
    expect(text).toContain('F db-04');
    expect(text).toMatch(/w0 +C cache-01 C web-01 +C web-02/);
    expect(text).not.toMatch(/ R db-04/);
    // Log: the newest line is the record at the cursor.
    const log = logLines(text);
    expect(log.at(-1)).toContain('db-04 [cp] RemoteFailed Soaking→Failed');
    expect(text).toContain('❚❚ paused');
    // The rollout has not yet heard of it: still Active.
    expect(text).toContain('[Active]');
  });

  it('. and , step one record; ] and [ a minute; 0 and $ to the ends', async () => {
    const { app, until, frame } = replay();
    await until((t) => atRecord(t, '0'));
    expect(frame()).toContain('No rollout has opened yet.');
    await press(app.stdin, '.');
    await until((t) => atRecord(t, '1') && t.includes('stable@v1 opened'));
    await press(app.stdin, '.', '.');
    await until((t) => atRecord(t, '3'));
    await press(app.stdin, ',');
    await until((t) => atRecord(t, '2'));
    await press(app.stdin, ']');
    const minute = await until((t) => t.includes('sim 01:00.'));
    expect(position(minute)).toBe(trace.records.findIndex((r) => r.t > RUN_START + 60_000));
    await press(app.stdin, ']', ']', '[');
    await until((t) => t.includes('sim 02:00.'));
    await press(app.stdin, '$');
    const end = await until((t) => atRecord(t, demo.records.length));
    expect(end).toContain('■ ended');
    expect(logLines(end).at(-1)).toContain('end: terminal after 09:45.000');
    await press(app.stdin, '0');
    await until((t) => atRecord(t, '0'));
    await press(app.stdin, KEY.end);
    await until((t) => atRecord(t, demo.records.length));
    await press(app.stdin, KEY.home);
    await until((t) => atRecord(t, '0'));
  });

  it('n and N jump between rollout transitions; g and G between faults, selecting the host', async () => {
    const { app, until } = replay();
    await press(app.stdin, 'n');
    const first = await until((t) => t.includes('[Active]') && t.includes('Opening→Active'));
    expect(logLines(first).at(-1)).toContain('⇒ rollout Opening→Active');
    await press(app.stdin, 'n');
    const second = await until((t) => t.includes('[Failed]'));
    expect(logLines(second).at(-1)).toContain('⇒ rollout Active→Failed');
    await press(app.stdin, 'n');
    await until((t) => t.includes('no later rollout transition'));
    await press(app.stdin, 'N');
    await until((t) => t.includes('[Active]') && !t.includes('[Failed]'));
    await press(app.stdin, '0', 'g');
    const fault = await until((t) => t.includes('fault probe_failed on db-04'));
    expect(fault).toContain('Host db-04');
    await press(app.stdin, 'g', 'g');
    const later = await until((t) => /db-04 Soaking → Failed|stable@v1 Active → Failed/.test(t));
    expect(later).toContain('Host db-04');
    const at = position(later);
    await press(app.stdin, 'G');
    await until((t) => position(t) < at);
  });

  it('space plays at the chosen speed, + and - change it, and play stops at the end', async () => {
    const now = { t: 0 };
    const timeline = replayTimeline(trace.records, { header: trace.header, start: trace.start });
    const app = render(
      <ReplayApp
        timeline={timeline}
        title="demo.jsonl"
        size={{ width: 160, height: 48 }}
        now={() => now.t}
      />,
    );
    mounted.push(app);
    const frame = () => app.lastFrame() ?? '';
    await press(app.stdin, '+', '+', '+'); // ×10 → ×20 → ×50 → ×100
    await waitFor(frame, (t) => t.includes(' ×100 '));
    await press(app.stdin, '-');
    await waitFor(frame, (t) => t.includes(' ×50 '));
    await press(app.stdin, ' ');
    await waitFor(frame, (t) => t.includes('▶ running'));
    now.t += 2000; // two wall seconds at ×50: 100 simulated seconds
    await waitFor(frame, (t) => t.includes('sim 01:40.000'));
    expect(position(frame())).toBe(timeline.positionAt(RUN_START + 100_000));
    now.t += 100_000;
    await waitFor(frame, (t) => t.includes('■ ended'));
    await press(app.stdin, ' ');
    await waitFor(frame, (t) => t.includes('▶ running') && position(t) < 100);
    await press(app.stdin, ' ');
    await waitFor(frame, (t) => t.includes('❚❚ paused'));
  });

  it('shares the dashboard keys: filter, focus and selection, help', async () => {
    const { app, until } = replay(demo.records.length);
    await press(app.stdin, '/', ...'wave:0 kind:dispatch', KEY.enter);
    const filtered = await until((t) => t.includes('filter: wave:0 kind:dispatch'));
    expect(logLines(filtered).every((l) => /dispatch|DispatchAck/.test(l))).toBe(true);
    await press(app.stdin, KEY.down);
    await until((t) => t.includes('Host cache-02'));
    await press(app.stdin, KEY.tab, KEY.up);
    await until((t) => t.includes('scrolled back'));
    await press(app.stdin, '?');
    await until((t) => t.includes('to the next (n) or previous (N) rollout state transition'));
    await press(app.stdin, 'q');
    await until((t) => !t.includes('key closes'));
  });

  it('/ starts a new filter that replaces the one in force', async () => {
    const { app, until } = replay(demo.records.length);
    await press(app.stdin, '/', ...'wave:0', KEY.enter);
    await until((t) => t.includes('filter: wave:0'));
    await press(app.stdin, '/', ...'kind:dispatch', KEY.enter);
    const text = await until((t) => t.includes('filter: kind:dispatch'));
    expect(text).not.toContain('wave:0kind');
    expect(text).not.toContain('filter: wave:0');
  });

  it('q quits', async () => {
    const { app } = replay();
    await press(app.stdin, 'q');
    await tick(20);
    const frames = app.frames.length;
    await press(app.stdin, '.');
    expect(app.frames.length).toBe(frames);
  });

  it('a bad trace stops before the screen, with its line', () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${JSON.stringify({ type: 'header' })}\n`);
    expect(() => loadTrace(bad)).toThrow(InputError);
    expect(() => loadTrace(bad)).toThrow(/bad\.jsonl:1: header: /);
    const lines2 = [readFileSync(path, 'utf8').split('\n')[0], '{"type":"dispatch","t":1}'];
    writeFileSync(bad, `${lines2.join('\n')}\n`);
    expect(() => loadTrace(bad)).toThrow(/bad\.jsonl:2: rollout_id: missing field/);
    expect(() => loadTrace(join(dir, 'missing.jsonl'))).toThrow(
      /cannot read: no such file or directory \(ENOENT\)/,
    );
  });

  it('a trace with no end record is shown as far as it goes, and said to be incomplete', async () => {
    const cut = join(dir, 'no-end.jsonl');
    const all = readFileSync(path, 'utf8').trimEnd().split('\n');
    writeFileSync(cut, `${all.slice(0, -1).join('\n')}\n`);
    const loaded = loadTrace(cut);
    expect(loaded.complete).toBe(false);
    expect(loaded.records).toHaveLength(all.length - 2);
    expect(trace.complete).toBe(true);
    const note = incompleteBanner(loaded);
    expect(note).toBe(
      '⚠ incomplete trace: no "end" record, it stops at record 305 (was the run cut short?)',
    );
    const timeline = replayTimeline(loaded.records, { header: loaded.header, start: loaded.start });
    const app = render(
      <ReplayApp
        timeline={timeline}
        title="no-end.jsonl"
        incomplete={note}
        size={{ width: 160, height: 48 }}
      />,
    );
    mounted.push(app);
    const frame = () => app.lastFrame() ?? '';
    // Under the header from the first frame, as a counterexample's violation is.
    const shown = '⚠ incomplete trace: no "end" record, it stops at record 305';
    await waitFor(frame, (t) => t.includes(shown));
    await press(app.stdin, '$');
    await waitFor(frame, (t) => t.includes(shown) && /record 305\/305/.test(t));
  });

  it('plays a 10,000-host trace: seeks back and forth stay quick', async () => {
    const big = record('staged-10k');
    const timeline = replayTimeline(big.records, {});
    const playback = new Playback(timeline, { speedIndex: SPEEDS.length - 1 });
    const started = performance.now();
    for (const p of [big.records.length, 10, big.records.length - 5, 60_000, 59_999, 120_000, 1]) {
      playback.seek(p);
      timeline.seek(playback.position);
    }
    // Not a timing assertion: only that seeking back never replays from the start.
    expect(timeline.every).toBeLessThanOrEqual(Math.ceil(big.records.length / 100) + 1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(0);
    const app = render(
      <ReplayApp
        timeline={timeline}
        title="staged-10k"
        at={60_000}
        size={{ width: 140, height: 40 }}
      />,
    );
    mounted.push(app);
    const text = await waitFor(
      () => app.lastFrame(),
      (t) => atRecord(t, '60,000'),
    );
    expect(text).toContain('(bars)');
    await press(app.stdin, '$');
    const end = await waitFor(
      () => app.lastFrame(),
      (t) => t.includes('■ ended'),
    );
    expect(end).toMatch(/w3 +▕C+▏ +5,000 │ C 5,000/);
    // Back from the end: first the last transition (to Terminal), then the one before.
    await press(app.stdin, 'N');
    await waitFor(
      () => app.lastFrame(),
      (t) => atRecord(t, '133,905') || t.includes('[Terminal]'),
    );
    await press(app.stdin, 'N');
    await waitFor(
      () => app.lastFrame(),
      (t) => t.includes('[Active]'),
    );
  });
});

describe('Playback', () => {
  const timeline = new Timeline(metaFromFleet(demo.fleet, demo), demo.records);
  const clock = () => {
    let now = 0;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  };

  it('plays against the wall clock and stops at the end', () => {
    const c = clock();
    const playback = new Playback(timeline, { speedIndex: SPEEDS.indexOf(100), now: c.now });
    playback.togglePlay();
    c.advance(1000);
    expect(playback.tick()).toBe(true);
    expect(playback.time).toBeLessThanOrEqual(RUN_START + 100_000);
    expect(playback.position).toBe(timeline.positionAt(RUN_START + 100_000));
    c.advance(60_000);
    playback.tick();
    expect(playback.atEnd).toBe(true);
    expect(playback.playing).toBe(false);
  });

  it('seeks by time through quiet minutes', () => {
    const playback = new Playback(timeline, { speedIndex: 0 });
    playback.seekTime(RUN_START + 90_000);
    expect(playback.virtualNow).toBe(RUN_START + 90_000);
    expect(playback.position).toBe(timeline.positionAt(RUN_START + 90_000));
    // Clamped to the start: the records at time zero are then applied.
    playback.seekTime(RUN_START - 5);
    expect(playback.virtualNow).toBe(RUN_START);
    expect(playback.position).toBe(timeline.positionAt(RUN_START));
  });
});
