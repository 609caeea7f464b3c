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

export function Header(props: HeaderProps) {
  const { meta } = props;
  const status = STATUS[props.status];
  const bar = seg(' │ ', { dim: true });
  return (
    <Line
      width={props.width}
      segments={[
        seg('rollout-sim', { bold: true, color: 'cyan' }),
        seg(` ${props.mode} `),
        // The status first: on a narrow terminal the end of the line is what gets cut.
        seg(status.text, { bold: true, color: status.color }),
        seg(props.note === undefined ? '' : ` ${props.note}`, { color: status.color }),
        bar,
        seg('fleet '),
        seg(meta.fleet, { bold: true }),
        seg(` · ${meta.profile} profile · seed `),
        seg(String(meta.seed), { bold: true }),
        bar,
        seg('sim '),
        seg(clock(props.now - meta.start), { bold: true }),
        seg(' at '),
        seg(props.speed, { bold: true }),
        bar,
        seg(`wall ${wall(props.wallSeconds)}`),
        bar,
        seg(props.position),
      ]}
    />
  );
}

export const recordsLabel = (n: number): string => `${count(n)} records`;
