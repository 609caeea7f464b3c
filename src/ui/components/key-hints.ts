import type { KeyHint } from './Footer.tsx';

/** A key as the footer lists it, with the longer line the `?` help shows. */
export type HelpedKey = KeyHint & { readonly long: string };

/** The keys the live and replay screens share: the log filter and moving about the panes. */
export const PANE_KEYS: readonly HelpedKey[] = [
  {
    key: '/',
    does: 'filter',
    long: 'filter the log: host:NAME wave:N rollout:ID kind:KIND or text',
  },
  { key: 'tab', does: 'focus', long: 'move focus: rollouts → grid → log' },
  {
    key: 'arrows',
    does: 'select',
    long: 'choose a rollout / a host / a log line (in the focused pane)',
  },
];

/** The blocked-hosts screen, on the live and replay screens alike. */
export const BLOCKED_KEY: HelpedKey = {
  key: 'b',
  does: 'blocked',
  long: 'the blocked hosts: who waits on which gate and why, since when, whether it can ever clear (↑/↓ scroll; b or esc closes)',
};

export const HELP_KEY: HelpedKey = { key: '?', does: 'help', long: 'this help' };

export function quitKey(long = 'quit (Ctrl-C too)'): HelpedKey {
  return { key: 'q', does: 'quit', long };
}
