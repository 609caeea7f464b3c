import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { MACHINES } from '../../machines/catalog.ts';
import type { RolloutRecord } from '../../machines/rollout/state.ts';
import { MachineExplorer } from '../../src/ui/explorer/MachineExplorer.tsx';
import {
  applyEvent,
  defaultEvent,
  eventTypes,
  initialExplorer,
  outcomeOf,
  undo,
} from '../../src/ui/explorer/model.ts';
import { KEY, press, tick, waitFor } from './support.ts';

/*
 * The machine explorer: outcomes as the machine answers them, and the screen driven by
 * key presses only — including reaching all eight rollout states by hand.
 */

const mounted: { unmount: () => void }[] = [];
afterEach(() => {
  for (const m of mounted.splice(0)) m.unmount();
});

function explorer(machine: 'rollout' | 'host') {
  const app = render(<MachineExplorer machine={machine} size={{ width: 160, height: 50 }} />);
  mounted.push(app);
  const frame = () => app.lastFrame() ?? '';
  return { app, frame, until: (check: (t: string) => boolean) => waitFor(frame, check) };
}

const stateIs = (s: string) => (t: string) => new RegExp(`state ${s} +│`).test(t);

describe('explorer model', () => {
  it('asks the machine what each event does from the state it is in', () => {
    const opening = initialExplorer('rollout');
    const kinds = Object.fromEntries(
      eventTypes('rollout').map((t) => {
        const o = outcomeOf(opening, defaultEvent(opening, t));
        return [t, o.kind === 'transition' ? `→ ${o.to}` : o.kind];
      }),
    );
    expect(kinds).toEqual({
      RolloutOpened: 'illegal',
      HostJoined: '→ Active',
      HostStateChanged: 'illegal',
      WaveAdvanced: 'illegal',
      RolloutTerminal: 'illegal',
      SuccessorOpened: '→ Superseded',
      RetentionExpired: 'illegal',
      OperatorClearance: 'illegal',
    });
    const active = applyEvent(opening, defaultEvent(opening, 'HostJoined'));
    expect(outcomeOf(active, defaultEvent(active, 'HostJoined')).kind).toBe('no-op');
    expect(outcomeOf(active, defaultEvent(active, 'WaveAdvanced')).kind).toBe('self');
    const failed = applyEvent(active, {
      ...(defaultEvent(active, 'HostStateChanged') as object),
      to: 'Failed',
    } as never);
    expect(failed.record.state).toBe('Failed');
    expect(outcomeOf(failed, defaultEvent(failed, 'OperatorClearance')).kind).toBe('unimplemented');
    expect(undo(failed).record.state).toBe('Active');
    expect(undo(failed).visited).toContain('Failed');
  });

  it('host machine: seq regression before legality, invariants on convergence', () => {
    let s = initialExplorer('host');
    s = applyEvent(s, defaultEvent(s, 'LocalActivate'));
    s = applyEvent(s, defaultEvent(s, 'LocalActivationCompleted'));
    expect(s.record.state).toBe('Soaking');
    const stale = { ...(defaultEvent(s, 'RemoteDispatchAck') as object), seq: 1 } as never;
    expect(outcomeOf(s, stale).kind).toBe('seq regression');
    const offTarget = {
      ...(defaultEvent(s, 'LocalConvergedReached') as object),
      currentClosure: 'other-closure',
    } as never;
    expect(outcomeOf(s, offTarget).kind).toBe('invariant');
    expect(outcomeOf(s, defaultEvent(s, 'LocalConvergedReached')).to).toBe('Converged');
  });

  it('every event of both machines has a representative the machine accepts as input', () => {
    for (const machine of ['rollout', 'host'] as const) {
      const s = initialExplorer(machine);
      for (const type of MACHINES[machine].events) {
        expect(defaultEvent(s, type).type).toBe(type);
        expect(() => outcomeOf(s, defaultEvent(s, type))).not.toThrow();
      }
    }
  });
});

