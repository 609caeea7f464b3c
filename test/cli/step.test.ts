import { Readable } from 'node:stream';
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { HOST_EVENT_TYPES, type HostEvent } from '../../machines/host/event.ts';
import { hostStep } from '../../machines/host/step.ts';
import { rolloutStep } from '../../machines/rollout/step.ts';
import { SPEC_EVENTS, SPEC_LEGAL_PAIRS, SPEC_STATES } from '../../sim/spec-model/host.ts';
import { MAX_STEP_LINE_CHARS, runStep } from '../../src/cli/step.ts';
import {
  encodeHostStepInput,
  encodeRolloutStepInput,
  hostStepOutput,
  rolloutStepOutput,
} from '../../src/codec/index.ts';
import * as A from '../arbitraries/index.ts';
import {
  CURSOR,
  type HostCell,
  hostCellKey,
  hostCells,
  ROLLOUT_EVENT_COLUMNS,
  ROLLOUT_STATE_ROWS,
  type RolloutCell,
  rolloutCells,
  WAVE_CASES,
} from './cells.ts';
import { type CliRun, outputLines, runCli, SPAWN_HOOK_TIMEOUT, STACK_TRACE } from './run-cli.ts';

/*
 * `rollout-sim step` end to end: the real bin, spawned once per batch of lines, against
 * the library (`rolloutStep` / `hostStep` through the codecs) and against literal JSON.
 */

/** The library's answer to a cell, as the wire line the CLI must print. */
function libraryLine(cell: RolloutCell | HostCell): string {
  return cell.kind === 'rollout'
    ? JSON.stringify(rolloutStepOutput.encode(rolloutStep(cell.record, cell.event)))
    : JSON.stringify(hostStepOutput.encode(hostStep(cell.record, cell.event, cell.policy)));
}

function inputLine(cell: RolloutCell | HostCell): string {
  return cell.kind === 'rollout'
    ? JSON.stringify(encodeRolloutStepInput({ record: cell.record, event: cell.event }))
    : JSON.stringify(
        encodeHostStepInput({ host: cell.record, event: cell.event, policy: cell.policy }),
      );
}

function expectClean(run: CliRun): void {
  expect(run.signal).toBeNull();
  expect(run.stderr).toBe('');
  expect(run.stdout).not.toMatch(STACK_TRACE);
}

// ---------------------------------------------------------------------------------------
// Hand-written wire JSON, in and out, for a few cells.

const T = '2026-05-16T01:00:00Z';

const ROLLOUT_WIRE = {
  rollout_id: 'stable@a1',
  channel: 'stable',
  target_ref: 'a1',
  state: 'Opening',
  current_wave: 0,
  opened_event_log_seq: null,
  last_transition_event_log_seq: null,
  opened_at: T,
  terminal_at: null,
  superseded_at: null,
};

const HOST_WIRE = {
  rollout_id: 'stable@a1',
  hostname: 'web-01',
  channel: 'stable',
  state: 'Pending',
  target_closure: '/nix/store/aaa-system',
  current_closure_at_dispatch: null,
  current_closure: null,
  reverted_to: null,
  dispatched_at: T,
  dispatch_acked_at: null,
  activation_started_at: null,
  activation_completed_at: null,
  activation_failed_at: null,
  probe_observed_first_at: null,
  probe_failure_first_at: null,
  soak_due_at: '2026-05-16T02:00:00Z',
  converged_at: null,
  failed_at: null,
  policy_applied: null,
  reverted_at: null,
  probes: {},
  last_event_seq: 0,
};

const SOAKING_WIRE = {
  ...HOST_WIRE,
  state: 'Soaking',
  current_closure_at_dispatch: '/nix/store/old-system',
  current_closure: '/nix/store/aaa-system',
  dispatch_acked_at: '2026-05-16T01:00:05Z',
  activation_completed_at: '2026-05-16T01:01:00Z',
  last_event_seq: 4,
};

const FAILED_WIRE = {
  ...SOAKING_WIRE,
  state: 'Failed',
  failed_at: '2026-05-16T01:30:00Z',
  policy_applied: 'rollback-and-halt',
  last_event_seq: 9,
};

