import { Box, Text } from 'ink';

/*
 * The keys, always on screen: a newcomer should never have to guess. When a filter is
 * being typed, the footer is the prompt.
 */

export interface KeyHint {
  readonly key: string;
  readonly does: string;
}

const SEPARATOR = ' · ';

/**
 * The keys packed into rows of at most `width` columns, breaking only between keys: a
 * key is never split from what it does, and the layout knows exactly how many rows the
 * footer takes (Ink's own wrapping could take one more than the length suggests).
 */
export function footerRows(keys: readonly KeyHint[], width: number): KeyHint[][] {
  const rows: KeyHint[][] = [[]];
  let used = 0;
  for (const k of keys) {
    const w = k.key.length + 1 + k.does.length;
    const row = rows.at(-1) as KeyHint[];
    if (row.length > 0 && used + SEPARATOR.length + w > width) {
      rows.push([k]);
      used = w;
    } else {
      used += (row.length > 0 ? SEPARATOR.length : 0) + w;
      row.push(k);
    }
  }
  return rows;
}

/** Lines the footer takes: the key rows (or the filter prompt) and the message above them. */
export function footerHeight(
  keys: readonly KeyHint[],
  width: number,
  state: { readonly prompt: string | null; readonly message?: string | null },
): number {
  const message = state.message ? 1 : 0;
  return (state.prompt !== null ? 1 : footerRows(keys, width).length) + message;
}

export interface FooterProps {
  readonly keys: readonly KeyHint[];
  readonly width: number;
  /** The filter being typed, or null when not typing one. */
  readonly prompt: string | null;
  readonly message?: string | null;
}

export function Footer(props: FooterProps) {
  if (props.prompt !== null) {
    return (
      <Box width={props.width} flexDirection="column">
        <Text wrap="truncate-start">
          <Text color="cyan" bold>
            filter /
          </Text>
          {props.prompt}
          <Text inverse> </Text>
          <Text dimColor>
            {' '}
            enter apply · esc cancel · e.g. host:db-04 wave:2 rollout:stable kind:fault
          </Text>
        </Text>
        {props.message ? (
          <Text color="red" wrap="truncate-end">
            {props.message}
          </Text>
        ) : null}
      </Box>
    );
  }
  return (
    <Box width={props.width} flexDirection="column">
      {props.message ? (
        <Text color="yellow" wrap="truncate-end">
          {props.message}
        </Text>
      ) : null}
      {footerRows(props.keys, props.width).map((row, r) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: positional rows
        <Text key={r} wrap="truncate-end">
          {row.map((k, i) => (
            <Text key={k.key}>
              {i === 0 ? '' : <Text dimColor>{SEPARATOR}</Text>}
              <Text bold color="cyan">
                {k.key}
              </Text>{' '}
              {k.does}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}