describe('machine explorer screen', () => {
  it('shows the state, the record, every event with its outcome, and the diagram', async () => {
    const { until } = explorer('rollout');
    const text = await until(stateIs('Opening'));
    expect(text).toMatch(/rollout-sim ▸ machine rollout │ state Opening +│ {3}0 steps │/);
    expect(text).toContain('[Opening]');
    expect(text).toMatch(/rollout_id +stable@v1/);
    expect(text).toMatch(/current_wave +0/);
    expect(text).toMatch(/▸ RolloutOpened +✗ IllegalForState/);
    expect(text).toMatch(/HostJoined +→ Active/);
    expect(text).toMatch(/SuccessorOpened +→ Superseded/);
    expect(text).toContain('from Opening HostJoined → Active · SuccessorOpened → Superseded');
    expect(text).toContain(
      'IllegalForState {"from":"Opening","event":"RolloutOpened","rollout_id":"stable@v1"}',
    );
    expect(text).toContain('↑/↓ choose · enter edit/apply');
  });

  it('reaches every rollout state by hand: pick, edit, apply, undo, reset', async () => {
    const { app, until } = explorer('rollout');
    await until(stateIs('Opening'));
    // Opening → Active: HostJoined as it is.
    await press(app.stdin, KEY.down, 'a');
    await until(stateIs('Active'));
    // Active → Converging: WaveAdvanced with to_wave not above from_wave (edited down to 0).
    await press(app.stdin, KEY.down, KEY.down, KEY.enter);
    await until((t) => t.includes('WaveAdvanced: editing'));
    await press(app.stdin, KEY.down, KEY.left);
    await until(
      (t) => /▸ to_wave +◂ 0 ▸/.test(t) && t.includes('result transition Active → Converging'),
    );
    await press(app.stdin, KEY.enter);
    await until(stateIs('Converging'));
    // Converging → Terminal → Superseded → Pruned.
    await press(app.stdin, KEY.down, 'a');
    await until(stateIs('Terminal'));
    await press(app.stdin, KEY.down, 'a');
    await until(stateIs('Superseded'));
    await press(app.stdin, KEY.down, 'a');
    const pruned = await until(stateIs('Pruned'));
    expect(pruned).toContain('from Pruned no event changes anything here');
    // Back to the start, then Active → Failed: HostStateChanged with to = Failed.
    await press(app.stdin, 'r');
    await until((t) => stateIs('Opening')(t) && t.includes('0 steps'));
    await press(app.stdin, KEY.up, KEY.up, KEY.up, KEY.up, KEY.up, 'a');
    await until(stateIs('Active'));
    await press(app.stdin, KEY.down, KEY.enter, KEY.down, KEY.down, KEY.right);
    await until((t) => /▸ to +◂ Failed ▸/.test(t));
    await press(app.stdin, KEY.enter);
    await until(stateIs('Failed'));
    // Undo, and the same event with to = Reverted.
    await press(app.stdin, 'u');
    await until(stateIs('Active'));
    await press(app.stdin, KEY.enter, KEY.down, KEY.down, KEY.right, KEY.right);
    await until((t) => /▸ to +◂ Reverted ▸/.test(t));
    await press(app.stdin, KEY.enter);
    const done = await until(stateIs('Reverted'));
    expect(done).toContain('visited 8/8 states');
    for (const s of [
      'Opening',
      'Active',
      'Converging',
      'Terminal',
      'Superseded',
      'Pruned',
      'Failed',
    ]) {
      expect(done).toContain(`✓${s}`);
    }
    expect(done).toContain('[Reverted]');
    expect(done).toContain(
      'taken Opening→Active · Active→Converging · Converging→Terminal · Terminal→Superseded · Superseded→Pruned · Active→Failed · Active→Reverted',
    );
  });

  it('host machine: apply, see effects, edit seq into a regression, toggle the policy, esc drops edits', async () => {
    const { app, until } = explorer('host');
    const start = await until(stateIs('Pending'));
    expect(start).toMatch(/LocalActivate +→ Activating/);
    expect(start).toMatch(/RemoteDispatchAck +→ Activating/);
    expect(start).toMatch(/LocalProbeResult +✗ IllegalForState/);
    expect(start).toContain('policy rollback-and-halt');
    await press(app.stdin, 'a');
    const activating = await until(stateIs('Activating'));
    expect(activating).toMatch(/1\. LocalActivate Pending → Activating/);
    // LocalActivationStarted: its effects are shown before it is applied.
    await press(app.stdin, KEY.down);
    await until((t) => t.includes('result self') && t.includes('effect 1 LocalEmitEvent'));
    // Edit its seq down to the last one: SeqRegression, from the machine.
    await press(app.stdin, KEY.enter);
    await until((t) => /▸ seq +◂ 2 ▸/.test(t));
    await press(app.stdin, KEY.left);
    await until((t) => /▸ seq +◂ 1 ▸/.test(t) && t.includes('result seq regression'));
    await press(app.stdin, KEY.escape);
    await until((t) => t.includes('LocalActivationStarted (enter to edit)'));
    await press(app.stdin, 'p');
    await until((t) => t.includes('policy halt'));
    await press(app.stdin, 'u');
    await until(stateIs('Pending'));
  });

  it('t shows the shortest path to a target state; n applies it step by step', async () => {
    const { app, until } = explorer('host');
    // Targets cycle through the states in order: Pending, Activating, …, Reverted.
    await press(app.stdin, ...'ttttttt');
    await until((t) =>
      t.includes(
        'path to Reverted 3 steps: LocalActivate → LocalActivationFailed → LocalRollbackCompleted',
      ),
    );
    await press(app.stdin, 'n');
    await until((t) => t.includes('2 steps: LocalActivationFailed') && stateIs('Activating')(t));
    await press(app.stdin, 'n', 'n');
    await until((t) => t.includes('path to Reverted reached ✓') && stateIs('Reverted')(t));
  });

  it('c shows the path to the cell (target state × chosen event)', async () => {
    const { app, until } = explorer('rollout');
    // Target Active; the chosen event is the list's third, HostStateChanged.
    await press(app.stdin, ...'tt', KEY.down, KEY.down, 'c');
    await until((t) => t.includes('path to Active × HostStateChanged 2 steps: HostJoined'));
    await press(app.stdin, 'n', 'n');
    await until((t) => t.includes('reached ✓'));
  });

  it('? shows the help; q quits', async () => {
    const { app, until } = explorer('rollout');
    await press(app.stdin, '?');
    await until((t) => t.includes('machine explorer — keys'));
    await press(app.stdin, 'x');
    await until((t) => !t.includes('machine explorer — keys'));
    await press(app.stdin, 'q');
    await tick(20);
    const frames = app.frames.length;
    await press(app.stdin, KEY.down);
    expect(app.frames.length).toBe(frames);
  });

  it('the record shown is the wire form `step` prints', async () => {
    const s = initialExplorer('rollout');
    const r = s.record as RolloutRecord;
    const { until } = explorer('rollout');
    const text = await until(stateIs('Opening'));
    expect(text).toMatch(
      new RegExp(`opened_at +${new Date(r.openedAt).toISOString().replace('.000Z', 'Z')}`),
    );
  });

  it('at 80 × 24 the header keeps the state, steps, clock, policy and visited, in fixed columns', async () => {
    const app = render(<MachineExplorer machine="host" size={{ width: 80, height: 24 }} />);
    mounted.push(app);
    const head = () => (app.lastFrame() ?? '').split('\n')[0] ?? '';
    const before = await waitFor(head, (t) => t.includes('Pending'));
    expect(before).toBe(
      '▸ host │ Pending    │   0 steps │ +00:00.000 │ rollback-and-halt │ 1/7 visited',
    );
    await press(app.stdin, 'a'); // LocalActivate
    const after = await waitFor(head, (t) => t.includes('Activating'));
    expect(after).toBe(
      '▸ host │ Activating │   1 step  │ +01:00.000 │ rollback-and-halt │ 2/7 visited',
    );
  });

  it('in a terminal too small for its columns, says what it needs; from 70 × 20 it fits', async () => {
    const small = render(<MachineExplorer machine="host" size={{ width: 40, height: 12 }} />);
    mounted.push(small);
    const note = await waitFor(
      () => small.lastFrame(),
      (t) => t.includes('Enlarge'),
    );
    expect(note.replace(/\s+/g, ' ')).toContain(
      'The terminal is 40 × 12; the explorer needs at least 70 × 20. Enlarge it, or press q to quit.',
    );
    const fits = render(<MachineExplorer machine="host" size={{ width: 70, height: 20 }} />);
    mounted.push(fits);
    const frame = await waitFor(
      () => fits.lastFrame(),
      (t) => t.includes('Pending'),
    );
    const rows = frame.split('\n');
    expect(rows.length).toBeLessThanOrEqual(20);
    expect(rows.every((l) => [...l].length <= 70)).toBe(true);
  });
});