const HALT_POLICY = { on_health_failure: 'halt' };
const ROLLBACK_POLICY = { on_health_failure: 'rollback-and-halt' };

interface LiteralCase {
  readonly name: string;
  readonly input: unknown;
  readonly output: unknown;
}

const LITERAL: readonly LiteralCase[] = [
  {
    name: 'Opening + HostJoined{wave 2} (the README example): Active, cursor stays 0',
    input: {
      record: ROLLOUT_WIRE,
      event: { HostJoined: { rollout_id: 'stable@a1', host_id: 'web-01', wave: 2, at: T } },
    },
    output: {
      ok: true,
      record: { ...ROLLOUT_WIRE, state: 'Active' },
      effects: [
        {
          RecordRolloutTransition: {
            rollout_id: 'stable@a1',
            from: 'Opening',
            to: 'Active',
            at: T,
          },
        },
      ],
    },
  },
  {
    name: 'Converging + WaveAdvanced{1→3} at cursor 2: →Active, then UpdateCurrentWave',
    input: {
      record: { ...ROLLOUT_WIRE, state: 'Converging', current_wave: 2 },
      event: {
        WaveAdvanced: {
          rollout_id: 'stable@a1',
          from_wave: 1,
          to_wave: 3,
          at: '2026-05-16T02:00:00Z',
        },
      },
    },
    output: {
      ok: true,
      record: { ...ROLLOUT_WIRE, state: 'Active', current_wave: 3 },
      effects: [
        {
          RecordRolloutTransition: {
            rollout_id: 'stable@a1',
            from: 'Converging',
            to: 'Active',
            at: '2026-05-16T02:00:00Z',
          },
        },
        { UpdateCurrentWave: { rollout_id: 'stable@a1', wave: 3 } },
      ],
    },
  },
  {
    name: 'Active + RolloutTerminal at an offset timestamp: terminal_at written in UTC',
    input: {
      record: { ...ROLLOUT_WIRE, state: 'Active' },
      event: { RolloutTerminal: { rollout_id: 'stable@a1', at: '2026-05-16T05:30:00.25+02:00' } },
    },
    output: {
      ok: true,
      record: { ...ROLLOUT_WIRE, state: 'Terminal', terminal_at: '2026-05-16T03:30:00.250Z' },
      effects: [
        {
          RecordRolloutTransition: {
            rollout_id: 'stable@a1',
            from: 'Active',
            to: 'Terminal',
            at: '2026-05-16T03:30:00.250Z',
          },
        },
      ],
    },
  },
  {
    name: 'Pruned + HostJoined: IllegalForState',
    input: {
      record: { ...ROLLOUT_WIRE, state: 'Pruned' },
      event: { HostJoined: { rollout_id: 'other@x', host_id: 'web-01', wave: 0, at: T } },
    },
    output: {
      ok: false,
      error: { IllegalForState: { from: 'Pruned', event: 'HostJoined', rollout_id: 'stable@a1' } },
    },
  },
  {
    name: 'Failed + OperatorClearance: Unimplemented',
    input: {
      record: { ...ROLLOUT_WIRE, state: 'Failed' },
      event: {
        OperatorClearance: { rollout_id: 'stable@a1', operator: 'alice', reason: 'ok', at: T },
      },
    },
    output: { ok: false, error: { Unimplemented: { from: 'Failed', event: 'OperatorClearance' } } },
  },
  {
    name: 'Pending + LocalActivate: RecordTransition, LocalEmitEvent(DispatchAck), LocalFireSwitch',
    input: {
      host: HOST_WIRE,
      event: {
        LocalActivate: {
          current_closure_at_dispatch: '/nix/store/old-system',
          target_closure: '/nix/store/ignored',
          received_at: '2026-05-16T01:00:05Z',
          soak_due_at: '2026-05-16T09:00:00Z',
          seq: 1,
        },
      },
      policy: HALT_POLICY,
    },
    output: {
      ok: true,
      host: {
        ...HOST_WIRE,
        state: 'Activating',
        current_closure_at_dispatch: '/nix/store/old-system',
        dispatch_acked_at: '2026-05-16T01:00:05Z',
        last_event_seq: 1,
      },
      effects: [
        {
          RecordTransition: {
            host: 'web-01',
            rollout_id: 'stable@a1',
            from: 'Pending',
            to: 'Activating',
            at: '2026-05-16T01:00:05Z',
          },
        },
        {
          LocalEmitEvent: {
            rollout_id: 'stable@a1',
            payload: {
              DispatchAck: {
                current_closure_at_dispatch: '/nix/store/old-system',
                received_at: '2026-05-16T01:00:05Z',
                seq: 1,
              },
            },
            durable: true,
          },
        },
        { LocalFireSwitch: { rollout_id: 'stable@a1', target: '/nix/store/aaa-system' } },
      ],
    },
  },
  {
    name: 'Soaking + LocalSustainedFailureCrossed{rollback-and-halt}: Failed, then LocalFireRollbackTo',
    input: {
      host: SOAKING_WIRE,
      event: {
        LocalSustainedFailureCrossed: {
          failed_at: '2026-05-16T01:30:00Z',
          sustained_duration_secs: 120,
          failing_probes: ['nginx'],
          policy_applied: 'rollback-and-halt',
          seq: 9,
        },
      },
      policy: HALT_POLICY,
    },
    output: {
      ok: true,
      host: {
        ...SOAKING_WIRE,
        state: 'Failed',
        failed_at: '2026-05-16T01:30:00Z',
        policy_applied: 'rollback-and-halt',
        last_event_seq: 9,
      },
      effects: [
        {
          LocalEmitEvent: {
            rollout_id: 'stable@a1',
            payload: {
              Failed: {
                failed_at: '2026-05-16T01:30:00Z',
                sustained_duration_secs: 120,
                failing_probes: ['nginx'],
                policy_applied: 'rollback-and-halt',
                seq: 9,
              },
            },
            durable: true,
          },
        },
        {
          RecordTransition: {
            host: 'web-01',
            rollout_id: 'stable@a1',
            from: 'Soaking',
            to: 'Failed',
            at: '2026-05-16T01:30:00Z',
          },
        },
        { LocalFireRollbackTo: { rollout_id: 'stable@a1', closure: '/nix/store/old-system' } },
      ],
    },
  },
  {
    name: 'Failed + RemoteRollbackComplete: Reverted, with the quarantine of (channel, target_closure)',
    input: {
      host: FAILED_WIRE,
      event: {
        RemoteRollbackComplete: {
          reverted_to_closure: '/nix/store/old-system',
          exit_code: 0,
          completed_at: '2026-05-16T01:31:00Z',
          seq: 10,
        },
      },
      policy: ROLLBACK_POLICY,
    },
    output: {
      ok: true,
      host: {
        ...FAILED_WIRE,
        state: 'Reverted',
        current_closure: '/nix/store/old-system',
        reverted_to: '/nix/store/old-system',
        reverted_at: '2026-05-16T01:31:00Z',
        last_event_seq: 10,
      },
      effects: [
        {
          RemoteAppendEventLog: {
            host: 'web-01',
            rollout_id: 'stable@a1',
            payload: {
              RollbackComplete: {
                reverted_to_closure: '/nix/store/old-system',
                exit_code: 0,
                completed_at: '2026-05-16T01:31:00Z',
                seq: 10,
              },
            },
          },
        },
        { RemoteInsertQuarantine: { channel: 'stable', closure: '/nix/store/aaa-system' } },
        {
          RecordTransition: {
            host: 'web-01',
            rollout_id: 'stable@a1',
            from: 'Failed',
            to: 'Reverted',
            at: '2026-05-16T01:31:00Z',
          },
        },
      ],
    },
  },
  {
    name: 'Reverted + a stale LocalActivate: SeqRegression, not IllegalForState',
    input: {
      host: { ...FAILED_WIRE, state: 'Reverted', last_event_seq: 10 },
      event: {
        LocalActivate: {
          current_closure_at_dispatch: 'x',
          target_closure: 'y',
          received_at: T,
          soak_due_at: T,
          seq: 3,
        },
      },
      policy: HALT_POLICY,
    },
    output: {
      ok: false,
      error: { SeqRegression: { got: 3, last: 10, rollout_id: 'stable@a1', hostname: 'web-01' } },
    },
  },
  {
    name: 'Soaking + LocalConvergedReached off target: the Invariant newtype',
    input: {
      host: SOAKING_WIRE,
      event: {
        LocalConvergedReached: {
          converged_at: '2026-05-16T03:00:00Z',
          current_closure: '/nix/store/bbb-system',
          seq: 5,
        },
      },
      policy: HALT_POLICY,
    },
    output: {
      ok: false,
      error: { Invariant: 'Converged event: current_closure != target_closure' },
    },
  },
  {
    name: 'Converged + RemoteConverged: IllegalForState names the host',
    input: {
      host: { ...SOAKING_WIRE, state: 'Converged' },
      event: {
        RemoteConverged: { converged_at: T, current_closure: '/nix/store/aaa-system', seq: 5 },
      },
      policy: HALT_POLICY,
    },
    output: {
      ok: false,
      error: {
        IllegalForState: {
          from: 'Converged',
          event: 'RemoteConverged',
          rollout_id: 'stable@a1',
          hostname: 'web-01',
        },
      },
    },
  },
];

