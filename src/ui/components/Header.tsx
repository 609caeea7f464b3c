import { SPEED_LABEL_WIDTH } from '../live/speed.ts';
import { clock, count, wall } from '../model/format.ts';
import type { ModelMeta } from '../model/meta.ts';
import { Line, seg } from './Line.tsx';

/*
 * One line: which run this is and where its clocks are. Simulated time is relative to
 * the run's start; wall time is how long the screen has been up. Every changing figure
 * takes the width of its widest value, and the form is chosen with the position at its
 * widest, so neither the columns nor the words jump from one frame to the next.
 */

export type RunStatus = 'running' | 'paused' | 'ended' | 'seeking';

const STATUS: Readonly<Record<RunStatus, { text: string; color: string }>> = {
  running: { text: '▶ running', color: 'green' },
  paused: { text: '❚❚ paused', color: 'yellow' },
  ended: { text: '■ ended', color: 'cyan' },
  seeking: { text: '» seeking', color: 'magenta' },
};

const STATUS_WIDTH = Math.max(...Object.values(STATUS).map((s) => s.text.length));

export interface HeaderProps {
  readonly mode: string;
  readonly meta: ModelMeta;
  /** Virtual time now, ms on the run's clock. */
  readonly now: number;
  readonly speed: string;
  readonly wallSeconds: number;
  readonly status: RunStatus;
  /** e.g. "record 1,234/133,906" in replay, "1,234 records" live. */
  readonly position: string;
  /**
   * The widest the position can get, in columns (default: its length now). The form is
   * chosen as if it were that wide: a count that grows never makes the header drop words.
   */
  readonly positionWidth?: number;
  readonly note?: string;
  readonly width: number;
}

type Segments = ReturnType<typeof seg>[];

const length = (segments: Segments) => segments.reduce((n, x) => n + x.text.length, 0);

/**
 * The header from its fullest form to its most compact. Words shorten first, then the
 * wall clock and the program name go, then the fleet; the simulated clock, the speed and
 * the position stay to the last.
 */
export function headerForms(props: HeaderProps): Segments[] {
  const { meta } = props;
  const status = STATUS[props.status];
  const bar = seg(' │ ', { dim: true });
  const state = [seg(status.text.padEnd(STATUS_WIDTH), { bold: true, color: status.color })];
  const name = seg('rollout-sim', { bold: true, color: 'cyan' });
  // Under an hour `mm:ss.mmm`, above `h:mm:ss`: both in the width of the first.
  const time = clock(props.now - meta.start).padStart(9);
  const speed = props.speed.padEnd(SPEED_LABEL_WIDTH);
  const fleetLong = [
    seg('fleet '),
    seg(meta.fleet, { bold: true }),
    seg(` · ${meta.profile} profile · seed `),
    seg(String(meta.seed), { bold: true }),
  ];
  const fleetShort = [
    seg(meta.fleet, { bold: true }),
    seg(` · ${meta.profile} · seed `),
    seg(String(meta.seed), { bold: true }),
  ];
  const fleetShortest = [
    seg(meta.fleet, { bold: true }),
    seg(' · seed '),
    seg(String(meta.seed), { bold: true }),
  ];
  const simLong = [seg('sim '), seg(time, { bold: true }), seg(' at '), seg(speed, { bold: true })];
  const simShort = [seg('sim '), seg(time, { bold: true }), seg(' '), seg(speed, { bold: true })];
  const position = seg(props.position);
  const wallSeg = seg(`wall ${wall(props.wallSeconds).padStart(6)}`);
  return [
    // The status first: on a narrow terminal the end of the line is what gets cut.
    [
      name,
      seg(` ${props.mode} `),
      ...state,
      bar,
      ...fleetLong,
      bar,
      ...simLong,
      bar,
      wallSeg,
      bar,
      position,
    ],
    [
      name,
      seg(` ${props.mode} `),
      ...state,
      bar,
      ...fleetShort,
      bar,
      ...simShort,
      bar,
      wallSeg,
      bar,
      position,
    ],
    [name, seg(` ${props.mode} `), ...state, bar, ...fleetShort, bar, ...simShort, bar, position],
    [seg(`${props.mode} `), ...state, bar, ...fleetShort, bar, ...simShort, bar, position],
    [seg(`${props.mode} `), ...state, bar, ...fleetShortest, bar, ...simShort, bar, position],
    [seg(`${props.mode} `), ...state, bar, ...simShort, bar, position],
    [...state, bar, ...simShort, bar, position],
    [...state, seg(' '), ...simShort],
  ];
}

/** The first form that fits, measured with the position at its widest. */
export function headerForm(props: HeaderProps): Segments {
  const forms = headerForms(props);
  const widest = headerForms({
    ...props,
    position: props.position.padEnd(props.positionWidth ?? 0),
  });
  const i = widest.findIndex((f) => length(f) <= props.width);
  return forms[i < 0 ? forms.length - 1 : i] as Segments;
}

/**
 * The note goes last, after the form is chosen: it comes and goes (a hint at the start,
 * the end of a run) and must not make the clocks move or the words drop; the edge cuts
 * it first.
 */
export function Header(props: HeaderProps) {
  const note =
    props.note === undefined
      ? []
      : [seg(' │ ', { dim: true }), seg(props.note, { color: STATUS[props.status].color })];
  return <Line width={props.width} segments={[...headerForm(props), ...note]} />;
}

export const recordsLabel = (n: number): string => `${count(n)} records`;

/**
 * The live count's width budget: a run's length is not known ahead, and 999,999 records
 * is more than a 10,000-host rollout writes; a longer count only runs into the edge.
 */
export const LIVE_POSITION_WIDTH = recordsLabel(999_999).length;

/** `record 12/306`, the cursor padded to the total's width. */
export function replayPosition(position: number, total: number): string {
  return `record ${count(position).padStart(count(total).length)}/${count(total)}`;
}
