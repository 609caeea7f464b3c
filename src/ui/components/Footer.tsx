import { Box, Text } from 'ink';

/*
 * The keys, always on screen: a newcomer should never have to guess. When a filter is
 * being typed, the footer is the prompt.
 */

export interface KeyHint {
  readonly key: string;
  readonly does: string;
}

/** The footer's length in columns, for the layout (it wraps when longer than the screen). */
export function footerLength(keys: readonly KeyHint[]): number {
  return keys.reduce((n, k) => n + k.key.length + k.does.length + 4, 0);
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
        {props.message ? <Text color="red">{props.message}</Text> : null}
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
      <Text wrap="wrap">
        {props.keys.map((k, i) => (
          <Text key={k.key}>
            {i === 0 ? '' : <Text dimColor> · </Text>}
            <Text bold color="cyan">
              {k.key}
            </Text>{' '}
            {k.does}
          </Text>
        ))}
      </Text>
    </Box>
  );
}
