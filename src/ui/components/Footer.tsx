import { Box, Text } from 'ink';

/*
 * The keys, always on screen: a newcomer should never have to guess. When a filter is
 * being typed, the footer is the prompt.
 */

export interface KeyHint {
  readonly key: string;
  readonly does: string;
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
