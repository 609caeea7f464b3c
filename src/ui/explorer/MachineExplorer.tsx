import { Box, type Key, Text, useApp } from 'ink';
import { useMemo, useReducer } from 'react';
import { MACHINES } from '../../../machines/catalog.ts';
import type { HostState } from '../../../machines/host/state.ts';
import type { RolloutState } from '../../../machines/rollout/state.ts';
import { RUN_START } from '../../../sim/world.ts';
import { diagramModel, edgeLabel } from '../../diagram/model.ts';
import { Footer, footerRows } from '../components/Footer.tsx';
import { Help, type HelpNote } from '../components/Help.tsx';
import { HELP_KEY, type HelpedKey, quitKey } from '../components/key-hints.ts';
import { Line, seg } from '../components/Line.tsx';
import { Pane } from '../components/Pane.tsx';
import { chipRows, StateChips } from '../components/StateChips.tsx';
import { TooSmall, tooSmall } from '../components/TooSmall.tsx';
import { HOST_COLOR, ROLLOUT_COLOR } from '../components/theme.ts';
import { useKeys } from '../hooks/use-keys.ts';
import { type Size, useTerminalSize } from '../hooks/use-terminal-size.ts';
import { type DiagramLayout, diagramLayout, edgesFrom } from '../model/diagram-layout.ts';
import { clip } from '../model/format.ts';
import { EventList, outcomeColor, outcomeText } from './EventList.tsx';
import { FieldEditor } from './FieldEditor.tsx';
import { fieldsOf } from './fields.ts';
import { explorerHeader } from './header.ts';
import { type ExplorerUi, explorerKey, initialUi } from './keys.ts';
import { defaultEvent, eventTypes, initialExplorer, type MachineName, outcomeOf } from './model.ts';
import type { Plan } from './plan.ts';
import { effectJson, errorJson, recordJson, tagged } from './wire.ts';

/*
 * `rollout-sim machine rollout|host`: one record and its machine, stepped by hand.
 * The list shows every event with what it would do from here (asked of the machine);
 * enter picks one to edit, enter again applies it; u undoes. The diagram is the
 * machine's own, with the states this session has reached ticked.
 */

export const EXPLORER_KEYS: readonly HelpedKey[] = [
  { key: '↑/↓', does: 'choose', long: 'choose an event (or, while editing, a field)' },
  { key: 'enter', does: 'edit/apply', long: 'edit the chosen event; enter again applies it' },
  {
    key: '←/→',
    does: 'change field',
    long: 'while editing: step the chosen field (states, seq, waves, closures, times…)',
  },
  { key: 'a', does: 'apply as is', long: 'apply the chosen event with the fields shown' },
  { key: 'esc', does: 'back', long: 'stop editing (the edits are dropped)' },
  {
    key: 't',
    does: 'path',
    long: 'choose the next target state and show the shortest path to it from here',
  },
  {
    key: 'c',
    does: 'cell path',
    long: 'shortest path to the target state, then the chosen event (that table cell)',
  },
  { key: 'n', does: 'follow', long: 'apply the next event of the path shown' },
  { key: 'u', does: 'undo', long: 'undo the last step' },
  { key: 'r', does: 'reset', long: 'back to the initial record' },
  {
    key: 'p',
    does: 'policy',
    long: 'host machine: switch on_health_failure (halt / rollback-and-halt)',
  },
  HELP_KEY,
  quitKey(),
];

export interface MachineExplorerProps {
  readonly machine: MachineName;
  readonly size?: Partial<Size>;
}

function Title({
  text,
  width,
  focused = false,
}: {
  text: string;
  width: number;
  focused?: boolean;
}) {
  const head = `${focused ? '◆' : '─'} ${text} `;
  return (
    <Text bold={focused} color={focused ? 'cyan' : undefined} dimColor={!focused}>
      {clip(head + '─'.repeat(Math.max(0, width - head.length)), width)}
    </Text>
  );
}

/** Its two columns fit from 70 × 20 up (at 60 × 16 the event list wraps). */
export const EXPLORER_MIN = { width: 70, height: 20 };

