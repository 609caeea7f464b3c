import { Text } from 'ink';

/*
 * One screen line made of styled segments, cut to its width here rather than by Ink.
 * Ink measures and truncates overflowing text with ANSI-aware slicing on every frame
 * (and caches every truncated string for good); lines that already fit skip all of
 * that, which matters at 30 frames a second.
 */

export interface Segment {
  readonly text: string;
  readonly color?: string | undefined;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly inverse?: boolean;
}

/** The segments cut so that their text fits `width` columns, the last cut one ending in `…`. */
export function clipSegments(segments: readonly Segment[], width: number): Segment[] {
  const out: Segment[] = [];
  let used = 0;
  for (const s of segments) {
    if (s.text === '') continue;
    const room = width - used;
    if (room <= 0) break;
    if (s.text.length <= room) {
      out.push(s);
      used += s.text.length;
      continue;
    }
    out.push({ ...s, text: `${s.text.slice(0, Math.max(0, room - 1))}…` });
    break;
  }
  return out;
}

export function Line({
  segments,
  width,
}: {
  readonly segments: readonly Segment[];
  readonly width: number;
}) {
  const clipped = clipSegments(segments, width);
  return (
    <Text>
      {clipped.map((s, i) =>
        s.color === undefined && !s.bold && !s.dim && !s.inverse ? (
          s.text
        ) : (
          <Text
            // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional
            key={i}
            color={s.color}
            bold={s.bold === true}
            dimColor={s.dim === true}
            inverse={s.inverse === true}
          >
            {s.text}
          </Text>
        ),
      )}
    </Text>
  );
}

/** A segment helper: `seg('text', { color: 'red' })`. */
export const seg = (text: string, style: Omit<Segment, 'text'> = {}): Segment => ({
  text,
  ...style,
});
