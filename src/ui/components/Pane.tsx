import { Box } from 'ink';
import type { ReactNode } from 'react';

/*
 * A fixed-size box of rows. Ink lays rows out with flexbox, where every child may
 * shrink (flexShrink 1 by default): rows that do not fit a fixed height are squeezed to
 * zero lines, yet their text is still written, on top of the next row — which left
 * `agent nonee 0` in the host detail at 80×24. Here the inner column never shrinks, so
 * every row keeps its own line, and the outer box cuts whatever is past its bottom edge.
 */
export function Pane(props: {
  readonly width: number;
  readonly height: number;
  readonly children: ReactNode;
}) {
  return (
    <Box width={props.width} height={props.height} overflow="hidden" flexDirection="column">
      <Box flexDirection="column" flexShrink={0} width={props.width}>
        {props.children}
      </Box>
    </Box>
  );
}