export function MachineExplorer({ machine, size }: MachineExplorerProps) {
  const { exit } = useApp();
  const { width, height } = useTerminalSize(size);
  const layout = useMemo(
    () => diagramLayout(diagramModel(MACHINES[machine], { all: false })),
    [machine],
  );
  const [ui, dispatch] = useReducer(
    (current: ExplorerUi, k: { input: string; key: Key }) =>
      explorerKey(current, k.input, k.key, RUN_START),
    machine,
    (m) => initialUi(initialExplorer(m)),
  );
  const { explorer: state, selected, draft, field, help, plan } = ui;

  const types = eventTypes(machine);
  const chosenType = types[selected] as string;
  const events = types.map((type) => {
    const event = draft !== null && type === chosenType ? draft : defaultEvent(state, type);
    return { type, event, outcome: outcomeOf(state, event) };
  });
  const chosen = events[selected] as (typeof events)[number];
  const fields = fieldsOf(chosen.event, RUN_START);

  useKeys((input, key) => {
    if (key.ctrl && input === 'c') return exit();
    if (input === 'q') return exit();
    dispatch({ input, key });
  });
  if (tooSmall(width, height, EXPLORER_MIN))
    return <TooSmall width={width} height={height} min={EXPLORER_MIN} what="the explorer" />;

  const colorOf = (s: string) =>
    machine === 'rollout' ? ROLLOUT_COLOR[s as RolloutState] : HOST_COLOR[s as HostState];
  const current = state.record.state;
  const record = Object.entries(recordJson(machine, state.record));
  const keyWidth = Math.max(...record.map(([k]) => k.length)) + 1;
  const result = chosen.outcome;
  const details =
    result.error !== null
      ? [tagged(errorJson(machine, result.error))]
      : result.effects.map((e, i) => `effect ${i + 1} ${tagged(effectJson(machine, e))}`);

  // Heights: everything fits the terminal (one line short: Ink redraws a full screen
  // by clearing it), the event list and the history take what is left.
  const left = Math.max(36, Math.floor(width * 0.42));
  const right = Math.max(30, width - left - 1);
  const footerLines = footerRows(EXPLORER_KEYS, width).length;
  const fromLines = 2;
  const top = 2 + chipRows(layout) + 1 + fromLines;
  const body = Math.max(8, height - 1 - top - footerLines);
  const detailLines = Math.min(details.length, 4);
  const listHeight = Math.max(3, Math.min(types.length, body - 3 - fields.length - detailLines));
  const recordLines = Math.min(record.length, body - 3);
  const historyHeight = Math.max(1, body - recordLines - 2);

  return (
    <Box flexDirection="column" width={width}>
      <Line
        width={width}
        segments={explorerHeader(
          {
            machine,
            state: current,
            stateColor: colorOf(current),
            states: MACHINES[machine].states,
            steps: state.history.length,
            clock: state.clock - RUN_START,
            policy: machine === 'host' ? state.policy.onHealthFailure : null,
            visited: state.visited.length,
          },
          width,
        )}
      />
      <Title
        text={`The ${machine} machine, from its definition ([current] · ✓ reached this session)`}
        width={width}
      />
      <StateChips
        layout={layout}
        markOf={(s) =>
          s === current ? 'current' : state.visited.includes(s) ? 'visited' : 'never'
        }
        colorOf={colorOf}
        width={width}
      />
      {plan !== null ? (
        <Line width={width} segments={planSegments(plan)} />
      ) : (
        <Line
          width={width}
          segments={[
            seg('taken ', { dim: true }),
            seg(
              state.taken.length === 0
                ? 'none yet'
                : state.taken.map((t) => t.replace('>', '→')).join(' · '),
            ),
          ]}
        />
      )}
      <Box height={fromLines} overflow="hidden">
        <Text wrap="wrap">
          <Text dimColor>from {current} </Text>
          {fromText(layout, current, state.taken)}
        </Text>
      </Box>
      {help ? (
        <Help
          title="machine explorer"
          keys={EXPLORER_KEYS}
          notes={EXPLORER_NOTES}
          offset={ui.helpOffset}
          width={width}
          height={body}
        />
      ) : (
        <Box height={body} overflow="hidden">
          <Pane width={left} height={body}>
            <Title text="Record (wire form)" width={left} />
            {record.slice(0, recordLines).map(([k, v]) => (
              <Line
                key={k}
                width={left}
                segments={[
                  seg(k.padEnd(keyWidth), { dim: true }),
                  seg(typeof v === 'string' ? v : JSON.stringify(v)),
                ]}
              />
            ))}
            <Title text={`History (${state.history.length}; u undoes)`} width={left} />
            {state.history.length === 0 ? <Text dimColor>no steps yet</Text> : null}
            {state.history.slice(-historyHeight).map((h, k, shown) => {
              const n = state.history.length - shown.length + k + 1;
              return (
                <Line
                  key={n}
                  width={left}
                  segments={[
                    seg(`${String(n).padStart(3)}. `, { dim: true }),
                    seg(`${h.event.type} `),
                    seg(
                      h.outcome.kind === 'transition'
                        ? `${h.outcome.from} → ${h.outcome.to}`
                        : outcomeText(h.outcome),
                      { color: outcomeColor(h.outcome) },
                    ),
                  ]}
                />
              );
            })}
          </Pane>
          <Box width={1} />
          <Pane width={right} height={body}>
            <Title
              text={`Events from ${current}: what each would do`}
              width={right}
              focused={draft === null}
            />
            <EventList
              events={events}
              selected={selected}
              focused={draft === null}
              width={right}
              height={listHeight}
            />
            <Title
              text={
                draft === null
                  ? `${chosen.type} (enter to edit)`
                  : `${chosen.type}: editing (enter applies, esc drops)`
              }
              width={right}
              focused={draft !== null}
            />
            <FieldEditor
              type={chosen.type}
              fields={fields}
              selected={field}
              editing={draft !== null}
              width={right}
            />
            <Line
              width={right}
              segments={[
                seg('result ', { dim: true }),
                seg(result.kind, { bold: true, color: outcomeColor(result) }),
                seg(
                  ` ${result.kind === 'transition' ? `${result.from} → ${result.to}` : outcomeText(result)}`,
                ),
              ]}
            />
            {details.slice(0, detailLines).map((d) => (
              <Line
                key={d}
                width={right}
                segments={[seg(d, result.error !== null ? { color: 'red' } : {})]}
              />
            ))}
          </Pane>
        </Box>
      )}
      <Footer keys={EXPLORER_KEYS} width={width} prompt={null} />
    </Box>
  );
}

