import { Box, Text } from 'ink';
import { MACHINES } from '../../../machines/catalog.ts';
import type { Stall } from '../../../sim/stall/stall.ts';
import { span } from '../../cli/summary-text.ts';
import { diagramModel } from '../../diagram/model.ts';
import { currentHost, currentRollout, type DashboardState } from '../hooks/use-dashboard.ts';
import { diagramLayout } from '../model/diagram-layout.ts';
import { clip } from '../model/format.ts';
import type { RecordSource } from '../model/log.ts';
import type { ViewModel } from '../model/model.ts';
import { type ScreenLayout, screenLayout } from '../model/screen-layout.ts';
import { bannerLines } from '../model/violation-banner.ts';
import { BlockedHosts } from './BlockedHosts.tsx';
import { EventLog } from './EventLog.tsx';
import { Footer, footerHeight, type KeyHint } from './Footer.tsx';
import { Header, type HeaderProps } from './Header.tsx';
import { Help } from './Help.tsx';
import { HostDetail, type HostInspector } from './HostDetail.tsx';
import { HostGrid } from './HostGrid.tsx';
import { Line, seg } from './Line.tsx';
import { diagramHeight, RolloutDiagram, RolloutLine } from './RolloutDiagram.tsx';
import { TooSmall, tooSmall } from './TooSmall.tsx';
import { FOCUS_COLOR } from './theme.ts';
import { WaveChart } from './WaveChart.tsx';

/*
 * The screen the live run and the replay share: header, rollouts on the machine
 * diagram, the wave × host grid beside the selected host's detail, the event log, and
 * the footer of keys. Stateless: the apps own the model, the position and the keys.
 */

/** The rollout machine's diagram, read from its definition once. */
export const ROLLOUT_LAYOUT = diagramLayout(diagramModel(MACHINES.rollout, { all: false }));

export interface DashboardProps {
  readonly header: Omit<HeaderProps, 'meta' | 'width'>;
  readonly model: ViewModel;
  readonly source: RecordSource;
  readonly end: number;
  readonly state: DashboardState;
  readonly keys: readonly (KeyHint & { readonly long?: string })[];
  readonly inspect?: HostInspector;
  /** While the blocked-hosts screen is open: the blocks at this position (model/blocked.ts). */
  readonly blocks?: {
    readonly stall: Stall | null;
    readonly stalled: boolean;
    /** What a run that reached its horizon was still doing. */
    readonly still?: readonly string[];
    /** Virtual time they are taken at (the header's clock). */
    readonly at: number;
  };
  /** A line under the header that must not be missed (the invariant a counterexample breaks). */
  readonly banner?: string | null;
  readonly width: number;
  readonly height: number;
}

function Title(props: {
  readonly text: string;
  readonly focused: boolean;
  readonly width: number;
}) {
  const text = `${props.focused ? '◆' : '─'} ${props.text} `;
  return (
    <Text
      bold={props.focused}
      color={props.focused ? FOCUS_COLOR : undefined}
      dimColor={!props.focused}
    >
      {clip(text + '─'.repeat(Math.max(0, props.width - text.length)), props.width)}
    </Text>
  );
}

export function layoutFor(
  props: Pick<DashboardProps, 'model' | 'state' | 'keys' | 'banner' | 'width' | 'height'>,
): ScreenLayout {
  const rollout = currentRollout(props.model, props.state);
  return screenLayout({
    width: props.width,
    height: props.height,
    diagramHeight: diagramHeight(ROLLOUT_LAYOUT),
    rollouts: props.model.rollouts.length,
    footerHeight: footerHeight(props.keys, props.width, props.state),
    bannerLines: props.banner == null ? 0 : bannerLines(props.banner, props.width).length,
    meta: props.model.meta,
    channel: rollout === undefined ? undefined : props.model.meta.channels.get(rollout.channel),
  });
}

/** The blocked-hosts screen takes the grid's, the detail's and the log's rows. */
export const blockedPaneHeight = (layout: ScreenLayout): number =>
  layout.middleHeight + layout.logHeight + 2;

/** The layout holds down to 60 × 16, its footer then on three lines (at 40 × 12 the header had scrolled off). */
export const DASHBOARD_MIN = { width: 60, height: 16 };

