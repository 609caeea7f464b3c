import {
  HOST_STATES,
  ON_HEALTH_FAILURE,
  PROBE_MODES,
  PROBE_STATUSES,
} from '../../../machines/host/state.ts';
import { snakeCase } from '../../codec/index.ts';
import { clock } from '../model/format.ts';
import { DEMO_HOST, PRIOR_CLOSURE } from './events.ts';

/*
 * Editing an event's fields with ←/→. What a field can be is read from its name and
 * value — states, probe status and mode, policies, closures, waves, seq, times — so the
 * same editor serves all 32 event types. Fields nothing depends on (operator, stderr
 * text, the probe topology) are shown but not editable.
 */

export type FieldKind = 'choice' | 'integer' | 'time' | 'fixed';

export interface Field {
  readonly key: string;
  /** The wire name, as the spec writes it. */
  readonly label: string;
  readonly kind: FieldKind;
  readonly value: unknown;
  readonly text: string;
}

const CHOICES: Readonly<Record<string, readonly (string | null)[]>> = {
  from: HOST_STATES,
  to: HOST_STATES,
  mode: PROBE_MODES,
  status: PROBE_STATUSES,
  policyApplied: ON_HEALTH_FAILURE,
  hostId: [DEMO_HOST, 'web-02'],
  probeName: ['http', 'latency'],
  failureReason: [null, 'http 503'],
  successorRolloutId: ['stable@v2', 'stable@v3'],
};

const INTEGERS = new Set([
  'seq',
  'wave',
  'fromWave',
  'toWave',
  'exitCode',
  'sustainedDurationSecs',
]);
const STEP: Readonly<Record<string, number>> = { sustainedDurationSecs: 30 };

function isTime(key: string, value: unknown): boolean {
  return typeof value === 'number' && (key.endsWith('At') || key === 'at');
}

function isClosure(key: string): boolean {
  return /closure/i.test(key);
}

/** The closures a closure field cycles through: the host's target, its prior closure, a stranger. */
export function closureChoices(target: string): string[] {
  return [target, PRIOR_CLOSURE, 'other-closure'];
}

function kindOf(key: string, value: unknown): FieldKind {
  if (key === 'type') return 'fixed';
  if (isTime(key, value)) return 'time';
  if (INTEGERS.has(key) && typeof value === 'number') return 'integer';
  if (key in CHOICES || isClosure(key)) return 'choice';
  return 'fixed';
}

function show(key: string, value: unknown, start: number): string {
  if (isTime(key, value)) return `+${clock((value as number) - start)}`;
  if (value === null) return 'null';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

export function fieldsOf(event: object, start: number): Field[] {
  return Object.entries(event)
    .filter(([key]) => key !== 'type')
    .map(([key, value]) => ({
      key,
      label: snakeCase(key),
      kind: kindOf(key, value),
      value,
      text: show(key, value, start),
    }));
}

/** The event with one field moved one step (`dir` ±1); unchanged for fixed fields. */
export function editField<E extends object>(event: E, key: string, dir: 1 | -1, target: string): E {
  const value = (event as Record<string, unknown>)[key];
  const kind = kindOf(key, value);
  let next: unknown = value;
  if (kind === 'time') next = (value as number) + dir * 60_000;
  else if (kind === 'integer') {
    const min = key === 'exitCode' ? -1 : 0;
    next = Math.max(min, (value as number) + dir * (STEP[key] ?? 1));
  } else if (kind === 'choice') {
    const choices = CHOICES[key] ?? closureChoices(target);
    const i = choices.indexOf(value as string | null);
    next = choices[(i + dir + choices.length) % choices.length] ?? value;
  }
  return { ...event, [key]: next };
}
