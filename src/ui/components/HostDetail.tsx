import { Box, Text } from 'ink';
import type { HostRecord } from '../../../machines/host/state.ts';
import { targetClosure } from '../../../sim/fleet/fleet.ts';
import { stateOf } from '../model/codes.ts';
import { describe } from '../model/describe.ts';
import { clip, clock } from '../model/format.ts';
import type { RecordSource } from '../model/log.ts';
import { markOf } from '../model/marks.ts';
import type { RolloutView, ViewModel } from '../model/model.ts';
import { Line, seg } from './Line.tsx';
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

function State({ code }: { readonly code: number }) {
  const s = stateOf(code);
  return s === null ? (
    <Text dimColor>none</Text>
  ) : (
    <Text color={HOST_COLOR[s]} bold>
      {s}
    </Text>
  );
}

function recordLines(r: HostRecord, start: number, width: number): string[] {
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
  ].map((l) => clip(l, width));
}

export function HostDetail(props: HostDetailProps) {
  const { model, rollout, host, width } = props;
  const meta = model.meta;
  if (host === null || rollout === undefined) {
    return (
      <Box width={width} height={props.height}>
        <Text dimColor>No host selected.</Text>
      </Box>
    );
  }
  const name = meta.hosts[host] ?? '?';
  const wave = meta.hostWave[host] ?? -1;
  const live = props.inspect?.(name, rollout.id);
  const lines: string[] = [];
  const dispatched = rollout.dispatchedAt[host] ?? Number.NaN;
  const changed = rollout.changedAt[host] ?? Number.NaN;
  lines.push(
    clip(
      `dispatched ${Number.isNaN(dispatched) ? '—' : `+${clock(dispatched - meta.start)}`} · changed ${Number.isNaN(changed) ? '—' : `+${clock(changed - meta.start)}`}`,
      width,
    ),
  );
  lines.push(clip(`target ${targetClosure(name, rollout.targetRef)}`, width));
  lines.push(clip(`running ${live?.running ?? model.closure[host] ?? '?'}`, width));
  lines.push(`faults ${model.hostFaults[host] ?? 0}`);
  const record = live?.cp ?? null;
  if (record !== null)
    lines.push('── control-plane record', ...recordLines(record, meta.start, width));
  const headLines = 2;
  const historyRoom = Math.max(1, props.height - headLines - lines.length - 1);
  const history = props.source.hostHistory(name, props.end, historyRoom);
  return (
    <Box flexDirection="column" width={width} height={props.height} overflow="hidden">
      <Line
        width={width}
        segments={[
          seg(name, { bold: true }),
          seg(` · ${meta.hostChannel[host]} · wave ${wave} · ${rollout.id}`, { dim: true }),
        ]}
      />
      <Text wrap="truncate-end">
        cp <State code={rollout.cp[host] ?? 0} /> · agent <State code={rollout.agent[host] ?? 0} />
      </Text>
      {lines.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: positional lines
        <Text key={i} dimColor={l.startsWith('──')}>
          {l}
        </Text>
      ))}
      <Text dimColor>── history ({history.length === 0 ? 'none yet' : 'newest last'})</Text>
      {history.map((e) => (
        <Line
          key={e.index}
          width={width}
          segments={[
            seg(`+${clock(e.record.t - meta.start)} `, { dim: true }),
            seg(
              describe(e.record).replace(`${name} `, ''),
              markOf(e.record) === null ? {} : { color: 'red' },
            ),
          ]}
        />
      ))}
    </Box>
  );
}