// ---------------------------------------------------------------------------------------

describe('step: every table cell through one CLI process', () => {
  const rollout = rolloutCells();
  const host = hostCells();
  const cells: (RolloutCell | HostCell)[] = [...rollout, ...host];
  const lines = [...cells.map(inputLine), ...LITERAL.map((c) => JSON.stringify(c.input))];
  let run: CliRun;
  let answers: string[];

  beforeAll(() => {
    run = runCli(['step'], `${lines.join('\n')}\n`);
    answers = outputLines(run.stdout);
  }, SPAWN_HOOK_TIMEOUT);

  test('the input covers all 64 cells of §1.4 and the WaveAdvanced / HostStateChanged sub-cases', () => {
    const seen = new Set(rollout.map((c) => `${c.record.state}×${c.event.type}`));
    expect(seen.size).toBe(64);
    for (const s of ROLLOUT_STATE_ROWS) {
      for (const e of ROLLOUT_EVENT_COLUMNS) expect(seen.has(`${s}×${e}`), `${s}×${e}`).toBe(true);
    }
    const waves = rollout.filter((c) => c.event.type === 'WaveAdvanced');
    // Every §1.5 branch at every state: forward past / at / below the cursor, equal, backward.
    expect(waves.length).toBe(8 * WAVE_CASES.length * 2);
    for (const w of waves) {
      if (w.event.type !== 'WaveAdvanced') throw new Error('unreachable');
      expect(w.record.currentWave).toBe(CURSOR);
    }
    const hsc = rollout.filter((c) => c.event.type === 'HostStateChanged');
    expect(
      new Set(hsc.map((c) => (c.event.type === 'HostStateChanged' ? c.event.to : ''))).size,
    ).toBe(7);
  });

  test('the input covers all 7 × 24 cells of §3.8 under both policies', () => {
    const keys = new Set(host.map((c) => hostCellKey(c.record.state, c.event.type)));
    expect(keys.size).toBe(168);
    for (const s of SPEC_STATES)
      for (const e of SPEC_EVENTS) expect(keys.has(hostCellKey(s, e))).toBe(true);
    expect(new Set(HOST_EVENT_TYPES)).toEqual(new Set(SPEC_EVENTS));
    for (const p of ['halt', 'rollback-and-halt']) {
      expect(host.filter((c) => c.policy.onHealthFailure === p).length).toBeGreaterThanOrEqual(168);
    }
  });

  test('exit 0 (domain refusals are answers), nothing on stderr, one line per input line', () => {
    expect(run.status).toBe(0);
    expectClean(run);
    expect(answers).toHaveLength(lines.length);
  });

  test('each answer equals the library step encoded with the codecs, line by line', () => {
    const mismatches: string[] = [];
    cells.forEach((cell, i) => {
      const want = libraryLine(cell);
      if (answers[i] !== want)
        mismatches.push(`line ${i + 1} (${cell.label}):\n  got  ${answers[i]}\n  want ${want}`);
    });
    expect(mismatches).toEqual([]);
  });

  test('the answers are not all alike: the table has successes and every kind of refusal', () => {
    const kinds = new Set(
      answers.slice(0, cells.length).map((a) => {
        const o = JSON.parse(a) as { ok: boolean; error?: Record<string, unknown> };
        return o.ok ? 'ok' : Object.keys(o.error ?? {})[0];
      }),
    );
    expect(kinds).toEqual(
      new Set(['ok', 'IllegalForState', 'Unimplemented', 'SeqRegression', 'Invariant']),
    );
    // The 28 legal host pairs each succeed at least once (both policies, seq + 1).
    const legal = new Set(SPEC_LEGAL_PAIRS.map(([s, e]) => hostCellKey(s, e)));
    const succeeded = new Set<string>();
    cells.forEach((cell, i) => {
      if (cell.kind === 'host' && (JSON.parse(answers[i] ?? '{}') as { ok: boolean }).ok) {
        succeeded.add(hostCellKey(cell.record.state, cell.event.type));
      }
    });
    expect(succeeded).toEqual(legal);
  });

  test('probe names like __proto__ and toString are ordinary map keys end to end', () => {
    let seen = 0;
    cells.forEach((cell, i) => {
      const named = /probe named (\w+)$/.exec(cell.label);
      if (named === null) return;
      seen++;
      const answer = JSON.parse(answers[i] ?? '') as { ok: boolean; host?: { probes: object } };
      if (cell.label.startsWith('RemoteConverged')) {
        expect(answer).toEqual({
          ok: false,
          error: { Invariant: 'Converged event: at least one enforce-mode probe is not Pass' },
        });
      } else {
        expect(answer.ok).toBe(true);
        expect(Object.keys(answer.host?.probes ?? {})).toContain(named[1]);
        expect(Object.getPrototypeOf(answer.host?.probes)).toBe(Object.prototype);
      }
    });
    expect(seen).toBe(6);
  });

  describe('hand-picked cells against literal JSON', () => {
    LITERAL.forEach((c, k) => {
      test(c.name, () => {
        expect(answers[cells.length + k]).toBe(JSON.stringify(c.output));
      });
    });
  });
});

