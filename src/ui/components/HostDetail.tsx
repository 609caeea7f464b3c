import { Text } from 'ink';
import type { HostRecord } from '../../../machines/host/state.ts';
import { targetClosure } from '../../../sim/fleet/fleet.ts';
import { stateOf } from '../model/codes.ts';
import { describe } from '../model/describe.ts';
import { clock } from '../model/format.ts';
import type { RecordSource } from '../model/log.ts';
import { markOf } from '../model/marks.ts';
import type { RolloutView, ViewModel } from '../model/model.ts';
import { Line, type Segment, seg } from './Line.tsx';
import { Pane } from './Pane.tsx';
import { HOST_COLOR } from './theme.ts';

/*
 * Everything about the selected host in the selected rollout: both sides' states, its
 * wave, closures, faults, the timestamps of its record, its probes, and its history
 * (newest last). A live run can look at the real records in the simulator
 * (`HostInspector`); a replay shows what the trace carries.
 */

export type HostInspector = (
  host: string,
  rolloutId: string,
) => { cp: HostRecord | null; agent: HostRecord | null; running: string | null };

export interface HostDetailProps {
  readonly model: ViewModel;
  readonly rollout: RolloutView | undefined;
  readonly host: number | null;
  readonly source: RecordSource;
  /** Records before this index are the past. */
  readonly end: number;
  readonly inspect?: HostInspector;
  readonly width: number;
  readonly height: number;
}

/** A host state as a coloured segment, `none` (dim) when the side has no record. */
function stateSeg(code: number): Segment {
  const s = stateOf(code);
  return s === null ? seg('none', { dim: true }) : seg(s, { color: HOST_COLOR[s], bold: true });
}

/**
 * How the pane's rows are shared out: the host's own lines first, then the
 * control-plane record when at least two of its lines fit beside the history's title and
 * one entry (a lone title says nothing), then the history takes what is left.
 */
export function detailBudget(
  height: number,
  head: number,
  record: number,
): { record: number; history: number } {
  const left = Math.max(0, height - head);
  const recordShown = record > 0 && left - 2 >= 2 ? Math.min(record, left - 2) : 0;
  return { record: recordShown, history: Math.max(0, left - recordShown - 1) };
}

function recordLines(r: HostRecord, start: number): string[] {
  const at = (t: number | null) => (t === null ? '—' : `+${clock(t - start)}`);
  const probes = Object.entries(r.probes)
    .map(([name, p]) => `${name} ${p.status} (${p.mode})`)
    .join(', ');
  return [
    `dispatched ${at(r.dispatchedAt)}  acked ${at(r.dispatchAckedAt)}`,
    `activation ${at(r.activationStartedAt)} → ${at(r.activationCompletedAt)}${r.activationFailedAt === null ? '' : `  failed ${at(r.activationFailedAt)}`}`,
    `soak due ${at(r.soakDueAt)}  converged ${at(r.convergedAt)}`,
    `failed ${at(r.failedAt)}  reverted ${at(r.revertedAt)}${r.revertedTo === null ? '' : ` to ${r.revertedTo}`}`,
    ...(r.policyApplied === null ? [] : [`policy applied ${r.policyApplied}`]),
    `probes ${probes === '' ? 'none yet' : probes}`,
    `seq ${r.lastEventSeq}`,
  ];
}

export function HostDetail(props: HostDetailProps) {
  const { model, rollout, host, width } = props;
  const meta = model.meta;
  if (host === null || rollout === undefined) {
    return (
      <Pane width={width} height={props.height}>
        <Text dimColor>No host selected.</Text>
      </Pane>
    );
  }
  const name = meta.hosts[host] ?? '?';
  const wave = meta.hostWave[host] ?? -1;
  const live = props.inspect?.(name, rollout.id);
  const at = (t: number) => (Number.isNaN(t) ? '—' : `+${clock(t - meta.start)}`);
  const head: Segment[][] = [
    [
      seg(name, { bold: true }),
      seg(` · ${meta.hostChannel[host]} · wave ${wave} · ${rollout.id}`, { dim: true }),
    ],
    [
      seg('cp '),
      stateSeg(rollout.cp[host] ?? 0),
      seg(' · agent '),
      stateSeg(rollout.agent[host] ?? 0),
    ],
    [
      seg(
        `dispatched ${at(rollout.dispatchedAt[host] ?? Number.NaN)} · changed ${at(rollout.changedAt[host] ?? Number.NaN)}`,
      ),
    ],
    [seg(`target ${targetClosure(name, rollout.targetRef)}`)],
    [seg(`running ${live?.running ?? model.closure[host] ?? '?'}`)],
    [seg(`faults ${model.hostFaults[host] ?? 0}`)],
  ];
  const cp = live?.cp ?? null;
  const record =
    cp === null
      ? []
      : [
          [seg('── control-plane record', { dim: true })],
          ...recordLines(cp, meta.start).map((l) => [seg(l)]),
        ];
  const budget = detailBudget(props.height, head.length, record.length);
  const history =
    budget.history > 0 ? props.source.hostHistory(name, props.end, budget.history) : [];
  const rows: Segment[][] = [
    ...head,
    ...record.slice(0, budget.record),
    ...(budget.history > 0
      ? [[seg(`── history (${history.length === 0 ? 'none yet' : 'newest last'})`, { dim: true })]]
      : []),
    ...history.map((e) => [
      seg(`+${clock(e.record.t - meta.start)} `, { dim: true }),
      seg(
        describe(e.record).replace(`${name} `, ''),
        markOf(e.record) === null ? {} : { color: 'red' },
      ),
    ]),
  ];
  return (
    <Pane width={width} height={props.height}>
      {rows.slice(0, props.height).map((segments, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: positional lines
        <Line key={i} width={width} segments={segments} />
      ))}
    </Pane>
  );
}
