import { Box, type Key, Text, useApp } from 'ink';
import { useMemo, useReducer } from 'react';
import { MACHINES } from '../../../machines/catalog.ts';
import type { HostState } from '../../../machines/host/state.ts';
import type { RolloutState } from '../../../machines/rollout/state.ts';
import { diagramModel, edgeLabel } from '../../diagram/model.ts';
import { Footer, type KeyHint } from '../components/Footer.tsx';
import { StateChips } from '../components/StateChips.tsx';
import { HOST_COLOR, ROLLOUT_COLOR } from '../components/theme.ts';
import { useKeys } from '../hooks/use-keys.ts';
import { type Size, useTerminalSize } from '../hooks/use-terminal-size.ts';
import { diagramLayout, edgesFrom } from '../model/diagram-layout.ts';
import { clock, clip } from '../model/format.ts';
import { EventList, outcomeColor, outcomeText } from './EventList.tsx';
import { fieldsOf } from './fields.ts';
import { type ExplorerUi, explorerKey, initialUi } from './keys.ts';
import { FieldEditor } from './FieldEditor.tsx';
import { defaultEvent, eventTypes, initialExplorer, type MachineName, outcomeOf } from './model.ts';
import { effectJson, errorJson, recordJson, tagged } from './wire.ts';
import { RUN_START } from '../../../sim/world.ts';

/*
 * `rollout-sim machine rollout|host`: one record and its machine, stepped by hand.
 * The list shows every event with what it would do from here (asked of the machine);
 * enter picks one to edit, enter again applies it; u undoes. The diagram is the
 * machine's own, with the states this session has reached ticked.
 */

