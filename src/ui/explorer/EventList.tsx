import { Box, Text } from 'ink';
import { clip } from '../model/format.ts';
import type { Outcome } from './model.ts';

/*
 * Every event of the machine with what it would do from the current record, as the
 * machine answers for the representative event (or the one being edited): a
 * transition and its target, a change in place, a no-op, or the refusal.
 */

export function outcomeText(o: Outcome): string {
  switch (o.kind) {
    case 'transition':
      return `→ ${o.to}`;
    case 'self':
      return `stays ${o.to}, changes the record${o.effects.length === 0 ? '' : ` (${o.effects.map((e) => e.type).join(', ')})`}`;
    case 'no-op':
      return 'no-op';
    case 'invariant':
      return `✗ Invariant: ${o.error?.type === 'Invariant' ? o.error.message : ''}`;
    default:
      return `✗ ${o.error?.type ?? o.kind}`;
  }
}

export function outcomeColor(o: Outcome): string | undefined {
  switch (o.kind) {
    case 'transition':
      return 'green';
    case 'self':
      return 'cyan';
    case 'no-op':
      return undefined;
    default:
      return 'red';
  }
}

export interface EventListProps {
  readonly events: readonly { readonly type: string; readonly outcome: Outcome }[];
  readonly selected: number;
  readonly focused: boolean;
  readonly width: number;
  readonly height: number;
}

export function EventList(props: EventListProps) {
  const nameWidth = Math.max(...props.events.map((e) => e.type.length)) + 2;
  // Keep the selection in view when the list is taller than its box.
  const first = Math.max(
    0,
    Math.min(props.selected - Math.floor(props.height / 2), props.events.length - props.height),
  );
  const shown = props.events.slice(first, first + props.height);
  return (
    <Box flexDirection="column" width={props.width} height={props.height} overflow="hidden">
      {shown.map((e, k) => {
        const i = first + k;
        const selected = i === props.selected;
        return (
          <Text key={e.type} wrap="truncate-end">
            <Text inverse={selected && props.focused} bold={selected}>
              {selected ? '▸ ' : '  '}
              {e.type.padEnd(nameWidth)}
            </Text>
            <Text color={outcomeColor(e.outcome)} dimColor={e.outcome.kind === 'no-op'}>
              {clip(outcomeText(e.outcome), props.width - nameWidth - 2)}
            </Text>
          </Text>
        );
      })}
    </Box>
  );
}