export function Dashboard(props: DashboardProps) {
  if (tooSmall(props.width, props.height, DASHBOARD_MIN))
    return (
      <TooSmall
        width={props.width}
        height={props.height}
        min={DASHBOARD_MIN}
        what="the dashboard"
      />
    );
  const { model, state, width } = props;
  const layout = layoutFor(props);
  const rollout = currentRollout(model, state);
  const host = currentHost(model, rollout, state);
  const channel = rollout === undefined ? undefined : model.meta.channels.get(rollout.channel);
  const others = model.rollouts.filter((r) => r !== rollout).slice(-layout.otherRollouts);
  const hostName = host === null ? 'none' : (model.meta.hosts[host] ?? '?');
  const fullDiagram = layout.diagramLines >= diagramHeight(ROLLOUT_LAYOUT);
  const gridTitle =
    rollout === undefined
      ? 'Hosts'
      : `Hosts of ${rollout.id}: waves × hosts, control-plane state (${layout.fit?.mode ?? 'cells'})`;
  // The selected host's wave (else the cursor's) over time, when the pane has room for it.
  const wave =
    host === null ? (rollout?.currentWave ?? 0) : Math.max(0, model.meta.hostWave[host] ?? 0);
  const chartHeight = layout.middleHeight >= 18 ? 7 : 0;
  const filterNote = state.filterText === '' ? '' : ` · filter: ${state.filterText}`;
  const logNote =
    state.logSelected === null ? 'newest at the bottom' : 'scrolled back (esc: follow)';
  return (
    <Box flexDirection="column" width={width}>
      <Header meta={model.meta} width={width} {...props.header} />
      {props.banner == null
        ? null
        : bannerLines(props.banner, width).map((l) => (
            <Line key={l} width={width} segments={[seg(l, { color: 'red', bold: true })]} />
          ))}
      <Title
        text={`Rollouts (${model.rollouts.length})${model.rollouts.length > 1 ? ' ←/→ to choose' : ''}`}
        focused={state.focus === 'rollouts'}
        width={width}
      />
      {rollout === undefined ? (
        <Text dimColor>No rollout has opened yet.</Text>
      ) : fullDiagram ? (
        <RolloutDiagram
          rollout={rollout}
          layout={ROLLOUT_LAYOUT}
          start={model.meta.start}
          waves={channel?.waves.length ?? 0}
          width={width}
          selected={state.focus === 'rollouts'}
        />
      ) : (
        <RolloutLine rollout={rollout} width={width} selected={state.focus === 'rollouts'} />
      )}
      {others.map((r) => (
        <RolloutLine key={r.id} rollout={r} width={width} selected={false} />
      ))}
      {state.help ? (
        <Help
          title="rollout-sim"
          keys={props.keys}
          offset={state.helpOffset}
          width={width}
          height={layout.middleHeight + layout.logHeight + 2}
        />
      ) : state.blocked ? (
        <BlockedHosts
          stall={props.blocks?.stall ?? null}
          stalled={props.blocks?.stalled ?? false}
          still={props.blocks?.still ?? []}
          at={`+${span(((props.blocks?.at ?? model.t) - model.meta.start) / 1000)}`}
          start={model.meta.start}
          offset={state.blockedOffset}
          width={width}
          height={blockedPaneHeight(layout)}
        />
      ) : (
        <>
          <Box>
            <Box width={layout.gridWidth} flexDirection="column">
              <Title text={gridTitle} focused={state.focus === 'grid'} width={layout.gridWidth} />
              <HostGrid
                meta={model.meta}
                rollout={rollout}
                channel={channel}
                selected={host}
                width={layout.gridWidth}
                height={layout.middleHeight}
              />
            </Box>
            <Box width={1} />
            <Box width={layout.detailWidth} flexDirection="column">
              <Title text={`Host ${hostName}`} focused={false} width={layout.detailWidth} />
              <HostDetail
                model={model}
                rollout={rollout}
                host={host}
                source={props.source}
                end={props.end}
                width={layout.detailWidth}
                height={layout.middleHeight - chartHeight}
                {...(props.inspect === undefined ? {} : { inspect: props.inspect })}
              />
              {rollout !== undefined && chartHeight > 0 && channel !== undefined ? (
                <WaveChart
                  source={props.source}
                  end={props.end}
                  rolloutId={rollout.id}
                  wave={wave}
                  hosts={(channel.waves[wave] ?? []).map((i) => model.meta.hosts[i] as string)}
                  from={rollout.openedAt}
                  to={Math.max(model.t, rollout.openedAt + 1)}
                  width={layout.detailWidth}
                  height={chartHeight}
                />
              ) : null}
            </Box>
          </Box>
          <Title
            text={`Event log (${logNote}${filterNote})`}
            focused={state.focus === 'log'}
            width={width}
          />
          <EventLog
            source={props.source}
            end={props.end}
            filter={state.filter}
            selected={state.logSelected}
            start={model.meta.start}
            width={width}
            height={layout.logHeight}
          />
        </>
      )}
      <Footer keys={props.keys} width={width} prompt={state.prompt} message={state.message} />
    </Box>
  );
}
