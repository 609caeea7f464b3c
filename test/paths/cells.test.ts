import { describe, expect, it } from 'vitest';
import { MACHINES } from '../../machines/catalog.ts';
import { pathsOutput } from '../../src/cli/paths.ts';
import { answerStepLine } from '../../src/cli/step.ts';
import { outputLines, runCli } from '../cli/run-cli.ts';

/*
 * Every cell of both tables (8×8 rollout, 7×24 host under each policy, and the guard
 * sub-cases) is reached by what `paths --cell` prints for it, checked by feeding the
 * printed lines through the `step` command's own line handler.
 */

type Json = Record<string, unknown>;

interface Walked {
  /** The state and event type of the last input line: the cell it exercises. */
  readonly cell: string;
  /** The last answer, summarised: the state after, or the error kind (with its message). */
  readonly outcome: string;
  readonly effects: readonly string[];
}

const tag = (v: unknown) => Object.keys(v as Json)[0] as string;

/** Runs one printed path through `step`, checking that every line continues the previous one. */
function walk(lines: readonly string[], recordKey: 'record' | 'host'): Walked {
  let previous: unknown = null;
  let answer: Json = {};
  let input: Json = {};
  lines.forEach((line, i) => {
    input = JSON.parse(line) as Json;
    if (i > 0) expect(input[recordKey]).toEqual(previous);
    const out = answerStepLine(line, i + 1);
    expect(out.valid).toBe(true);
    answer = JSON.parse(out.answer) as Json;
    // Only the cell itself may be refused; the way there is made of accepted steps.
    if (i < lines.length - 1) expect(answer.ok).toBe(true);
    previous = answer[recordKey];
  });
  const state = (input[recordKey] as Json).state as string;
  const errorKind = answer.ok ? null : tag(answer.error);
  const error = answer.error as Json | undefined;
  const outcome = answer.ok
    ? `ok ${(answer[recordKey] as Json).state}`
    : errorKind === 'Invariant'
      ? `Invariant ${error?.Invariant as string}`
      : `${errorKind}`;
  const effects = answer.ok ? (answer.effects as unknown[]).map(tag) : [];
  return { cell: `${state}:${tag(input.event)}`, outcome, effects };
}

/** The paths `--cell --json` prints, each as the step input lines of its text form. */
function cellPaths(machine: 'rollout' | 'host', cell: string, policy: string): string[][] {
  const { lines } = pathsOutput(machine, {
    cell,
    all: false,
    json: true,
    policy: policy as 'halt',
  });
  const paths = JSON.parse(lines[0] ?? '[]') as { steps: unknown[] }[];
  return paths.map((p) => p.steps.map((s) => JSON.stringify(s)));
}

function outcomes(machine: 'rollout' | 'host', cell: string, policy = 'rollback-and-halt') {
  const key = machine === 'rollout' ? 'record' : 'host';
  return cellPaths(machine, cell, policy).map((p) => walk(p, key));
}

const cells = (machine: 'rollout' | 'host') =>
  MACHINES[machine].states.flatMap((s) => MACHINES[machine].events.map((e) => `${s}:${e}`));

describe('paths --cell reaches every cell', () => {
  it.each(cells('rollout'))('rollout %s', (cell) => {
    const walked = outcomes('rollout', cell);
    expect(walked.length).toBeGreaterThan(0);
    for (const w of walked) expect(w.cell).toBe(cell);
  });

  for (const policy of ['halt', 'rollback-and-halt']) {
    it.each(cells('host'))(`host %s under ${policy}`, (cell) => {
      const walked = outcomes('host', cell, policy);
      expect(walked.length).toBeGreaterThan(0);
      for (const w of walked) expect(w.cell).toBe(cell);
      // The seq pre-check runs before legality, in every cell.
      expect(walked.map((w) => w.outcome)).toContain('SeqRegression');
    });
  }
});

