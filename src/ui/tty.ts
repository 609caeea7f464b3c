/*
 * Whether a command shows the terminal UI: only when both ends are a terminal (keys
 * come from stdin in raw mode, frames go to stdout) and nothing asked for plain output.
 * Kept free of Ink so that plain commands never load React.
 */

export interface UiFlags {
  /** commander's `--no-ui`: false when given. */
  readonly ui?: boolean;
  readonly json?: boolean;
}

export function wantsUi(
  flags: UiFlags,
  streams: { readonly stdin: { isTTY?: boolean }; readonly stdout: { isTTY?: boolean } } = process,
): boolean {
  return (
    flags.ui !== false &&
    flags.json !== true &&
    streams.stdout.isTTY === true &&
    streams.stdin.isTTY === true
  );
}
