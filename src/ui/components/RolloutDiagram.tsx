import { Box } from 'ink';
import type { RolloutState } from '../../../machines/rollout/state.ts';
import { rolloutStateBit } from '../model/codes.ts';
import { type DiagramLayout, edgesFrom } from '../model/diagram-layout.ts';
import { clip, clock } from '../model/format.ts';
import type { RolloutView } from '../model/model.ts';
import { Line, seg } from './Line.tsx';
import { type ChipMark, chipRows, StateChips } from './StateChips.tsx';
import { ROLLOUT_COLOR } from './theme.ts';

/*
 * A rollout on the machine's own diagram (laid out from `diagramModel`, never drawn by
 * hand): the current state boxed `[Active]` and highlighted, states it has been in
 * ticked `✓`, the transitions it took spelled out in order, and what the machine
 * allows from here — the taken ones ticked as well.
 */

/** `1 transition`, `2 transitions`. */
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export interface RolloutDiagramProps {
  readonly rollout: RolloutView;
  readonly layout: DiagramLayout;
  readonly start: number;
  readonly waves: number;
  readonly width: number;
  readonly selected: boolean;
}

function markOf(r: RolloutView, state: string): ChipMark {
  if (state === r.state) return 'current';
  return (r.visited & rolloutStateBit(state as RolloutState)) !== 0 ? 'visited' : 'never';
}

/** `Opening ─HostJoined→ Active ─HostStateChanged→ Failed`, the newest end kept when long. */
export function pathText(r: RolloutView, width: number): string {
  for (let k = 0; k < r.path.length; k++) {
    const kept = r.path.slice(k);
    const first = kept[0] as RolloutView['path'][number];
    const text = `${k > 0 ? '… ' : ''}${first.from}${kept.map((p) => ` ─${p.event}→ ${p.to}`).join('')}`;
    if (text.length <= width || k === r.path.length - 1) return clip(text, width);
  }
  return `${r.state} (no transition yet)`;
}

/**
 * What the machine allows from the current state, one entry per event:
 * `HostStateChanged→Reverted|Failed`, `WaveAdvanced→(stays)|Converging`; targets already
 * taken by this rollout are ticked.
 */
export function nextText(layout: DiagramLayout, r: RolloutView): string {
  const taken = new Set(r.path.map((p) => `${p.from}>${p.to}`));
  const byEvent = new Map<string, string[]>();
  for (const e of edgesFrom(layout, r.state)) {
    const target =
      e.kind === 'self' ? '(stays)' : `${e.to}${taken.has(`${e.from}>${e.to}`) ? '✓' : ''}`;
    const key = e.events.join('/');
    byEvent.set(key, [...(byEvent.get(key) ?? []), target]);
  }
  if (byEvent.size === 0) return 'nothing: every event is refused or a no-op here';
  return [...byEvent].map(([event, targets]) => `${event}→${targets.join('|')}`).join(' · ');
}

export function RolloutDiagram(props: RolloutDiagramProps) {
  const { rollout: r, layout, width } = props;
  const next = nextText(layout, r);
  const wave = `wave cursor w${r.currentWave}${props.waves > 0 ? ` of ${props.waves} waves` : ''}`;
  const ended = r.terminalAt === null ? '' : ` · terminal +${clock(r.terminalAt - props.start)}`;
  return (
    <Box flexDirection="column" width={width}>
      <Line
        width={width}
        segments={[
          seg(r.id, { bold: true, inverse: props.selected }),
          seg(' '),
          seg(r.state, { bold: true, color: ROLLOUT_COLOR[r.state] }),
          seg(
            ` ${wave} · opened +${clock(r.openedAt - props.start)}${ended} · ${plural(r.path.length, 'transition')} · ${r.refused} refused`,
            { dim: true },
          ),
        ]}
      />
      <StateChips
        layout={layout}
        markOf={(state) => markOf(r, state)}
        colorOf={(state) => ROLLOUT_COLOR[state as RolloutState]}
        width={width}
      />
      <Line width={width} segments={[seg('taken ', { dim: true }), seg(pathText(r, width - 6))]} />
      <Line width={width} segments={[seg('next ', { dim: true }), seg(next)]} />
    </Box>
  );
}

/** One line for a rollout that is not the selected one. */
export function RolloutLine(props: {
  readonly rollout: RolloutView;
  readonly width: number;
  readonly selected: boolean;
}) {
  const r = props.rollout;
  return (
    <Line
      width={props.width}
      segments={[
        seg(r.id, { bold: true, inverse: props.selected }),
        seg(' '),
        seg(r.state, { color: ROLLOUT_COLOR[r.state] }),
        seg(` ${pathText(r, Math.max(10, props.width - r.id.length - r.state.length - 2))}`, {
          dim: true,
        }),
      ]}
    />
  );
}

/** How many lines `RolloutDiagram` takes for a layout. */
export function diagramHeight(layout: DiagramLayout): number {
  return 3 + chipRows(layout);
}
