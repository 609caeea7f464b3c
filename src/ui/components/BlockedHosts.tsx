import { Box, Text } from 'ink';
import type { Stall } from '../../../sim/stall/stall.ts';
import { type BlockedTone, blockedLines } from '../model/blocked.ts';

/*
 * `b`: the blocked hosts by rollout, gate and reason (model/blocked.ts lays the lines
 * out). It takes the grid's and log's place, like the help, and scrolls with ↑/↓ when
 * the analysis is longer than the pane.
 */

export interface BlockedHostsProps {
  readonly stall: Stall | null;
  /** The run ended stalled: the blocks are for ever, not just now. */
  readonly stalled: boolean;
  /** What a run that reached its horizon was still doing: shown above the holds. */
  readonly still?: readonly string[];
  /** `+6m15s`: the position the blocks are taken at. */
  readonly at: string;
  readonly start: number;
  readonly offset: number;
  readonly width: number;
  readonly height: number;
}

const TONE: Readonly<Record<BlockedTone, { color?: string; bold?: boolean; dim?: boolean }>> = {
  title: { bold: true },
  rollout: { bold: true, color: 'cyan' },
  group: { bold: true },
  never: { color: 'red' },
  may: { color: 'yellow' },
  plain: {},
};

/** Lines the pane shows at once: the border and the title take three rows. */
export const blockedRoom = (height: number): number => Math.max(1, height - 3);

const linesFor = (
  props: Pick<BlockedHostsProps, 'stall' | 'stalled' | 'still' | 'start' | 'width'>,
) =>
  blockedLines(props.stall, {
    width: Math.max(10, props.width - 4),
    start: props.start,
    stalled: props.stalled,
    ...(props.still === undefined ? {} : { still: props.still }),
  });

/** How far ↓ can scroll: the lines past the first pageful (0 when they all fit). */
export function blockedScrollMax(
  props: Pick<BlockedHostsProps, 'stall' | 'stalled' | 'still' | 'start' | 'width' | 'height'>,
): number {
  return Math.max(0, linesFor(props).length - blockedRoom(props.height));
}

export function BlockedHosts(props: BlockedHostsProps) {
  const inner = Math.max(10, props.width - 4);
  const lines = linesFor(props);
  const room = blockedRoom(props.height);
  const offset = Math.max(0, Math.min(props.offset, lines.length - room));
  const more = lines.length > room;
  const where = more
    ? ` ${offset + 1}–${Math.min(lines.length, offset + room)}/${lines.length}`
    : '';
  const title = `Blocked hosts at ${props.at}${where} (${more ? '↑/↓ scroll, ' : ''}b/esc close)`;
  return (
    <Box
      flexDirection="column"
      width={props.width}
      height={props.height}
      borderStyle="round"
      borderColor={props.stalled ? 'red' : 'yellow'}
      paddingX={1}
      overflow="hidden"
    >
      <Text bold color={props.stalled ? 'red' : 'yellow'} wrap="truncate-end">
        {title.slice(0, inner)}
      </Text>
      {lines.slice(offset, offset + room).map((l, i) => {
        const tone = TONE[l.tone];
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: positional lines
          <Box key={i} flexShrink={0} height={1}>
            <Text
              wrap="truncate-end"
              bold={tone.bold === true}
              {...(tone.color === undefined ? {} : { color: tone.color })}
            >
              {l.text === '' ? ' ' : l.text}
            </Text>
          </Box>
        );
      })}
    </Box>
  );
}