// ---------------------------------------------------------------------------------------

const GOOD_ROLLOUT = JSON.stringify(LITERAL[0]?.input);
const GOOD_ROLLOUT_ANSWER = JSON.stringify(LITERAL[0]?.output);
const STALE_HOST = JSON.stringify(LITERAL.find((c) => c.name.includes('SeqRegression'))?.input);
const STALE_HOST_ANSWER = JSON.stringify(
  LITERAL.find((c) => c.name.includes('SeqRegression'))?.output,
);
const EITHER =
  'expected a rollout step input {"record", "event"} or a host step input {"host", "event", "policy"}';

const withEvent = (event: unknown) => JSON.stringify({ record: ROLLOUT_WIRE, event });
const joined = (fields: Record<string, unknown>) =>
  withEvent({
    HostJoined: { rollout_id: 'stable@a1', host_id: 'web-01', wave: 2, at: T, ...fields },
  });

/** [input line, exact InvalidInput message] — or null for a good line and its answer. */
const MIXED: readonly (readonly [string, string | null, string?])[] = [
  [GOOD_ROLLOUT, null, GOOD_ROLLOUT_ANSWER],
  ['not json', 'not valid JSON: invalid literal at column 1'],
  [
    withEvent({ HostLeft: { rollout_id: 'stable@a1' } }),
    'event: unknown variant "HostLeft", expected one of RolloutOpened, HostJoined, HostStateChanged, WaveAdvanced, RolloutTerminal, SuccessorOpened, RetentionExpired, OperatorClearance',
  ],
  [joined({ wave: '2' }), 'event.HostJoined.wave: expected an integer 0..4294967295, got "2"'],
  [joined({ wave: -1 }), 'event.HostJoined.wave: expected an integer 0..4294967295, got -1'],
  [
    withEvent({ HostJoined: { rollout_id: 'stable@a1', wave: 2, at: T } }),
    'event.HostJoined.host_id: missing field',
  ],
  [
    joined({ at: '2026-02-30T01:00:00Z' }),
    'event.HostJoined.at: expected an RFC 3339 timestamp, got "2026-02-30T01:00:00Z"',
  ],
  [GOOD_ROLLOUT, null, GOOD_ROLLOUT_ANSWER],
  ['[1,2]', `${EITHER}, got an array`],
  ['42', `${EITHER}, got 42`],
  ['{"foo":1}', `${EITHER}, got an object with neither "record" nor "host"`],
  ['null', `${EITHER}, got null`],
  ['{"record":{}}', 'record.rollout_id: missing field'],
  [
    JSON.stringify({
      record: { ...ROLLOUT_WIRE, state: 'Done' },
      event: { RolloutTerminal: { rollout_id: 'r', at: T } },
    }),
    'record.state: expected one of "Opening", "Active", "Converging", "Terminal", "Reverted", "Failed", "Superseded", "Pruned", got "Done"',
  ],
  [
    JSON.stringify({
      ...(LITERAL[5]?.input as object),
      policy: { on_health_failure: 'halt-only' },
    }),
    'policy.on_health_failure: expected one of "halt", "rollback-and-halt", got "halt-only"',
  ],
  [STALE_HOST, null, STALE_HOST_ANSWER],
];

