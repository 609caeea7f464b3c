import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { Fleet } from '../../sim/fleet/fleet.ts';
import { generateFleet } from '../../sim/fleet/generate.ts';
import { PRESETS } from '../../sim/fleet/presets/index.ts';
import { profile } from '../../sim/profile.ts';
import { simulate } from '../../sim/simulate.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';
import { RUN_START } from '../../sim/world.ts';
import { BlockedHosts } from '../../src/ui/components/BlockedHosts.tsx';
import { LIVE_KEYS, LiveApp } from '../../src/ui/live/LiveApp.tsx';
import { LiveSession } from '../../src/ui/live/session.ts';
import { SPEEDS } from '../../src/ui/live/speed.ts';
import { abbreviateHosts, blockedLines } from '../../src/ui/model/blocked.ts';
import { replayTimeline } from '../../src/ui/replay/open.ts';
import { REPLAY_KEYS, ReplayApp } from '../../src/ui/replay/ReplayApp.tsx';
import { KEY, lines, press, waitFor } from './support.ts';

/*
 * `b`, the blocked hosts: on the README's example fleet (which stalls on the faithful
 * compliance count) the screen names every group the run's own summary names, at 80 × 24,
 * scrolling; mid-run it shows what holds each waiting host at that moment; with nothing
 * held it says so.
 */

const EXAMPLE = generateFleet({
  hosts: 40,
  waves: 4,
  channels: 2,
  probeFailureRate: 0.05,
  dropRate: 0.02,
});
const FAITHFUL = profile('faithful');
const records: TraceRecord[] = [];
const { summary } = simulate({
  fleet: EXAMPLE,
  profile: FAITHFUL,
  seed: 7,
  sink: (r) => records.push(r),
});
const SMALL = { width: 80, height: 24 };

const mounted: { unmount: () => void }[] = [];
afterEach(() => {
  for (const m of mounted.splice(0)) m.unmount();
});

function replay(at: number) {
  const timeline = replayTimeline(records, {});
  const app = render(
    <ReplayApp
      timeline={timeline}
      title="example"
      at={at}
      size={SMALL}
      world={{ fleet: EXAMPLE, flags: FAITHFUL.flags }}
    />,
  );
  mounted.push(app);
  const frame = () => app.lastFrame() ?? '';
  return { app, frame, until: (check: (t: string) => boolean) => waitFor(frame, check) };
}

/**
 * The pane's whole text, top to bottom, read by pressing ↓ until it shows its last line:
 * each frame's lines are put at the place its `a–b/n` says they start.
 */
async function scrollAll(app: { stdin: { write(s: string): void } }, frame: () => string) {
  const doc: string[] = [];
  for (let i = 0; i < 60; i++) {
    const all = lines(frame());
    const top = all.findIndex((l) => l.includes('Blocked hosts at'));
    const m = /Blocked hosts at \S+ (\d+)–(\d+)\/(\d+)/.exec(all[top] ?? '');
    const from = m === null ? 1 : Number(m[1]);
    const to = m === null ? all.length : Number(m[2]);
    all.slice(top + 1, top + 1 + to - from + 1).forEach((l, k) => {
      doc[from - 1 + k] = l.replace(/^│ */, '').replace(/ *│$/, '');
    });
    if (m === null || m[2] === m[3]) break;
    await press(app.stdin, KEY.down);
  }
  return doc;
}

