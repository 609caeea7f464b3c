import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { HOST_STATES } from '../../../machines/host/state.ts';
import { CODES, NO_RECORD, stateOf } from '../model/codes.ts';
import { clip, count } from '../model/format.ts';
import {
  barColumns,
  fitGrid,
  type GridFit,
  LABEL_WIDTH,
  legendLines,
} from '../model/grid-layout.ts';
import type { ChannelMeta, ModelMeta } from '../model/meta.ts';
import { type RolloutView, waveCounts } from '../model/model.ts';
import { Line, type Segment, seg } from './Line.tsx';
import { Pane } from './Pane.tsx';
import { HOST_COLOR, HOST_LETTER, NONE_LETTER } from './theme.ts';

/*
 * Waves down, hosts across, each host coloured (and lettered) by the state the control
 * plane holds for it in the selected rollout. Names when they fit, a letter per host
 * when those fit, and a bar per wave with counts beyond that (grid-layout.ts), so the
 * same screen reads at 10 hosts and at 10,000. The last line is the legend with totals.
 */

export interface HostGridProps {
  readonly meta: ModelMeta;
  readonly rollout: RolloutView | undefined;
  readonly channel: ChannelMeta | undefined;
  readonly selected: number | null;
  readonly width: number;
  /** Lines for the grid, legend included. */
  readonly height: number;
}

function letter(code: number): string {
  const s = stateOf(code);
  return s === null ? NONE_LETTER : HOST_LETTER[s];
}

function colorOf(code: number): string | undefined {
  const s = stateOf(code);
  return s === null ? undefined : HOST_COLOR[s];
}

function label(row: number, channel: ChannelMeta, rollout: RolloutView | undefined): ReactNode {
  const unstaged = channel.unstaged && row === channel.waves.length - 1;
  const cursor = rollout !== undefined && rollout.currentWave === row && !unstaged;
  const text = unstaged ? ' -- ' : `w${row}`.padEnd(LABEL_WIDTH - 1);
  return (
    <Text bold={cursor} color={cursor ? 'cyan' : undefined} dimColor={!cursor}>
      {cursor ? '▸' : ' '}
      {text}
    </Text>
  );
}

/** A screen row of hosts: runs of equal state share one Text node, so big grids stay light. */
function HostRow(props: {
  readonly hosts: readonly number[];
  readonly rollout: RolloutView | undefined;
  readonly names: readonly string[] | null;
  readonly itemWidth: number;
  readonly selected: number | null;
}) {
  const runs: ReactNode[] = [];
  let text = '';
  let code = -1;
  const flush = (key: string) => {
    if (text === '') return;
    runs.push(
      <Text key={key} color={colorOf(code)} dimColor={code === NO_RECORD}>
        {text}
      </Text>,
    );
    text = '';
  };
  for (const h of props.hosts) {
    const c = props.rollout?.cp[h] ?? NO_RECORD;
    const item =
      props.names === null
        ? letter(c)
        : `${letter(c)} ${props.names[h] ?? ''}`.padEnd(props.itemWidth);
    if (h === props.selected) {
      flush(`r${h}`);
      runs.push(
        <Text key={`s${h}`} inverse bold color={colorOf(c)}>
          {props.names === null ? item : item.trimEnd()}
        </Text>,
      );
      if (props.names !== null)
        runs.push(<Text key={`p${h}`}>{' '.repeat(item.length - item.trimEnd().length)}</Text>);
      continue;
    }
    if (c !== code) flush(`r${h}`);
    code = c;
    text += item;
  }
  flush('end');
  return <>{runs}</>;
}

function Cells(props: HostGridProps & { readonly fit: GridFit; readonly channel: ChannelMeta }) {
  const { channel, fit } = props;
  const lines: ReactNode[] = [];
  channel.waves.forEach((wave, row) => {
    const chunks = Math.max(1, Math.ceil(wave.length / fit.cols));
    for (let k = 0; k < chunks; k++) {
      lines.push(
        // biome-ignore lint/suspicious/noArrayIndexKey: one line per wave row and chunk
        <Text key={`${row}.${k}`} wrap="truncate-end">
          {k === 0 ? label(row, channel, props.rollout) : ' '.repeat(LABEL_WIDTH)}
          {wave.length === 0 ? (
            <Text dimColor>(no hosts)</Text>
          ) : (
            <HostRow
              hosts={wave.slice(k * fit.cols, (k + 1) * fit.cols)}
              rollout={props.rollout}
              names={fit.mode === 'names' ? props.meta.hosts : null}
              itemWidth={fit.itemWidth}
              selected={props.selected}
            />
          )}
        </Text>,
      );
    }
  });
  return <>{lines}</>;
}

/** Bar order: settled good, in flight, bad, then not started. */
const BAR_ORDER = [
  'Converged',
  'Soaking',
  'Activating',
  'Deferred',
  'Failed',
  'Reverted',
  'Pending',
] as const;

