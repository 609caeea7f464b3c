import { MACHINES } from '../../machines/catalog.ts';
import { span, stallText, unsettledText } from '../cli/summary-text.ts';
import { diagramModel } from '../diagram/model.ts';
import type { LoadedTrace } from '../ui/replay/load-trace.ts';
import { type Chart, escapeHtml, page } from './page.ts';
import {
  COUNT_AXIS,
  gateColor,
  HOST_STATE_COLOR,
  ROLLOUT_STATE_COLOR,
  timeAxis,
} from './scales.ts';
import { traceData } from './trace-data.ts';

/** The diagram model's edges as a table, the ones the run took highlighted. */
function reachedTable(
  name: 'rollout' | 'host',
  taken: (from: string, event: string, to: string) => boolean,
): string {
  const model = diagramModel(MACHINES[name], { all: false });
  const rows = model.edges
    .filter((e) => e.kind === 'transition')
    .map((e) => {
      const hit = e.events.some((ev) => taken(e.from, ev, e.to));
      const cls = hit ? 'reached' : 'unreached';
      return `<tr><td class="${cls}">${escapeHtml(e.from)}</td><td class="${cls}">${escapeHtml(e.events.join(', '))}${e.condition === null ? '' : ` [${escapeHtml(e.condition)}]`}</td><td class="${cls}">${escapeHtml(e.to)}</td><td>${hit ? 'reached' : ''}</td></tr>`;
    })
    .join('');
  return `<table><tr><th>from</th><th>event</th><th>to</th><th>this run</th></tr>${rows}</table>`;
}

/** The two machines drawn by Graphviz with what the run reached marked (`diagram --highlight`). */
export interface ReachedDiagrams {
  readonly rollout: string;
  readonly host: string;
}

/** `report TRACE`: the run's timelines, host states per wave, gate holds, faults, diagrams. */
export function traceReport(
  trace: LoadedTrace,
  source: string,
  diagrams?: ReachedDiagrams,
): string {
  const d = traceData(trace.header.fleet, trace.start, trace.records);
  const s = d.summary;
  const charts: Chart[] = [
    {
      id: 'rollout-timeline',
      title: 'Rollout states over time',
      note: 'Each rollout’s state from its opening to the end of the run (rollout reducer steps).',
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        width: 900,
        data: { values: d.rolloutStates },
        mark: 'bar',
        encoding: {
          x: timeAxis(d.end, 'start'),
          x2: { field: 'end' },
          y: { field: 'rollout', type: 'nominal', title: null },
          color: ROLLOUT_STATE_COLOR,
          tooltip: [
            { field: 'rollout' },
            { field: 'state' },
            { field: 'start', title: 'from (s)' },
            { field: 'end', title: 'to (s)' },
          ],
        },
      },
    },
    {
      id: 'wave-states',
      title: 'Host states per wave over time',
      note: 'Control-plane host states, stacked, one panel per rollout and wave (sampled at 120 instants).',
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        data: { values: d.waveStates },
        facet: { row: { field: 'panel', type: 'nominal', title: null } },
        spec: {
          width: 850,
          height: 70,
          mark: { type: 'area', interpolate: 'step-after' },
          encoding: {
            x: timeAxis(d.end),
            y: {
              field: 'hosts',
              type: 'quantitative',
              aggregate: 'sum',
              stack: 'zero',
              title: 'hosts',
              axis: COUNT_AXIS,
            },
            color: HOST_STATE_COLOR,
            order: { field: 'order', type: 'quantitative' },
          },
        },
        resolve: { scale: { y: 'independent' } },
      },
    },
    {
      id: 'gate-holds',
      title: 'Gate holds by reason over time',
      note: 'Undispatched hosts held by each gate of the stack (spec §4.5), stacked.',
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        width: 900,
        height: 160,
        data: { values: d.gateHolds },
        mark: { type: 'area', interpolate: 'step-after' },
        encoding: {
          x: timeAxis(d.end),
          y: { field: 'hosts', type: 'quantitative', stack: 'zero', axis: COUNT_AXIS },
          color: gateColor(d.gateHolds.map((g) => g.gate)),
        },
      },
    },
    {
      id: 'faults',
      title: 'Faults on the time axis',
      note: `${d.faults.length} injected faults (drops, failed probes and activations, partitions, restarts, reboots).`,
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        width: 900,
        ...(d.faults.length === 0 ? { height: 40 } : {}),
        // An empty axis alone reads as a chart that failed to draw: say there was nothing.
        layer: [
          {
            data: { values: d.faults },
            mark: { type: 'tick', thickness: 2 },
            encoding: {
              x: timeAxis(d.end),
              y: { field: 'kind', type: 'nominal', title: null },
              color: { field: 'kind', type: 'nominal', legend: null },
              tooltip: [
                { field: 't', title: 'seconds' },
                { field: 'kind' },
                { field: 'host' },
                { field: 'detail' },
              ],
            },
          },
          ...(d.faults.length > 0
            ? []
            : [
                {
                  data: { values: [{ text: 'no faults were injected in this run' }] },
                  mark: { type: 'text', color: '#777', fontSize: 13 },
                  encoding: { text: { field: 'text' }, x: { value: 450 }, y: { value: 20 } },
                },
              ]),
        ],
      },
    },
  ];
  const stall =
    s?.ended === 'stalled'
      ? `<div class="stalled"><b>Stalled.</b><pre>${escapeHtml(stallText(s).join('\n'))}</pre></div>`
      : s !== null && s.unsettled !== null
        ? `<div class="stalled"><b>Not settled.</b><pre>${escapeHtml(unsettledText(s).join('\n'))}</pre></div>`
        : '';
  // A trace with no `end` record (a run killed before it wrote one) is drawn as far as it goes.
  const ended =
    s === null
      ? '<b>incomplete</b> (no "end" record: was the run cut short?), stops'
      : `ended <b>${escapeHtml(s.ended)}</b>`;
  const intro = `<p>${escapeHtml(source)} · fleet ${escapeHtml(trace.header.fleet.name)} · profile ${escapeHtml(trace.header.profile.name)} · seed ${trace.header.seed} · ${ended} after ${span(d.end)} simulated</p>${stall}`;
  // The SVGs are Graphviz's own output for our machines: nothing of the trace's text in them.
  const drawn = (svg: string | undefined, what: string) =>
    svg === undefined
      ? ''
      : `<figure class="diagram">${svg.replace(/^<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>\s*)?/, '')}<figcaption>${what}: the states this run entered are filled, the transitions it took drawn thick in orange.</figcaption></figure>`;
  const extra = `<h2>Rollout machine: transitions this run took</h2>${drawn(diagrams?.rollout, 'The rollout machine')}${reachedTable('rollout', (f, _e, t) => d.rolloutReached.has(`${f}|${t}`))}
<h2>Host machine: cells this run reached</h2>${drawn(diagrams?.host, 'The host machine')}${reachedTable('host', (f, e, t) => d.hostReached.has(`${f}|${e}|${t}`))}`;
  return page(`rollout-sim report: ${trace.header.fleet.name}`, intro, charts, extra);
}
