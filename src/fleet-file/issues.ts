import type { z } from 'zod';
import type { FleetIssue } from '../../sim/fleet/validate.ts';
import { quote } from '../../sim/quote.ts';

/*
 * zod issues → the one problem a fleet file error reports, as a path and a short
 * message in the project's voice (`must be ≥ 0, got -5`, `unknown key (did you mean
 * "soak_minutes"?)`). An unknown key is reported before anything else: a typo in a key
 * usually also makes a required key "missing", and the typo is the real problem.
 */

type Issue = z.core.$ZodIssue;

/** A short rendering of an offending value: scalars as JSON, containers by kind. */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string': {
      const json = quote(value);
      return json.length <= 60 ? json : `${json.slice(0, 59)}…"`;
    }
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'undefined':
      return 'nothing';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
      if (value instanceof Uint8Array) return 'binary data';
      return Object.keys(value).length === 0 ? 'an empty mapping' : 'a mapping';
    default:
      return `a ${typeof value}`;
  }
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  tuple: 'a list',
  null: 'null',
};

function message(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      const received = (issue as { received?: unknown }).received;
      if (received !== undefined) return `expected ${expected}, got ${String(received)}`;
      if (issue.input === undefined) return `missing (expected ${expected})`;
      return `expected ${expected}, got ${describeValue(issue.input)}`;
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'number' || issue.origin === 'int')
        return `must be ${issue.inclusive === false ? '>' : '≥'} ${min}, got ${describeValue(issue.input)}`;
      if (issue.origin === 'string')
        return min <= 1 ? 'must not be empty' : `must be at least ${min} characters`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return min <= 1 ? 'must not be empty' : `must have at least ${min} items`;
      return issue.message;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'number' || issue.origin === 'int')
        return `must be ${issue.inclusive === false ? '<' : '≤'} ${max}, got ${describeValue(issue.input)}`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return `must have at most ${max} items`;
      if (issue.origin === 'string') return `must be at most ${max} characters`;
      return issue.message;
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => JSON.stringify(v));
      const expected = values.length === 1 ? values[0] : `one of ${values.join(', ')}`;
      return `expected ${expected}, got ${describeValue(issue.input)}`;
    }
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}, got ${describeValue(issue.input)}`;
    case 'invalid_key': {
      const inner = issue.issues[0];
      return inner === undefined ? issue.message : message(inner);
    }
    default:
      // custom, unrecognized_keys, invalid_format, invalid_union, invalid_element: our own messages.
      return issue.message;
  }
}

/** The one issue to report, with its full path. */
export function pickIssue(issues: readonly Issue[]): FleetIssue | null {
  const unknown = issues.find((i) => i.code === 'unrecognized_keys');
  if (unknown !== undefined && unknown.code === 'unrecognized_keys')
    return { path: [...pathOf(unknown), String(unknown.keys[0] ?? '')], message: unknown.message };
  const first = issues[0];
  return first === undefined ? null : { path: pathOf(first), message: message(first) };
}

function pathOf(issue: Issue): (string | number)[] {
  return issue.path.map((k) => (typeof k === 'number' ? k : String(k)));
}

/**
 * The one issue as a line, its path dotted (`shard.count: must be ≤ …`,
 * `deviations.0: expected a mapping, got null`); `fallback` when zod gave none.
 */
export function issueLine(issues: readonly Issue[], fallback = 'invalid'): string {
  const issue = pickIssue(issues);
  if (issue === null) return fallback;
  const path = issue.path.map(String).join('.');
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}
