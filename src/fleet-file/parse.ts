import { basename } from 'node:path';
import { canonicalFleet } from '../../sim/fleet/canonical.ts';
import type { Fleet } from '../../sim/fleet/fleet.ts';
import {
  controlCharacterIssue,
  type FleetIssue,
  type FleetPath,
  fleetIssue,
  formatFleetIssue,
} from '../../sim/fleet/validate.ts';
import { readProblem } from '../files/open-input.ts';
import { MAX_TEXT_BYTES, readTextFile } from '../files/read-text.ts';
import { pickIssue } from './issues.ts';
import { resolveFleetFile } from './resolve.ts';
import { fleetFileSchema } from './schema.ts';
import { parseFleetText } from './syntax.ts';

/*
 * Fleet files (DESIGN §4.4): text → syntax (YAML or JSON) → schema → resolution →
 * `validateFleet` → canonical `Fleet`. Every failure is one line prefixed with the
 * source, e.g. `fleet.yaml: channels.stable.rollout_policy: unknown policy "canry"
 * (known: canary, staged)`; nothing here throws.
 */

export type FleetParseResult =
  | { readonly ok: true; readonly fleet: Fleet }
  | { readonly ok: false; readonly error: string };

/** The fleet's name when the file does not give one: the file name without its extension. */
export function fleetNameOf(source: string): string {
  return basename(source).replace(/\.(ya?ml|json)$/i, '') || 'fleet';
}

/**
 * Where a problem found on the resolved fleet sits in the file: resolved keys that the
 * file may spell differently (`at_seconds` given as `at_minutes`, `gates` as the legacy
 * `before`, a wave's `hosts` given as a `selector`) are mapped back to the file's key.
 */
const FILE_ALIASES: Readonly<Record<string, readonly string[]>> = {
  at_seconds: ['at_minutes'],
  from_seconds: ['from_minutes'],
  to_seconds: ['to_minutes'],
  reboot_deferred_after_seconds: ['reboot_deferred_after_minutes'],
  gates: ['before'],
  gated: ['after'],
  hosts: ['selector', 'match', 'tags', 'waves'],
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function filePath(raw: unknown, path: FleetPath): FleetPath {
  const out: (string | number)[] = [];
  let node = raw;
  for (let i = 0; i < path.length; i++) {
    const key = path[i] as string | number;
    if (isRecord(node) && Object.hasOwn(node, key)) {
      out.push(key);
      node = node[key];
      continue;
    }
    const alias =
      typeof key === 'string' && isRecord(node)
        ? FILE_ALIASES[key]?.find((a) => Object.hasOwn(node as object, a))
        : undefined;
    if (alias === undefined) return [...out, ...path.slice(i)];
    out.push(alias);
    // A selector stands for the whole expanded list: an index into it means nothing in the file.
    if (key === 'hosts') return out;
    node = (node as Record<string, unknown>)[alias];
  }
  return out;
}

/**
 * The path of the first `__proto__` key, which plain objects cannot hold faithfully:
 * copied into one (as zod does with a record), it sets the prototype and is gone.
 */
export function protoKey(value: unknown, path: (string | number)[] = []): FleetPath | null {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = protoKey(value[i], [...path, i]);
      if (found !== null) return found;
    }
  } else if (isRecord(value)) {
    for (const key of Object.keys(value)) {
      if (key === '__proto__') return [...path, key];
      const found = protoKey(value[key], [...path, key]);
      if (found !== null) return found;
    }
  }
  return null;
}

function failure(source: string, issue: FleetIssue): FleetParseResult {
  return { ok: false, error: `${source}: ${formatFleetIssue(issue)}` };
}

/** Parse the text of a fleet file; `source` names it in errors and picks the syntax (`.json` or YAML). */
export function parseFleet(text: string, source: string): FleetParseResult {
  try {
    const syntax = parseFleetText(text, source);
    if (!syntax.ok) return syntax;
    const raw = syntax.value;
    if (!isRecord(raw) || Array.isArray(raw))
      return {
        ok: false,
        error: `${source}: expected a mapping at the top level (channels, rollout_policies, hosts, …), got ${raw === null || raw === undefined ? 'an empty document' : Array.isArray(raw) ? 'a list' : JSON.stringify(raw)}`,
      };
    const proto = protoKey(raw);
    if (proto !== null) return failure(source, { path: proto, message: 'unsupported key' });
    // Checked on the file as written, so the path is the file's (host_defaults, selectors).
    const control = controlCharacterIssue(raw);
    if (control !== null) return failure(source, control);
    const parsed = fleetFileSchema.safeParse(raw, { reportInput: true });
    if (!parsed.success) {
      const issue = pickIssue(parsed.error.issues);
      return failure(source, issue ?? { path: [], message: 'invalid fleet file' });
    }
    const resolved = resolveFleetFile(parsed.data, fleetNameOf(source));
    if (!resolved.ok) return failure(source, resolved.issue);
    const issue = fleetIssue(resolved.fleet);
    if (issue !== null)
      return failure(source, { path: filePath(raw, issue.path), message: issue.message });
    return { ok: true, fleet: canonicalFleet(resolved.fleet) };
  } catch (e) {
    // Not expected; a defect here must still come out as one line, not a stack trace.
    return {
      ok: false,
      error: `${source}: internal error while reading the fleet: ${String((e as Error)?.message ?? e).split('\n')[0]}`,
    };
  }
}

const READ_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory, not a fleet file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'no such file (a parent is not a directory)',
};

/**
 * Read and parse a fleet file; a missing or unreadable file is a one-line error too, and
 * so is one larger than `maxBytes` (a stream or device is read only that far).
 */
export function loadFleetFile(path: string, maxBytes = MAX_TEXT_BYTES): FleetParseResult {
  const read = readTextFile(path, maxBytes);
  if (!read.ok) {
    const words = read.code === undefined ? undefined : READ_ERRORS[read.code];
    return {
      ok: false,
      error:
        words === undefined ? readProblem(path, read, 'cannot read the file') : `${path}: ${words}`,
    };
  }
  const text = read.text;
  return parseFleet(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, path);
}
