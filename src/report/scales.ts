import { HOST_STATES } from '../../machines/host/state.ts';
import { ROLLOUT_STATES } from '../../machines/rollout/state.ts';
import { HOST_COLOR, ROLLOUT_COLOR } from '../ui/components/theme.ts';

/*
 * What every chart of a report shares, so that one state, one gate or one number looks
 * the same wherever it appears: a fixed colour per state name (the terminal theme's,
 * in web shades), a fixed colour per gate, and axes that print durations as minutes and
 * seconds and counts as whole numbers.
 */

/** The terminal theme's colour names as web colours, dark enough to read on white. */
const WEB: Readonly<Record<string, string>> = {
  gray: '#9e9e9e',
  cyan: '#17becf',
  blue: '#1f77b4',
  yellow: '#e0a800',
  green: '#2ca02c',
  red: '#d62728',
  magenta: '#b5179e',
};

/**
 * Rollout states beside host states: Failed and Reverted are both, and get the same
 * colour in either chart. Pruned is the theme's grey too, a darker one here, so it is
 * not mistaken for Opening in the one chart that has both.
 */
const STATE_HEX: Readonly<Record<string, string>> = {
  ...Object.fromEntries(HOST_STATES.map((s) => [s, WEB[HOST_COLOR[s]] as string])),
  ...Object.fromEntries(ROLLOUT_STATES.map((s) => [s, WEB[ROLLOUT_COLOR[s]] as string])),
  Pruned: '#555555',
};

/** A Vega-Lite colour encoding with a fixed colour per state, in the machine's order. */
export function stateColor(states: readonly string[], title = 'state'): Record<string, unknown> {
  return {
    field: 'state',
    type: 'nominal',
    title,
    sort: states,
    scale: { domain: states, range: states.map((s) => STATE_HEX[s] ?? '#333333') },
  };
}

export const HOST_STATE_COLOR = stateColor(HOST_STATES, 'host state');
export const ROLLOUT_STATE_COLOR = stateColor(ROLLOUT_STATES, 'rollout state');

/** The gate stack in spec order (§4.5), then the holds that are not gates. */
const GATES = [
  'quarantine',
  'channel-edges',
  'wave-promotion',
  'wave-promotion-host-unstaged',
  'host-edge',
  'disruption-budget',
  'compliance-wave',
  'halt',
];
const GATE_HEX = [
  '#8c564b',
  '#9467bd',
  '#1f77b4',
  '#aec7e8',
  '#ff7f0e',
  '#bcbd22',
  '#d62728',
  '#7f7f7f',
];

/** One colour per gate name, the same in every report; gates the list lacks come after. */
export function gateColor(seen: readonly string[]): Record<string, unknown> {
  const extra = [...new Set(seen)].filter((g) => !GATES.includes(g)).sort();
  const domain = [...GATES, ...extra];
  return {
    field: 'gate',
    type: 'nominal',
    title: 'gate',
    scale: { domain, range: domain.map((_, i) => GATE_HEX[i] ?? '#333333') },
  };
}

/** Steps for a time axis, in seconds: the first that gives at most `ticks` ticks wins. */
const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 21_600];

/** Tick positions over [lo, hi] seconds at a step a person would choose. */
export function durationTicks(lo: number, hi: number, ticks = 12): number[] {
  const span = Math.max(1, hi - lo);
  const step = STEPS.find((s) => span / s <= ticks) ?? Math.ceil(span / ticks / 86_400) * 86_400;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) out.push(t);
  return out;
}

/** `45s`, `5m`, `5m30s`, `1h`, `1h05m`: a Vega expression over `datum.value` (seconds, may be negative). */
const DURATION_LABEL = [
  "(datum.value < 0 ? '−' : '') + (abs(datum.value) < 60",
  "? format(abs(datum.value), 'd') + 's'",
  ': abs(datum.value) < 3600',
  "? floor(abs(datum.value) / 60) + 'm' + (abs(datum.value) % 60 ? format(abs(datum.value) % 60, '02d') + 's' : '')",
  ": floor(abs(datum.value) / 3600) + 'h' + (abs(datum.value) % 3600 ? format(floor(abs(datum.value) % 3600 / 60), '02d') + 'm' : ''))",
].join(' ');

/** An x encoding of simulated seconds over [0, end], labelled as durations. */
export function timeAxis(end: number, field = 't'): Record<string, unknown> {
  return {
    field,
    type: 'quantitative',
    title: 'simulated time',
    scale: { domain: [0, end], nice: false },
    axis: { values: durationTicks(0, end), labelExpr: DURATION_LABEL },
  };
}

/** Axis properties for a duration in seconds over [lo, hi]. */
export function durationAxis(lo: number, hi: number): Record<string, unknown> {
  return { values: durationTicks(lo, hi, 8), labelExpr: DURATION_LABEL };
}

/** Axis properties for a count: whole numbers only, never `0.000000`. */
export const COUNT_AXIS: Record<string, unknown> = { format: 'd', tickMinStep: 1 };