describe('the blocked-hosts screen', () => {
  it('is a key of both screens, in the footer and the help', () => {
    for (const keys of [LIVE_KEYS, REPLAY_KEYS]) {
      const b = keys.find((k) => k.key === 'b');
      expect(b?.does).toBe('blocked');
      expect(b?.long).toContain('whether it can ever clear');
    }
  });

  it('at the end of a run cut at its horizon: what was still going on, above the holds', async () => {
    const cut: TraceRecord[] = [];
    const fleet = PRESETS.demo?.build() as Fleet;
    simulate({ fleet, profile: FAITHFUL, seed: 1, untilSeconds: 300, sink: (r) => cut.push(r) });
    const app = render(
      <ReplayApp
        timeline={replayTimeline(cut, {})}
        title="demo"
        at={cut.length}
        size={SMALL}
        world={{ fleet, flags: FAITHFUL.flags }}
      />,
    );
    mounted.push(app);
    const frame = () => app.lastFrame() ?? '';
    await waitFor(frame, (t) => t.includes('◆ NOT SETTLED'));
    await press(app.stdin, 'b');
    const open = await waitFor(frame, (t) => t.includes('Blocked hosts at +5m00s'));
    for (const l of lines(open)) expect(l.length).toBeLessThanOrEqual(80);
    const prose = lines(open)
      .map((l) => l.replace(/^│ */, '').replace(/ *│$/, '').trim())
      .join(' ');
    expect(prose).toContain(
      'not settled at the horizon: • cache-01 is Soaking on stable@v1, and its host will still move it',
    );
    expect(prose).toContain('21 hosts held now');
  });

  it('at the end of the stalled example: every group of the summary, at 80 × 24, scrolling', async () => {
    const { app, frame, until } = replay(records.length);
    await until((t) => t.includes('▲ STALLED'));
    await press(app.stdin, 'b');
    const first = await until((t) => t.includes('Blocked hosts at +6m15s'));
    expect(first).toContain('stalled: 39 hosts wait on something that will not happen');
    expect(first).toContain('ring-1@v1: 19 hosts held');
    expect(first).toContain(
      'compliance-wave: 1 failing enforce controls in earlier waves — 1 host',
    );
    expect(first).toContain('since +5m15s · host-02');
    expect(first).toContain('✗ never clears: the compliance count is append-only (faithful)');
    expect(lines(first).length).toBeLessThanOrEqual(24);
    for (const l of lines(first)) expect(l.length).toBeLessThanOrEqual(80);

    const doc = await scrollAll(app, frame);
    expect(doc.every((l) => l !== undefined)).toBe(true);
    const seen = doc.join('\n');
    // Wrapped lines joined again: each group's verdict reads exactly as the summary has it.
    const prose = doc.map((l) => l.trim()).join(' ');
    const groups = summary.stall?.groups ?? [];
    expect(groups.length).toBe(4);
    for (const g of groups) {
      expect(seen).toContain(`${g.gate}: ${g.reason} — ${g.hosts.length} host`);
      expect(prose).toContain(`✗ never clears: ${g.why} (spec ${g.spec})`);
    }
    // Long host lists keep their ends and their count.
    expect(seen).toMatch(/since \+5m15s · host-05, host-06, .* … host-20 \(16\)/);
    expect(seen).toMatch(/since \+0s · host-21, .* … host-40 \(20\)/);
    expect(seen).toContain('ring-2@v1: 20 hosts held');

    // ↑ moves at once after ↓ went past the end; b closes and the grid is back.
    for (let i = 0; i < 5; i++) await press(app.stdin, KEY.down);
    const bottom = frame();
    await press(app.stdin, KEY.up);
    expect(frame()).not.toBe(bottom);
    await press(app.stdin, 'b');
    await until((t) => !t.includes('Blocked hosts') && t.includes('Hosts of'));
  });

  it('mid-run in replay: what holds each host at the cursor, and whether it may clear', async () => {
    // Two minutes in: ring-1 is still on wave 0, nothing is stuck for good yet.
    const at = records.findIndex((r) => r.t >= RUN_START + 120_000);
    const { app, frame, until } = replay(at);
    await press(app.stdin, 'b');
    const text = await until((t) => t.includes('Blocked hosts at'));
    expect(text).toMatch(/39 hosts held now, 4 groups, 0 that never clear/);
    const seen = (await scrollAll(app, frame)).join('\n');
    expect(seen).toContain('wave-promotion: wave 1 > current wave 0 — 1 host');
    expect(seen).toContain('… may clear: waits for wave 0 of ring-1@v1 to complete');
    expect(seen).toContain('waits on the predecessor ring-1@v1 (Active) to reach');
    expect(seen).not.toContain('never clears');
    // The cursor moves with the screen open: at the end the holds are for good.
    await press(app.stdin, '$');
    await until((t) => t.includes('Blocked hosts at +6m15s') && t.includes('✗ never clears'));
    // At the start nothing has been held yet.
    await press(app.stdin, '0');
    await until((t) => t.includes('nothing is blocked'));
  });

  it('live: the holds of the running simulation, and the stall once it ends', async () => {
    const session = new LiveSession({
      fleet: EXAMPLE,
      profile: FAITHFUL,
      seed: 7,
      speedIndex: SPEEDS.length - 1,
    });
    const app = render(<LiveApp session={session} size={SMALL} />);
    mounted.push(app);
    const frame = () => app.lastFrame() ?? '';
    await press(app.stdin, 'b');
    const text = await waitFor(frame, (t) => t.includes('stalled: 39 hosts wait'));
    expect(text).toContain('ring-1@v1: 19 hosts held');
    expect(session.blocks().stall).toEqual(summary.stall);
  });

  it('says so when nothing is blocked', () => {
    const { lastFrame, unmount } = render(
      <BlockedHosts
        stall={null}
        stalled={false}
        at="+0s"
        start={0}
        offset={0}
        width={80}
        height={10}
      />,
    );
    expect(lastFrame()).toContain('nothing is blocked');
    unmount();
  });
});

describe('host lists', () => {
  const hosts = Array.from({ length: 39 }, (_, i) => `host-${String(i + 2).padStart(2, '0')}`);
  it('keep the first names that fit, the last one and the count', () => {
    expect(abbreviateHosts(hosts, 24)).toBe('host-02 … host-40 (39)');
    expect(abbreviateHosts(hosts, 33)).toBe('host-02, host-03 … host-40 (39)');
    expect(abbreviateHosts(['a', 'b'], 80)).toBe('a, b');
  });

  it('lines never pass the width they are laid out for', () => {
    for (const width of [40, 60, 76]) {
      const out = blockedLines(summary.stall, { width, start: RUN_START, stalled: true });
      for (const l of out) expect(l.text.length).toBeLessThanOrEqual(width);
    }
  });
});
