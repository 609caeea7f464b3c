import { clock, count, wall } from '../model/format.ts';
import type { ModelMeta } from '../model/meta.ts';
import { Line, seg } from './Line.tsx';

/*
 * One line: which run this is and where its clocks are. Simulated time is relative to
 * the run's start; wall time is how long the screen has been up.
 */

export type RunStatus = 'running' | 'paused' | 'ended' | 'seeking';

const STATUS: Readonly<Record<RunStatus, { text: string; color: string }>> = {
  running: { text: '▶ running', color: 'green' },
  paused: { text: '❚❚ paused', color: 'yellow' },
  ended: { text: '■ ended', color: 'cyan' },
  seeking: { text: '» seeking', color: 'magenta' },
};

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
  const state = [
    seg(status.text, { bold: true, color: status.color }),
    seg(props.note === undefined ? '' : ` ${props.note}`, { color: status.color }),
  ];
  const name = seg('rollout-sim', { bold: true, color: 'cyan' });
  const time = clock(props.now - meta.start);
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
  const simLong = [
    seg('sim '),
    seg(time, { bold: true }),
    seg(' at '),
    seg(props.speed, { bold: true }),
  ];
  const simShort = [
    seg('sim '),
    seg(time, { bold: true }),
    seg(' '),
    seg(props.speed, { bold: true }),
  ];
  const position = seg(props.position);
  const wallSeg = seg(`wall ${wall(props.wallSeconds)}`);
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
    [seg(`${props.mode} `), ...state, bar, ...simShort, bar, position],
    [...state, bar, ...simShort, bar, position],
    [...state, seg(' '), ...simShort],
  ];
}

export function Header(props: HeaderProps) {
  const forms = headerForms(props);
  const fits = forms.find((f) => length(f) <= props.width) ?? (forms.at(-1) as Segments);
  return <Line width={props.width} segments={fits} />;
}

export const recordsLabel = (n: number): string => `${count(n)} records`;
