import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../sim/fleet/presets/index.ts';
import { profile } from '../../sim/profile.ts';
import { RUN_START } from '../../sim/world.ts';
import { LiveDriver, type Steppable } from '../../src/ui/live/driver.ts';
import { LiveSession } from '../../src/ui/live/session.ts';
import {
  DEFAULT_SPEED_INDEX,
  faster,
  SPEEDS,
  slower,
  speedLabel,
} from '../../src/ui/live/speed.ts';

/*
 * Pacing without a screen: the live driver against a fake wall clock. Time is
 * injected, so nothing here depends on how fast the machine is.
 */

/** Messages due every second of virtual time, up to `until` seconds. */
class Ticks implements Steppable {
  delivered: number[] = [];
  done = false;
  private next = RUN_START + 1000;
  constructor(private readonly until: number) {}
  peek(): number | null {
    return this.done || this.next > RUN_START + this.until * 1000 ? null : this.next;
  }
  step(): boolean {
    if (this.done) return false;
    if (this.peek() === null) {
      this.done = true;
      return false;
    }
    this.delivered.push(this.next);
    this.next += 1000;
    return true;
  }
}

function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('LiveDriver', () => {
  it('at ×1 delivers what falls due in real time, and no more', () => {
    const c = clock();
    const sim = new Ticks(100);
    const driver = new LiveDriver(sim, { start: RUN_START, speedIndex: 0, now: c.now });
    c.advance(2500);
    expect(driver.slice()).toBe('idle');
    expect(sim.delivered).toHaveLength(2);
    expect(driver.virtualNow).toBe(RUN_START + 2500);
    c.advance(1000);
    driver.slice();
    expect(sim.delivered).toHaveLength(3);
  });

  it('at ×100 a wall second covers a hundred virtual seconds', () => {
    const c = clock();
    const sim = new Ticks(1000);
    const driver = new LiveDriver(sim, {
      start: RUN_START,
      speedIndex: SPEEDS.indexOf(100),
      now: c.now,
    });
    c.advance(1000);
    driver.slice();
    expect(sim.delivered).toHaveLength(100);
  });

  it('pauses, steps one message at a time, and resumes', () => {
    const c = clock();
    const sim = new Ticks(100);
    const driver = new LiveDriver(sim, { start: RUN_START, speedIndex: 0, now: c.now });
    driver.togglePause();
    c.advance(10_000);
    expect(driver.slice()).toBe('idle');
    expect(sim.delivered).toHaveLength(0);
    driver.stepOne();
    driver.stepOne();
    expect(sim.delivered).toHaveLength(2);
    expect(driver.virtualNow).toBe(RUN_START + 2000);
    driver.togglePause();
    c.advance(1000);
    driver.slice();
    expect(sim.delivered).toHaveLength(3);
  });

  it('stops a slice when its time budget is spent, and reports it is behind', () => {
    let now = 0;
    // Every clock read costs a millisecond: the budget runs out after a few hundred steps.
    const sim = new Ticks(1_000_000);
    const driver = new LiveDriver(sim, {
      start: RUN_START,
      speedIndex: SPEEDS.length - 1,
      now: () => now++,
      sliceMs: 10,
    });
    expect(driver.slice()).toBe('behind');
    expect(sim.delivered.length).toBeGreaterThan(0);
    expect(sim.delivered.length).toBeLessThan(1000);
  });

  it('runs to the end and reports done', () => {
    const c = clock();
    const sim = new Ticks(5);
    const driver = new LiveDriver(sim, {
      start: RUN_START,
      speedIndex: SPEEDS.length - 1,
      now: c.now,
    });
    expect(driver.slice()).toBe('done');
    expect(driver.done).toBe(true);
  });

  it('hunts at full speed for the next fault, then pauses on it', () => {
    const c = clock();
    const fleet = (PRESETS.demo as NonNullable<(typeof PRESETS)['demo']>).build();
    const session = new LiveSession({
      fleet,
      profile: profile('faithful'),
      seed: 1,
      speedIndex: 0,
      now: c.now,
    });
    const before = session.marksSeen;
    session.driver.hunt(() => session.marksSeen > before);
    for (let i = 0; i < 1000 && session.driver.isHunting; i++) session.driver.slice();
    expect(session.driver.paused).toBe(true);
    expect(session.marks.at(-1)?.label).toMatch(/db-04/);
    expect(session.sim.done).toBe(false);
  });

  it('speeds go ×1 … ×10,000, then max', () => {
    expect(speedLabel(0)).toBe('×1');
    expect(speedLabel(DEFAULT_SPEED_INDEX)).toBe('×10');
    expect(speedLabel(SPEEDS.length - 2)).toBe('×10,000');
    expect(speedLabel(SPEEDS.length - 1)).toBe('max');
    expect(faster(SPEEDS.length - 1)).toBe(SPEEDS.length - 1);
    expect(slower(0)).toBe(0);
  });
});