export const EXPLORER_KEYS: readonly (KeyHint & { long: string })[] = [
  { key: '↑/↓', does: 'choose', long: 'choose an event (or, while editing, a field)' },
  { key: 'enter', does: 'edit/apply', long: 'edit the chosen event; enter again applies it' },
  {
    key: '←/→',
    does: 'change field',
    long: 'while editing: step the chosen field (states, seq, waves, closures, times…)',
  },
  { key: 'a', does: 'apply as is', long: 'apply the chosen event with the fields shown' },
  { key: 'esc', does: 'back', long: 'stop editing (the edits are dropped)' },
  { key: 'u', does: 'undo', long: 'undo the last step' },
  { key: 'r', does: 'reset', long: 'back to the initial record' },
  {
    key: 'p',
    does: 'policy',
    long: 'host machine: switch on_health_failure (halt / rollback-and-halt)',
  },
  { key: '?', does: 'help', long: 'this help' },
  { key: 'q', does: 'quit', long: 'quit (Ctrl-C too)' },
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
  const { explorer: state, selected, draft, field, help } = ui;

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

  const colorOf = (s: string) =>
    machine === 'rollout' ? ROLLOUT_COLOR[s as RolloutState] : HOST_COLOR[s as HostState];
  const current = state.record.state;
  const record = recordJson(machine, state.record);
  const keyWidth = Math.max(...Object.keys(record).map((k) => k.length)) + 1;
  const left = Math.max(36, Math.floor(width * 0.42));
  const right = Math.max(30, width - left - 1);
  const chipLines = Math.max(...layout.columns.map((c) => c.length));
  const bodyHeight = Math.max(10, height - 1 - 1 - (chipLines + 3) - 1 - 2);
  const listHeight = Math.min(types.length, Math.max(4, Math.floor(bodyHeight * 0.5)));
  const historyHeight = Math.max(3, bodyHeight - Object.keys(record).length - 1);
  const next = edgesFrom(layout, current).map(
    (e) =>
      `${edgeLabel(e)} → ${e.kind === 'self' ? '(stays)' : e.to}${state.taken.includes(`${e.from}>${e.to}`) ? ' ✓' : ''}`,
  );
  const result = chosen.outcome;

  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        <Text bold color="cyan">
          rollout-sim
        </Text>{' '}
        ▸ machine {machine} <Text dimColor>│</Text> state{' '}
        <Text bold color={colorOf(current)}>
          {current}
        </Text>{' '}
        <Text dimColor>│</Text> {state.history.length} steps <Text dimColor>│</Text> clock +
        {clock(state.clock - RUN_START)}{' '}
        {machine === 'host' ? (
          <Text>
            <Text dimColor>│</Text> policy <Text bold>{state.policy.onHealthFailure}</Text>{' '}
          </Text>
        ) : null}
        <Text dimColor>│</Text> visited {state.visited.length}/{MACHINES[machine].states.length}{' '}
        states
      </Text>
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
      <Text wrap="truncate-end">
        <Text dimColor>taken </Text>
        {state.taken.length === 0
          ? 'none yet'
          : state.taken.map((t) => t.replace('>', '→')).join(' · ')}
      </Text>
      <Text wrap="wrap">
        <Text dimColor>from {current} </Text>
        {next.length === 0 ? 'no event changes anything here' : next.join(' · ')}
      </Text>
      {help ? (
        <Box
          flexDirection="column"
          borderStyle="round"
          borderColor="cyan"
          paddingX={1}
          width={width}
        >
          <Text bold color="cyan">
            machine explorer — keys (any key closes this help)
          </Text>
          {EXPLORER_KEYS.map((k) => (
            <Text key={k.key}>
              <Text bold color="cyan">
                {k.key.padEnd(8)}
              </Text>
              {k.long}
            </Text>
          ))}
          <Text> </Text>
          <Text>
            Outcomes come from the machine's step function: → State (a transition), stays (a change
            in place), no-op, or ✗ the refusal (IllegalForState, Unimplemented, SeqRegression,
            Invariant).
          </Text>
        </Box>
      ) : (
        <Box>
          <Box flexDirection="column" width={left}>
            <Title text="Record (wire form)" width={left} />
            {Object.entries(record).map(([k, v]) => (
              <Text key={k} wrap="truncate-end">
                <Text dimColor>{k.padEnd(keyWidth)}</Text>
                {typeof v === 'string' ? v : JSON.stringify(v)}
              </Text>
            ))}
            <Title text={`History (${state.history.length}; u undoes)`} width={left} />
            <Box flexDirection="column" height={historyHeight} overflow="hidden">
              {state.history.length === 0 ? <Text dimColor>no steps yet</Text> : null}
              {state.history.slice(-historyHeight).map((h, k, shown) => {
                const n = state.history.length - shown.length + k + 1;
                return (
                  <Text key={n} wrap="truncate-end">
                    <Text dimColor>{String(n).padStart(3)}. </Text>
                    {h.event.type}{' '}
                    <Text color={outcomeColor(h.outcome)}>
                      {h.outcome.kind === 'transition'
                        ? `${h.outcome.from} → ${h.outcome.to}`
                        : outcomeText(h.outcome)}
                    </Text>
                  </Text>
                );
              })}
            </Box>
          </Box>
          <Box width={1} />
          <Box flexDirection="column" width={right}>
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
            <Text wrap="truncate-end">
              <Text dimColor>result </Text>
              <Text bold color={outcomeColor(result)}>
                {result.kind}
              </Text>{' '}
              {result.kind === 'transition' ? `${result.from} → ${result.to}` : outcomeText(result)}
            </Text>
            {result.error !== null ? (
              <Text wrap="truncate-end" color="red">
                {tagged(errorJson(machine, result.error))}
              </Text>
            ) : null}
            {result.effects.map((e, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: effects are ordered
              <Text key={i} wrap="truncate-end">
                <Text dimColor>effect {i + 1} </Text>
                {tagged(effectJson(machine, e))}
              </Text>
            ))}
          </Box>
        </Box>
      )}
      <Footer keys={EXPLORER_KEYS} width={width} prompt={null} />
    </Box>
  );
}