describe('step: malformed lines among good ones', () => {
  let run: CliRun;
  let answers: string[];
  beforeAll(() => {
    run = runCli(['step'], `${MIXED.map(([line]) => line).join('\n')}\n`);
    answers = outputLines(run.stdout);
  }, SPAWN_HOOK_TIMEOUT);

  test('exit status 1, nothing on stderr, no stack trace, one answer per line', () => {
    expect(run.status).toBe(1);
    expectClean(run);
    expect(answers).toHaveLength(MIXED.length);
  });

  MIXED.forEach(([line, message, good], i) => {
    const n = i + 1;
    test(`line ${n}: ${message === null ? 'good line still answered' : JSON.stringify(line.slice(0, 60))}`, () => {
      if (message === null) {
        expect(answers[i]).toBe(good);
      } else {
        expect(answers[i]).toBe(
          JSON.stringify({ ok: false, error: { InvalidInput: { line: n, message } } }),
        );
      }
    });
  });
});

describe('step: framing and exit status', () => {
  test('a line past the length limit gets one InvalidInput answer and the next line its own', async () => {
    // Streamed a megabyte at a time, as a pipe delivers it: the long line is never held.
    async function* input() {
      for (let i = 0; i <= MAX_STEP_LINE_CHARS / 2 ** 20; i++) yield 'x'.repeat(2 ** 20);
      yield `\n${GOOD_ROLLOUT}\r\n`;
    }
    const answers: string[] = [];
    const status = await runStep(Readable.from(input()), (line) => answers.push(line));
    expect(answers).toEqual([
      JSON.stringify({
        ok: false,
        error: { InvalidInput: { line: 1, message: 'a line longer than 64 M characters' } },
      }),
      GOOD_ROLLOUT_ANSWER,
    ]);
    expect(status).toBe(1);
  });

  test('no input: no output, exit 0', () => {
    const run = runCli(['step'], '');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    expectClean(run);
  });

  test('all-good input with domain refusals only: exit 0', () => {
    const run = runCli(['step'], `${STALE_HOST}\n${GOOD_ROLLOUT}\n`);
    expect(run.status).toBe(0);
    expect(outputLines(run.stdout)).toEqual([STALE_HOST_ANSWER, GOOD_ROLLOUT_ANSWER]);
    expectClean(run);
  });

  test('a last line without a newline is answered; CRLF line ends are accepted', () => {
    const run = runCli(['step'], `${GOOD_ROLLOUT}\r\n${STALE_HOST}\r\n${GOOD_ROLLOUT}`);
    expect(run.status).toBe(0);
    expect(outputLines(run.stdout)).toEqual([
      GOOD_ROLLOUT_ANSWER,
      STALE_HOST_ANSWER,
      GOOD_ROLLOUT_ANSWER,
    ]);
    expectClean(run);
  });

  test('blank lines get no answer, and later errors still name their line as an editor counts it', () => {
    const run = runCli(['step'], `${GOOD_ROLLOUT}\n\n   \n\t\n{"foo":1}\n${GOOD_ROLLOUT}\n`);
    expect(run.status).toBe(1);
    expect(outputLines(run.stdout)).toEqual([
      GOOD_ROLLOUT_ANSWER,
      JSON.stringify({
        ok: false,
        error: {
          InvalidInput: {
            line: 5,
            message: `${EITHER}, got an object with neither "record" nor "host"`,
          },
        },
      }),
      GOOD_ROLLOUT_ANSWER,
    ]);
    expectClean(run);
  });

  test('only blank lines: no output, exit 0', () => {
    const run = runCli(['step'], '\n  \n\n');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    expectClean(run);
  });

  test('a bad last line makes the status 1 even after good ones', () => {
    const run = runCli(['step'], `${GOOD_ROLLOUT}\n{`);
    expect(run.status).toBe(1);
    const answers = outputLines(run.stdout);
    expect(answers).toHaveLength(2);
    expect(JSON.parse(answers[1] ?? '')).toMatchObject({
      ok: false,
      error: { InvalidInput: { line: 2 } },
    });
    expectClean(run);
  });

  test('non-ASCII and escaped text round-trips byte for byte', () => {
    const name = 'wéb-01 ☃ \u2028 "q" \\ \ud83d\ude00';
    const input = JSON.stringify({
      record: { ...ROLLOUT_WIRE, rollout_id: name },
      event: { RolloutOpened: { rollout_id: name, channel: 'c', target_ref: 'r', at: T } },
    });
    const run = runCli(['step'], `${input}\n`);
    expect(run.status).toBe(0);
    expect(outputLines(run.stdout)).toEqual([
      JSON.stringify({
        ok: false,
        error: { IllegalForState: { from: 'Opening', event: 'RolloutOpened', rollout_id: name } },
      }),
    ]);
    expectClean(run);
  });
});

