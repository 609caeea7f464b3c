import { Box, Text } from 'ink';
import { HOST_STATES } from '../../../machines/host/state.ts';
import type { KeyHint } from './Footer.tsx';
import { HOST_LETTER, NONE_LETTER } from './theme.ts';

/*
 * `?`: every key with a sentence, what the grid's letters and marks mean, and the
 * filter syntax. Any key closes it.
 */

/** A paragraph after the keys: what the screen's marks and words mean. */
export interface HelpNote {
  readonly title: string;
  readonly body: string;
}

/** The notes of the live and replay screens. */
export const DASHBOARD_NOTES: readonly HelpNote[] = [
  {
    title: "Grid: one letter per host, the control plane's state in the selected rollout",
    body: `${HOST_STATES.map((s) => `${HOST_LETTER[s]} ${s}`).join('  ')}  ${NONE_LETTER} not joined yet · ▸ marks the wave cursor · bars when hosts outnumber the screen`,
  },
  {
    title: 'Diagram: the rollout machine, laid out from its definition',
    body: '[State] is where the rollout is · ✓State it has been there · taken: the transitions in order · next: what the machine allows from here',
  },
  {
    title: 'Filter (/): terms that must all match',
    body: 'host:db-04 (or a prefix: host:web-0) · wave:2 · rollout:stable@v1 · kind:fault (record type, event or fault kind) · any other word: text in the line',
  },
];

export interface HelpProps {
  readonly title: string;
  readonly keys: readonly (KeyHint & { readonly long?: string })[];
  /** Paragraphs after the keys (default: the dashboard's). */
  readonly notes?: readonly HelpNote[];
  readonly width: number;
  readonly height: number;
}

/**
 * Words packed into lines of at most `width` columns; a longer word is cut. A lone
 * letter at a line's end (the grid's `R` before `Reverted`) moves down with its word.
 */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      const lone = /^(.*\S) +(\S)$/.exec(line);
      if (lone !== null && word !== '') {
        lines.push(lone[1] as string);
        line = `${lone[2]} ${word}`;
      } else {
        lines.push(line);
        line = word;
      }
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.map((l) => l.slice(0, width));
}

interface HelpLine {
  readonly key?: string;
  readonly text: string;
  readonly bold?: boolean;
}

/** Every help line, wrapped to `width`: keys first (the part people open it for), then the legends. */
export function helpLines(props: Pick<HelpProps, 'keys' | 'notes'>, width: number): HelpLine[] {
  const out: HelpLine[] = [];
  const pad = 12;
  for (const k of props.keys) {
    const text = wrapWords(k.long ?? k.does, Math.max(10, width - pad));
    text.forEach((t, i) => {
      out.push({ key: i === 0 ? k.key.padEnd(pad) : ' '.repeat(pad), text: t });
    });
  }
  for (const note of props.notes ?? DASHBOARD_NOTES) {
    out.push({ text: '' }, ...wrapWords(note.title, width).map((t) => ({ text: t, bold: true })));
    out.push(...wrapWords(note.body, width).map((t) => ({ text: t })));
  }
  return out;
}

/**
 * Lines are wrapped here and never shrunk by the layout: when they do not fit, ↑/↓ scroll
 * (`offset`) rather than squeezing rows on top of each other.
 */
export function Help(props: HelpProps & { readonly offset?: number }) {
  const inner = Math.max(10, props.width - 4);
  const lines = helpLines(props, inner);
  const room = Math.max(1, props.height - 3);
  const offset = Math.max(0, Math.min(props.offset ?? 0, lines.length - room));
  const shown = lines.slice(offset, offset + room);
  const more = lines.length > room;
  const title = `${props.title} — keys (${more ? '↑/↓ scroll, ' : ''}any other key closes)`;
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
      <Text bold color="cyan" wrap="truncate-end">
        {title.slice(0, inner)}
      </Text>
      {shown.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: positional lines
        <Box key={i} flexShrink={0} height={1}>
          <Text wrap="truncate-end" bold={l.bold === true}>
            {l.key === undefined ? null : (
              <Text bold color="cyan">
                {l.key}
              </Text>
            )}
            {l.text === '' ? ' ' : l.text}
          </Text>
        </Box>
      ))}
    </Box>
  );
}
