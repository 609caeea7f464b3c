import { Text } from 'ink';
import type { RecordSource } from '../model/log.ts';
import { waveHistory } from '../model/wave-history.ts';

export interface WaveChartProps {
  readonly source: RecordSource;
  readonly end: number;
  readonly rolloutId: string;
  readonly wave: number;
  readonly hosts: readonly string[];
  readonly from: number;
  readonly to: number;
  readonly width: number;
  readonly height: number;
}

/** The selected wave's host states over time, a row per state (block characters). */
export function WaveChart(props: WaveChartProps) {
  const label = 11;
  const rows = waveHistory(
    props.source,
    props.end,
    props.rolloutId,
    props.hosts,
    props.from,
    props.to,
    Math.max(1, props.width - label),
  ).slice(0, Math.max(0, props.height - 1));
  return (
    <>
      <Text dimColor>
        {`wave ${props.wave} over time (${props.hosts.length} hosts)`.slice(0, props.width)}
      </Text>
      {rows.map((r) => (
        <Text key={r.state}>
          {r.state.padEnd(label - 1).slice(0, label - 1)} {r.cells}
        </Text>
      ))}
    </>
  );
}
