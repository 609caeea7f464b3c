/*
 * Whether a command shows the terminal UI: only when both ends are a terminal (keys
 * come from stdin in raw mode, frames go to stdout), not in CI (where Ink would only
 * ever print a last frame), and when nothing asked for plain output. Kept free of Ink
 * so that plain commands never load React.
 */

export interface UiFlags {
  /** commander's `--no-ui`: false when given. */
  readonly ui?: boolean;
  readonly json?: boolean;
}

interface Streams {
  readonly stdin: { isTTY?: boolean };
  readonly stdout: { isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The same test Ink makes (is-in-ci): CI or CONTINUOUS_INTEGRATION or any CI_* set, unless CI is 0/false. */
export function inCi(env: Streams['env']): boolean {
  if (env.CI === '0' || env.CI === 'false') return false;
  return (
    'CI' in env ||
    'CONTINUOUS_INTEGRATION' in env ||
    Object.keys(env).some((k) => k.startsWith('CI_'))
  );
}

export function wantsUi(flags: UiFlags, streams: Streams = process): boolean {
  return (
    flags.ui !== false &&
    flags.json !== true &&
    streams.stdout.isTTY === true &&
    streams.stdin.isTTY === true &&
    !inCi(streams.env)
  );
}
