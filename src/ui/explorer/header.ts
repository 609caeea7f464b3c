import { seg } from '../components/Line.tsx';
import { clock } from '../model/format.ts';

/*
 * The explorer's header, from its fullest form to its most compact: the words go first
 * (the program name, "state", "clock", "policy"), then the figures stay. Every field
 * takes the width of its widest value (the machine's longest state name, the longer
 * policy), so nothing moves sideways as the session goes on.
 */

type Segments = ReturnType<typeof seg>[];

export interface ExplorerHeaderInput {
  readonly machine: string;
  readonly state: string;
  readonly stateColor: string | undefined;
  /** Every state of the machine: the state field is as wide as the longest. */
  readonly states: readonly string[];
  readonly steps: number;
  /** Virtual ms since the session's start. */
  readonly clock: number;
  /** The host machine's on_health_failure policy; null for the rollout machine. */
  readonly policy: string | null;
  readonly visited: number;
}

const POLICY_WIDTH = 'rollback-and-halt'.length;

export function explorerHeaderForms(h: ExplorerHeaderInput): Segments[] {
  const bar = seg(' │ ', { dim: true });
  const stateWidth = Math.max(...h.states.map((s) => s.length));
  const state = seg(h.state.padEnd(stateWidth), { bold: true, color: h.stateColor });
  const steps = seg(`${String(h.steps).padStart(3)} ${h.steps === 1 ? 'step ' : 'steps'}`);
  const time = `+${clock(h.clock)}`.padStart(10);
  const total = h.states.length;
  const visited = `${String(h.visited).padStart(String(total).length)}/${total}`;
  const policy = (word: string) =>
    h.policy === null ? [] : [bar, seg(word), seg(h.policy.padEnd(POLICY_WIDTH), { bold: true })];
  const full = [
    seg('rollout-sim', { bold: true, color: 'cyan' }),
    seg(` ▸ machine ${h.machine}`),
    bar,
    seg('state '),
    state,
    bar,
    steps,
    bar,
    seg(`clock ${time}`),
    ...policy('policy '),
    bar,
    seg(`visited ${visited} states`),
  ];
  const short = [
    seg(`▸ machine ${h.machine}`),
    bar,
    state,
    bar,
    steps,
    bar,
    seg(time),
    ...policy(''),
    bar,
    seg(`${visited} visited`),
  ];
  const shortest = [seg(`▸ ${h.machine}`), bar, state, bar, steps, bar, seg(time), ...policy('')];
  return [full, short, [...shortest, bar, seg(`${visited} visited`)], shortest];
}

const length = (s: Segments) => s.reduce((n, x) => n + x.text.length, 0);

/** The fullest form that fits `width` (the last one, cut at the edge, when none does). */
export function explorerHeader(h: ExplorerHeaderInput, width: number): Segments {
  const forms = explorerHeaderForms(h);
  return forms.find((f) => length(f) <= width) ?? (forms.at(-1) as Segments);
}
