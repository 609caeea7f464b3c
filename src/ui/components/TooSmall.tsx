import { Box, Text } from 'ink';

/*
 * What a screen shows in a terminal too small for its panes, instead of the panes
 * wrapped into each other. The keys still work (q quits) and a resize brings the
 * screen back.
 */

export interface Minimum {
  readonly width: number;
  readonly height: number;
}

/** Whether a terminal of `width` × `height` is below `min`. */
export const tooSmall = (width: number, height: number, min: Minimum) =>
  width < min.width || height < min.height;

export function TooSmall(props: {
  readonly width: number;
  readonly height: number;
  readonly min: Minimum;
  readonly what: string;
}) {
  return (
    <Box flexDirection="column" width={props.width}>
      <Text>
        {`The terminal is ${props.width} × ${props.height}; ${props.what} needs at least ${props.min.width} × ${props.min.height}. Enlarge it, or press q to quit.`}
      </Text>
    </Box>
  );
}