function Bars(props: HostGridProps & { readonly channel: ChannelMeta }) {
  const { channel, rollout } = props;
  const columns = barColumns(props.width, Math.max(0, ...channel.waves.map((w) => w.length)));
  const countsText = (row: number) => {
    const counts = rollout === undefined ? null : waveCounts(rollout, row);
    const total = channel.waves[row]?.length ?? 0;
    if (counts === null) return `${count(total)} hosts`;
    const parts = BAR_ORDER.flatMap((s) => {
      const n = counts[HOST_STATES.indexOf(s) + 1] ?? 0;
      return n > 0 ? [`${HOST_LETTER[s]} ${count(n)}`] : [];
    });
    const none = counts[NO_RECORD] ?? 0;
    if (none > 0) parts.push(`${NONE_LETTER} ${count(none)}`);
    return `${count(total).padStart(columns.total)} │ ${clip(parts.join(' '), columns.counts)}`;
  };
  const texts = channel.waves.map((_, row) => countsText(row));
  const barWidth = columns.bar;
  const selectedRow =
    props.selected === null
      ? -1
      : channel.waves.findIndex((w) => w.includes(props.selected as number));
  return (
    <>
      {channel.waves.map((wave, row) => {
        const counts = rollout === undefined ? null : waveCounts(rollout, row);
        const segments: ReactNode[] = [];
        let used = 0;
        const total = wave.length;
        const order = [...BAR_ORDER.map((s) => HOST_STATES.indexOf(s) + 1), NO_RECORD];
        order.forEach((code, k) => {
          const n = counts === null ? (code === NO_RECORD ? total : 0) : (counts[code] ?? 0);
          if (n === 0 || total === 0) return;
          const rest = order.slice(k + 1).some((c) => (counts?.[c] ?? 0) > 0);
          let w = Math.max(1, Math.round((n / total) * barWidth));
          if (!rest) w = barWidth - used;
          w = Math.max(0, Math.min(w, barWidth - used));
          used += w;
          // The state's letter on its colour: a bar in colour, still legible without.
          segments.push(
            code === NO_RECORD ? (
              <Text key={code} dimColor>
                {NONE_LETTER.repeat(w)}
              </Text>
            ) : (
              <Text key={code} color="black" backgroundColor={colorOf(code)}>
                {letter(code).repeat(w)}
              </Text>
            ),
          );
        });
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: one line per wave row
          <Text key={row} wrap="truncate-end">
            {label(row, channel, rollout)}
            <Text inverse={row === selectedRow}>▕</Text>
            {segments}
            {' '.repeat(Math.max(0, barWidth - used))}
            <Text inverse={row === selectedRow}>▏</Text>
            {texts[row]}
          </Text>
        );
      })}
    </>
  );
}

const GAP = '  ';

/** Units (a letter and its label) packed into lines of at most `width` columns, two spaces apart; Line cuts what still overflows. */
function breakLines(units: readonly Segment[][], width: number, max: number): Segment[][] {
  const out: Segment[][] = [[]];
  let used = 0;
  for (const unit of units) {
    const w = segmentsLength(unit);
    if (used > 0 && used + GAP.length + w > width && out.length < max) {
      out.push([]);
      used = 0;
    }
    if (used > 0) {
      out.at(-1)?.push(seg(GAP));
      used += GAP.length;
    }
    out.at(-1)?.push(...unit);
    used += w;
  }
  return out;
}

/**
 * The legend: each state's letter and name, with the rollout's count of it when every
 * count fits at the width of the fleet's size (so a count going from 9 to 10 moves
 * nothing); on a pane too narrow for that, the letters and names alone.
 */
function Legend({
  rollout,
  hosts,
  width,
}: {
  readonly rollout: RolloutView | undefined;
  readonly hosts: number;
  readonly width: number;
}) {
  const totals = new Array<number>(CODES).fill(0);
  if (rollout !== undefined) {
    for (let i = 0; i < rollout.counts.length; i++)
      totals[i % CODES] = (totals[i % CODES] ?? 0) + (rollout.counts[i] ?? 0);
  }
  const digits = count(hosts).length;
  const legend = (withCounts: boolean) => {
    const n = (code: number) => (withCounts ? ` ${count(totals[code] ?? 0).padStart(digits)}` : '');
    return [
      ...HOST_STATES.map((s, i) => [
        seg(HOST_LETTER[s], { color: HOST_COLOR[s], bold: true }),
        seg(` ${s}${n(i + 1)}`, { dim: true }),
      ]),
      [seg(`${NONE_LETTER} not joined${n(NO_RECORD)}`, { dim: true })],
    ];
  };
  const rows = legendLines(width);
  const full = breakLines(legend(true), width, Number.MAX_SAFE_INTEGER);
  const fits = full.length <= rows && full.every((l) => segmentsLength(l) <= width);
  return (
    <Box width={width} height={rows} flexDirection="column">
      {(fits ? full : breakLines(legend(false), width, rows)).map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: positional lines
        <Line key={i} segments={line} width={width} />
      ))}
    </Box>
  );
}

const segmentsLength = (segments: readonly Segment[]) =>
  segments.reduce((n, x) => n + x.text.length, 0);

export function HostGrid(props: HostGridProps) {
  const channel = props.channel;
  if (channel === undefined || props.rollout === undefined) {
    return (
      <Box height={props.height} width={props.width}>
        <Text dimColor>No rollout has opened yet.</Text>
      </Box>
    );
  }
  const fit = fitGrid(
    channel.waves,
    props.meta.hosts,
    props.width,
    props.height - legendLines(props.width),
  );
  // More waves than rows (bars mode on a short screen): the last ones are cut, never drawn over the legend.
  return (
    <Box flexDirection="column" height={props.height} width={props.width} overflow="hidden">
      <Pane width={props.width} height={Math.max(0, props.height - legendLines(props.width))}>
        {fit.mode === 'bars' ? (
          <Bars {...props} channel={channel} />
        ) : (
          <Cells {...props} channel={channel} fit={fit} />
        )}
      </Pane>
      <Legend rollout={props.rollout} hosts={props.meta.hosts.length} width={props.width} />
    </Box>
  );
}
