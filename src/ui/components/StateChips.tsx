import { Text } from 'ink';
import type { DiagramLayout } from '../model/diagram-layout.ts';

/*
 * A machine's states in their diagram columns (diagram-layout.ts), one text row per
 * level: the current state boxed and highlighted `[Active]`, states already visited
 * ticked `✓Opening`, the rest dim. Marks as well as colours, so it reads in a pasted
 * pane too.
 */

export type ChipMark = 'current' | 'visited' | 'never';

export interface StateChipsProps {
  readonly layout: DiagramLayout;
  readonly markOf: (state: string) => ChipMark;
  readonly colorOf: (state: string) => string | undefined;
  readonly width: number;
}

function Chip(props: { state: string; mark: ChipMark; width: number; color: string | undefined }) {
  const { state, mark } = props;
  const text = (
    mark === 'current' ? `[${state}]` : mark === 'visited' ? `✓${state} ` : ` ${state} `
  ).padEnd(props.width);
  if (mark === 'current') {
    return (
      <Text bold inverse color={props.color}>
        {text}
      </Text>
    );
  }
  return (
    <Text color={mark === 'visited' ? props.color : undefined} dimColor={mark === 'never'}>
      {text}
    </Text>
  );
}

export function StateChips({ layout, markOf, colorOf, width }: StateChipsProps) {
  const widths = layout.columns.map((c) => Math.max(...c.map((s) => s.length)) + 2);
  const total = widths.reduce((a, b) => a + b, 0);
  const arrow = total + (widths.length - 1) * 4 <= width ? ' ─▶ ' : ' → ';
  const rows = Math.max(...layout.columns.map((c) => c.length));
  return (
    <>
      {Array.from({ length: rows }, (_, row) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional
        <Text key={row} wrap="truncate-end">
          {layout.columns.map((column, c) => {
            const state = column[row];
            const w = widths[c] ?? 0;
            const gap =
              c === layout.columns.length - 1 ? '' : row === 0 ? arrow : ' '.repeat(arrow.length);
            return (
              <Text key={state ?? `gap${c}`}>
                {state === undefined ? (
                  ' '.repeat(w)
                ) : (
                  <Chip state={state} mark={markOf(state)} width={w} color={colorOf(state)} />
                )}
                <Text dimColor>{gap}</Text>
              </Text>
            );
          })}
        </Text>
      ))}
    </>
  );
}

export function chipRows(layout: DiagramLayout): number {
  return Math.max(...layout.columns.map((c) => c.length));
}
