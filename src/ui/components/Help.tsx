import { Box, Text } from 'ink';
import { HOST_STATES } from '../../../machines/host/state.ts';
import type { KeyHint } from './Footer.tsx';
import { HOST_COLOR, HOST_LETTER, NONE_LETTER } from './theme.ts';

/*
 * `?`: every key with a sentence, what the grid's letters and marks mean, and the
 * filter syntax. Any key closes it.
 */

export interface HelpProps {
  readonly title: string;
  readonly keys: readonly (KeyHint & { readonly long?: string })[];
  readonly width: number;
  readonly height: number;
}

export function Help(props: HelpProps) {
  return (
    <Box
      flexDirection="column"
      width={props.width}
      height={props.height}
      borderStyle="round"
      borderColor="cyan"
      paddingX={1}
      overflow="hidden"
    >
      <Text bold color="cyan">
        {props.title} — keys (any key closes this help)
      </Text>
      {props.keys.map((k) => (
        <Text key={k.key} wrap="truncate-end">
          <Text bold color="cyan">
            {k.key.padEnd(12)}
          </Text>
          {k.long ?? k.does}
        </Text>
      ))}
      <Text> </Text>
      <Text bold>Grid: one letter per host, the control plane's state in the selected rollout</Text>
      <Text wrap="truncate-end">
        {HOST_STATES.map((s) => (
          <Text key={s}>
            <Text color={HOST_COLOR[s]} bold>
              {HOST_LETTER[s]}
            </Text>{' '}
            {s}
            {'  '}
          </Text>
        ))}
        {NONE_LETTER} not joined yet · ▸ marks the wave cursor · bars when hosts outnumber the
        screen
      </Text>
      <Text> </Text>
      <Text bold>Diagram: the rollout machine, laid out from its definition</Text>
      <Text>
        [State] is where the rollout is · ✓State it has been there · taken: the transitions in order
        · next: what the machine allows from here
      </Text>
      <Text> </Text>
      <Text bold>Filter (/): terms that must all match</Text>
      <Text>
        host:db-04 (or a prefix: host:web-0) · wave:2 · rollout:stable@v1 · kind:fault (record type,
        event or fault kind) · any other word: text in the line
      </Text>
    </Box>
  );
}
