import { Text } from 'ink';
import type { TraceRecord } from '../../../sim/trace-record.ts';
import { describe } from '../model/describe.ts';
import type { Filter } from '../model/filter.ts';
import { clock } from '../model/format.ts';
import { type LogEntry, logWindow, type RecordSource } from '../model/log.ts';
import { isRolloutTransition, markOf } from '../model/marks.ts';
import { Line, seg } from './Line.tsx';
import { Pane } from './Pane.tsx';
import { HOST_COLOR } from './theme.ts';

/*
 * The run's records as lines, newest at the bottom, through the current filter. With
 * the log focused, ↑/↓ move a highlighted line back in time (the view follows it);
 * otherwise it follows the newest record.
 */

export interface EventLogProps {
  readonly source: RecordSource;
  /** Records before this index are shown. */
  readonly end: number;
  readonly filter: Filter;
  /** The highlighted record, or null to follow the newest. */
  readonly selected: number | null;
  readonly start: number;
  readonly width: number;
  readonly height: number;
}

function colorOf(r: TraceRecord): { color?: string; bold?: boolean; dim?: boolean } {
  if (markOf(r) !== null) return { color: 'red', bold: true };
  if (isRolloutTransition(r)) return { color: 'cyan', bold: true };
  if (r.type === 'host_transition') return { color: HOST_COLOR[r.to] };
  if (r.type === 'gate') return { dim: true };
  return {};
}

/** The narrow column before each line: which part of the system the record is from. */
export function sourceOf(r: TraceRecord): string {
  switch (r.type) {
    case 'host_transition':
      return r.side;
    case 'rollout_event':
      return 'rollout';
    case 'rollout_opened':
      return 'opened';
    case 'wave_cursor':
      return 'cursor';
    case 'fault':
      return 'FAULT';
    default:
      return r.type;
  }
}

export function logEntries(props: EventLogProps): LogEntry[] {
  const end = props.selected === null ? props.end : Math.min(props.end, props.selected + 1);
  return logWindow(props.source, end, props.filter, props.height);
}

export function EventLog(props: EventLogProps) {
  const entries = logEntries(props);
  return (
    <Pane width={props.width} height={props.height}>
      {entries.length === 0 ? (
        <Text dimColor>(no records{props.end > 0 ? ' match the filter' : ' yet'})</Text>
      ) : null}
      {entries.map(({ index, record }) => {
        const style = colorOf(record);
        const inverse = index === props.selected;
        return (
          <Line
            key={index}
            width={props.width}
            segments={[
              seg(`+${clock(record.t - props.start).padEnd(9)} `, { dim: !inverse, inverse }),
              seg(`${sourceOf(record).padEnd(9)}${describe(record)}`, {
                color: style.color,
                bold: style.bold === true,
                dim: style.dim === true,
                inverse,
              }),
            ]}
          />
        );
      })}
    </Pane>
  );
}