describe('paths --cell reaches each guard branch', () => {
  const seen = (machine: 'rollout' | 'host', cell: string, policy?: string) =>
    new Set(outcomes(machine, cell, policy).map((w) => w.outcome));

  it('WaveAdvanced: forward stays Active, equal or backward goes to Converging', () => {
    expect(seen('rollout', 'Active:WaveAdvanced')).toEqual(new Set(['ok Active', 'ok Converging']));
    expect(seen('rollout', 'Converging:WaveAdvanced')).toEqual(
      new Set(['ok Active', 'ok Converging']),
    );
  });

  it('HostStateChanged: Reverted and Failed hosts move the rollout, others do not', () => {
    for (const state of ['Active', 'Converging']) {
      expect(seen('rollout', `${state}:HostStateChanged`)).toEqual(
        new Set(['ok Reverted', 'ok Failed', `ok ${state}`]),
      );
    }
  });

  it('converge: each invariant in turn, and success', () => {
    for (const type of ['LocalConvergedReached', 'RemoteConverged']) {
      expect(seen('host', `Soaking:${type}`)).toEqual(
        new Set([
          'ok Converged',
          'Invariant Converged event: current_closure != target_closure',
          'Invariant Converged event: converged_at before soak_due_at',
          'Invariant Converged event: at least one enforce-mode probe is not Pass',
          'SeqRegression',
        ]),
      );
    }
  });

  it('activation failure rolls back only under rollback-and-halt', () => {
    const fires = (policy: string) =>
      outcomes('host', 'Activating:LocalActivationFailed', policy).some((w) =>
        w.effects.includes('LocalFireRollbackTo'),
      );
    expect(fires('rollback-and-halt')).toBe(true);
    expect(fires('halt')).toBe(false);
  });

  it('sustained failure rolls back as the event’s policy_applied says', () => {
    const walked = outcomes('host', 'Soaking:LocalSustainedFailureCrossed', 'halt');
    expect(walked.filter((w) => w.effects.includes('LocalFireRollbackTo'))).toHaveLength(1);
    expect(walked.filter((w) => w.outcome === 'ok Failed')).toHaveLength(2);
  });
});

describe('rollout-sim paths', () => {
  it('the shortest way to Reverted pipes into step and ends there', () => {
    const paths = runCli(['paths', 'host', '--to', 'Reverted', '--policy', 'rollback-and-halt']);
    expect(paths.status).toBe(0);
    expect(outputLines(paths.stdout)).toHaveLength(3);
    const step = runCli(['step'], paths.stdout);
    expect(step.status).toBe(0);
    const last = JSON.parse(outputLines(step.stdout).at(-1) as string);
    expect(last.ok).toBe(true);
    expect(last.host.state).toBe('Reverted');
  });

  it('--cell text output is every path back to back, each a valid step input', () => {
    const { lines } = pathsOutput('host', {
      cell: 'Soaking:RemoteConverged',
      all: false,
      json: false,
      policy: 'halt',
    });
    expect(lines.every((l, i) => answerStepLine(l, i + 1).valid)).toBe(true);
  });

  it('is deterministic', () => {
    const a = pathsOutput('rollout', { to: 'Pruned', all: true, json: true, policy: 'halt' });
    const b = pathsOutput('rollout', { to: 'Pruned', all: true, json: true, policy: 'halt' });
    expect(a.lines).toEqual(b.lines);
    expect(a.found).toBe(true);
  });

  it('--from starts where the shortest path to that state ends', () => {
    const { lines } = pathsOutput('rollout', {
      to: 'Terminal',
      from: 'Active',
      all: false,
      json: false,
      policy: 'halt',
    });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string).record.state).toBe('Active');
  });

  it('a path that starts where it ends has no step, and says so on stderr (printed nothing)', () => {
    const run = runCli(['paths', 'host', '--from', 'Soaking', '--to', 'Soaking']);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('rollout-sim: the path starts in Soaking already: it has no step\n');
    expect(run.status).toBe(0);
  });

  it('bad flags get one line and exit 2', () => {
    for (const args of [
      ['paths', 'host', '--to', 'Nowhere'],
      ['paths', 'host', '--cell', 'Soaking'],
      ['paths', 'rollout'],
      ['paths', 'host', '--to', 'Failed', '--policy', 'sometimes'],
    ]) {
      const run = runCli(args);
      expect(run.status).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stdout).toBe('');
    }
  });
});