/** The plan line: where it goes and the events left, the next one first. */
function planSegments(plan: Plan) {
  if (!plan.found)
    return [
      seg(`path to ${plan.target} `, { dim: true }),
      seg('unreachable from here', { color: 'red' }),
    ];
  if (plan.events.length === 0)
    return [seg(`path to ${plan.target} `, { dim: true }), seg('reached ✓', { color: 'green' })];
  const n = plan.events.length;
  return [
    seg(`path to ${plan.target} `, { dim: true }),
    seg(`${n} ${n === 1 ? 'step' : 'steps'}: `),
    seg(plan.events[0]?.type ?? '', { bold: true }),
    seg(
      plan.events
        .slice(1)
        .map((e) => ` → ${e.type}`)
        .join(''),
    ),
    seg(' (n applies the next)', { dim: true }),
  ];
}

/** The edges leaving a state, as the model labels them; long event lists shortened, taken ones ticked. */
function fromText(layout: DiagramLayout, state: string, taken: readonly string[]): string {
  const edges = edgesFrom(layout, state);
  if (edges.length === 0) return 'no event changes anything here';
  return edges
    .map((e) => {
      const events =
        e.events.length > 2 ? `${e.events[0]} (+${e.events.length - 1} more)` : e.events.join(', ');
      const label = edgeLabel({ ...e, events: [events] });
      const mark = taken.includes(`${e.from}>${e.to}`) ? ' ✓' : '';
      return `${label} → ${e.kind === 'self' ? '(stays)' : e.to}${mark}`;
    })
    .join(' · ');
}

const EXPLORER_NOTES: readonly HelpNote[] = [
  {
    title: "Outcomes come from the machine's step function",
    body: '→ State (a transition) · stays (a change in place) · no-op · ✗ the refusal (IllegalForState, Unimplemented, SeqRegression, Invariant)',
  },
];