// ---------------------------------------------------------------------------------------

/** A host event the record's state often accepts, one seq past the record's, or anything. */
const hostTriple = fc
  .tuple(A.hostRecord, A.hostEvent, A.hostPolicy, fc.integer({ min: -1, max: 3 }), fc.boolean())
  .map(([record, event, policy, delta, keepSeq]) => {
    const seq = keepSeq
      ? event.seq
      : Math.min(Math.max(0, record.lastEventSeq + delta), Number.MAX_SAFE_INTEGER);
    const host = {
      ...record,
      lastEventSeq: Math.min(record.lastEventSeq, Number.MAX_SAFE_INTEGER - 4),
    };
    return {
      kind: 'host' as const,
      label: 'generated',
      record: host,
      event: { ...event, seq } as HostEvent,
      policy,
    };
  });

const legalHostTriple = fc.constantFrom(...SPEC_LEGAL_PAIRS).chain(([state, type]) =>
  fc
    .tuple(A.hostRecord, A.hostEventOf[type] as fc.Arbitrary<HostEvent>, A.hostPolicy)
    .map(([r, e, policy]) => {
      const record = { ...r, state, lastEventSeq: r.lastEventSeq % 1_000_000 };
      return {
        kind: 'host' as const,
        label: 'generated legal',
        record,
        event: { ...e, seq: record.lastEventSeq + 1 },
        policy,
      };
    }),
);

const rolloutPair = fc
  .tuple(A.rolloutRecord, A.rolloutEvent)
  .map(([record, event]) => ({ kind: 'rollout' as const, label: 'generated', record, event }));

const anyCell: fc.Arbitrary<RolloutCell | HostCell> = fc.oneof(
  rolloutPair,
  hostTriple,
  legalHostTriple,
);

describe('step: property', () => {
  test('for generated (record, event[, policy]) batches, the CLI answers exactly as the library does', () => {
    fc.assert(
      fc.property(fc.array(anyCell, { minLength: 1, maxLength: 150 }), (batch) => {
        const run = runCli(['step'], `${batch.map(inputLine).join('\n')}\n`);
        expect(run.status).toBe(0);
        expect(run.stderr).toBe('');
        expect(outputLines(run.stdout)).toEqual(batch.map(libraryLine));
      }),
      { numRuns: 12 },
    );
  }, 300_000);
});
