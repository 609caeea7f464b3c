import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, test } from 'vitest';
import { type AnyStateMachine, createMachine } from 'xstate';
import { MACHINES } from '../../machines/catalog.ts';
import { SPEC_EVENTS, SPEC_LEGAL_PAIRS, SPEC_STATES } from '../../sim/spec-model/host.ts';
import { diagram } from '../../src/diagram/index.ts';
import { classify } from '../../src/diagram/model.ts';
import { EVENT_TYPES, STATES } from '../machines/rollout/fixtures.ts';
import { runCli, SPAWN_HOOK_TIMEOUT, STACK_TRACE } from './run-cli.ts';

/*
 * `rollout-sim diagram rollout|host --format mermaid|dot|scxml|json [--all]`, end to end:
 * each output is checked as what it claims to be (a Mermaid state diagram, a DOT graph,
 * well-formed SCXML, an XState config) and against the spec's and the machine's edges.
 */

const MACHINE_NAMES = ['rollout', 'host'] as const;
type MachineName = (typeof MACHINE_NAMES)[number];
const FORMATS = ['mermaid', 'dot', 'scxml', 'json'] as const;
type Format = (typeof FORMATS)[number];

const SPEC: Record<
  MachineName,
  { initial: string; states: readonly string[]; events: readonly string[] }
> = {
  rollout: { initial: 'Opening', states: STATES, events: EVENT_TYPES },
  host: { initial: 'Pending', states: SPEC_STATES, events: SPEC_EVENTS },
};

const outputs = new Map<string, string>();
const key = (m: MachineName, f: Format, all: boolean) => `${m} ${f}${all ? ' --all' : ''}`;
const out = (m: MachineName, f: Format, all = false): string => {
  const text = outputs.get(key(m, f, all));
  if (text === undefined) throw new Error(`no output for ${key(m, f, all)}`);
  return text;
};

beforeAll(() => {
  for (const m of MACHINE_NAMES) {
    for (const f of FORMATS) {
      for (const all of [false, true]) {
        const run = runCli(['diagram', m, '--format', f, ...(all ? ['--all'] : [])]);
        if (run.status !== 0 || run.stderr !== '' || STACK_TRACE.test(run.stdout)) {
          throw new Error(`${key(m, f, all)}: status ${run.status}, stderr ${run.stderr}`);
        }
        outputs.set(key(m, f, all), run.stdout);
      }
    }
  }
}, SPAWN_HOOK_TIMEOUT);

describe('diagram: every machine × format × --all runs', () => {
  for (const m of MACHINE_NAMES) {
    for (const f of FORMATS) {
      for (const all of [false, true]) {
        test(`${key(m, f, all)}: exit 0, prints what the library draws`, () => {
          expect(out(m, f, all)).toBe(diagram(MACHINES[m], f, { all }));
          expect(out(m, f, all).endsWith('\n')).toBe(true);
        });
      }
    }
  }

  test('--format defaults to mermaid', () => {
    const run = runCli(['diagram', 'rollout']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(out('rollout', 'mermaid'));
  });
});

// ---------------------------------------------------------------------------------------
// Mermaid

interface MermaidEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
}

/** One logical edge per label line: a state's self-loops share one Mermaid edge, a `<br>` line each. */
function mermaidEdges(text: string): MermaidEdge[] {
  const edges: MermaidEdge[] = [];
  for (const line of text.split('\n').slice(1)) {
    const m = /^ {2}(\[\*\]|\w+) --> (\w+)(?: : (.*))?$/.exec(line);
    if (m === null) continue;
    for (const label of (m[3] ?? '').split('<br>'))
      edges.push({ from: m[1] ?? '', to: m[2] ?? '', label });
  }
  return edges;
}

/** Mermaid's entity codes back to text. */
const unMermaid = (s: string) =>
  s.replace(/#lt;/g, '<').replace(/#gt;/g, '>').replace(/#59;/g, ';');

/** `E1, E2 [cond] / outcome` → the events, condition and outcome. */
function parseLabel(label: string): {
  events: string[];
  condition: string | null;
  outcome: string | null;
} {
  const m = /^([\w*]+(?:, [\w*]+)*)(?: \[(.*)\])?(?: \/ (.*))?$/.exec(label);
  if (m === null) throw new Error(`unreadable edge label: ${label}`);
  return { events: (m[1] ?? '').split(', '), condition: m[2] ?? null, outcome: m[3] ?? null };
}

/** The state changes of spec §1.4 (→X cells; the Active WaveAdvanced bump is a self edge). */
const ROLLOUT_SPEC_EDGES = [
  'Opening --> Active',
  'Opening --> Superseded',
  'Active --> Reverted',
  'Active --> Failed',
  'Active --> Active',
  'Active --> Converging',
  'Active --> Terminal',
  'Active --> Superseded',
  'Converging --> Reverted',
  'Converging --> Failed',
  'Converging --> Active',
  'Converging --> Terminal',
  'Converging --> Superseded',
  'Terminal --> Superseded',
  'Terminal --> Pruned',
  'Reverted --> Superseded',
  'Reverted --> Pruned',
  'Failed --> Superseded',
  'Failed --> Pruned',
  'Superseded --> Pruned',
];

/** §3.8 legality: one edge per (from, to) shape, Activating/Soaking → Failed three times each. */
const HOST_SPEC_EDGES = [
  'Pending --> Activating',
  'Activating --> Activating',
  'Activating --> Soaking',
  'Activating --> Deferred',
  'Activating --> Failed',
  'Activating --> Failed',
  'Activating --> Failed',
  'Deferred --> Soaking',
  'Deferred --> Failed',
  'Soaking --> Soaking',
  'Soaking --> Failed',
  'Soaking --> Failed',
  'Soaking --> Failed',
  'Soaking --> Converged',
  'Failed --> Reverted',
];

const HIDDEN_OUTCOME = /\/ (IllegalForState|no-op|SeqRegression|Unimplemented|Invariant)$/;

describe('diagram --format mermaid', () => {
  for (const m of MACHINE_NAMES) {
    test(`${m}: stateDiagram-v2, initial state, every state mentioned`, () => {
      for (const all of [false, true]) {
        const text = out(m, 'mermaid', all);
        const lines = text.split('\n');
        expect(lines[0]).toBe('stateDiagram-v2');
        expect(lines).toContain(`  [*] --> ${SPEC[m].initial}`);
        const mentioned = new Set<string>();
        for (const line of lines.slice(1)) {
          for (const word of line.split(' : ')[0]?.match(/\w+/g) ?? []) mentioned.add(word);
        }
        for (const s of SPEC[m].states) expect(mentioned.has(s), `${m} mentions ${s}`).toBe(true);
        // Nothing but the header, edges and lone state names.
        for (const line of lines.slice(1, -1))
          expect(line).toMatch(/^ {2}(\[\*\] --> \w+|\w+ --> \w+ : .+|\w+)$/);
        expect(lines.at(-1)).toBe('');
      }
    });

    test(`${m}: every edge label reads "events [condition] / outcome", events of the machine`, () => {
      for (const all of [false, true]) {
        for (const e of mermaidEdges(out(m, 'mermaid', all)).filter((x) => x.from !== '[*]')) {
          const { events } = parseLabel(unMermaid(e.label));
          for (const ev of events) expect(['*', ...SPEC[m].events]).toContain(ev);
          // Mermaid reads raw < > ; as markup or a statement end: only entity codes.
          expect(e.label.replace(/#\w+;/g, '')).not.toMatch(/[<>;]/);
        }
      }
    });

    test(`${m}: without --all, no no-op or refusal edges`, () => {
      for (const e of mermaidEdges(out(m, 'mermaid'))) expect(e.label).not.toMatch(HIDDEN_OUTCOME);
    });
  }

  test('rollout: exactly the state changes of spec §1.4, with their conditions', () => {
    const edges = mermaidEdges(out('rollout', 'mermaid')).filter((e) => e.from !== '[*]');
    expect(edges.map((e) => `${e.from} --> ${e.to}`).sort()).toEqual(
      [...ROLLOUT_SPEC_EDGES].sort(),
    );
    const lines = out('rollout', 'mermaid').split('\n');
    for (const line of [
      '  Opening --> Active : HostJoined',
      '  Active --> Terminal : RolloutTerminal',
      '  Converging --> Terminal : RolloutTerminal',
      '  Active --> Reverted : HostStateChanged [to == Reverted]',
      '  Active --> Failed : HostStateChanged [to == Failed]',
      '  Converging --> Failed : HostStateChanged [to == Failed]',
      '  Active --> Active : WaveAdvanced [to_wave #gt; from_wave]',
      '  Active --> Converging : WaveAdvanced [else]',
      '  Converging --> Active : WaveAdvanced [to_wave #gt; from_wave]',
      '  Terminal --> Superseded : SuccessorOpened',
      '  Superseded --> Pruned : RetentionExpired',
    ]) {
      expect(lines).toContain(line);
    }
  });

  test('host: exactly the legal pairs of spec §3.8, rollback conditions on the Local failures', () => {
    const edges = mermaidEdges(out('host', 'mermaid')).filter((e) => e.from !== '[*]');
    expect(edges.map((e) => `${e.from} --> ${e.to}`).sort()).toEqual([...HOST_SPEC_EDGES].sort());
    // Every legal (state, event) pair is on exactly the edges that leave its state.
    const covered = new Set<string>();
    for (const e of edges)
      for (const ev of parseLabel(unMermaid(e.label)).events) covered.add(`${e.from}×${ev}`);
    expect(covered).toEqual(new Set(SPEC_LEGAL_PAIRS.map(([s, ev]) => `${s}×${ev}`)));
    const lines = out('host', 'mermaid').split('\n');
    for (const line of [
      '  Pending --> Activating : LocalActivate, RemoteDispatchAck',
      '  Activating --> Failed : LocalActivationFailed [policy == rollback-and-halt && prior closure known]',
      '  Activating --> Failed : LocalActivationFailed [else]',
      '  Activating --> Failed : RemoteActivationFailed',
      '  Soaking --> Failed : LocalSustainedFailureCrossed [policy_applied == rollback-and-halt && prior closure known]',
      '  Soaking --> Failed : LocalSustainedFailureCrossed [else]',
      '  Soaking --> Converged : LocalConvergedReached, RemoteConverged [unless current_closure != target_closure, converged_at #lt; soak_due_at, an enforce probe is not pass]',
      '  Failed --> Reverted : LocalRollbackCompleted, RemoteRollbackComplete',
    ]) {
      expect(lines).toContain(line);
    }
  });

  test('--all adds the no-op and refusal cells the spec has', () => {
    const rollout = out('rollout', 'mermaid', true);
    const host = out('host', 'mermaid', true);
    for (const outcome of ['/ IllegalForState', '/ no-op', '/ Unimplemented'])
      expect(rollout).toContain(outcome);
    for (const outcome of ['/ IllegalForState', '/ SeqRegression', '/ Invariant'])
      expect(host).toContain(outcome);
    // Edges as `from --> to : label`, one per label line (self-loops share a Mermaid edge).
    const lines = (text: string) =>
      mermaidEdges(text).map((e) => `  ${e.from} --> ${e.to} : ${e.label}`);
    expect(lines(rollout)).toContain('  Failed --> Failed : OperatorClearance / Unimplemented');
    expect(lines(rollout)).toContain('  Reverted --> Reverted : OperatorClearance / Unimplemented');
    expect(lines(rollout)).toContain(
      '  Pruned --> Pruned : RolloutOpened, HostJoined, HostStateChanged, WaveAdvanced, RolloutTerminal, SuccessorOpened, RetentionExpired, OperatorClearance / IllegalForState',
    );
    for (const s of SPEC_STATES)
      expect(lines(host)).toContain(
        `  ${s} --> ${s} : * [seq #lt;= last_event_seq] / SeqRegression`,
      );
    expect(lines(host)).toContain(
      '  Soaking --> Soaking : LocalConvergedReached, RemoteConverged [current_closure != target_closure] / Invariant',
    );
    // The spec has no SeqRegression or Invariant on the rollout side, no no-op on the host side.
    expect(rollout).not.toMatch(/SeqRegression|Invariant/);
    expect(host).not.toMatch(/no-op|Unimplemented/);
  });

  for (const m of MACHINE_NAMES) {
    test(`${m} --all: every (state, event) cell of the machine is on some edge from its state`, () => {
      const edges = mermaidEdges(out(m, 'mermaid', true)).filter((e) => e.from !== '[*]');
      const covered = new Set<string>();
      for (const e of edges) {
        for (const ev of parseLabel(unMermaid(e.label)).events) {
          for (const x of ev === '*' ? SPEC[m].events : [ev]) covered.add(`${e.from}×${x}`);
        }
      }
      expect(covered.size).toBe(SPEC[m].states.length * SPEC[m].events.length);
    });
  }
});

// ---------------------------------------------------------------------------------------
// DOT

interface DotGraph {
  readonly name: string;
  readonly nodes: Set<string>;
  readonly edges: { from: string; to: string; attrs: Record<string, string> }[];
}

const DOT_ID = String.raw`"(?:[^"\\]|\\.)*"|[A-Za-z_]\w*`;
const unquote = (id: string) => (id.startsWith('"') ? id.slice(1, -1).replace(/\\(.)/g, '$1') : id);

/** Braces and brackets balance outside quoted strings, and every string is closed. */
function balanced(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth < 0) return false;
    }
  }
  return depth === 0 && !inString;
}

function attrsOf(list: string | undefined): Record<string, string> {
  const attrs: Record<string, string> = {};
  if (list === undefined) return attrs;
  const re = new RegExp(String.raw`(\w+)=(${DOT_ID}|[\w.]+)\s*(?:,\s*|$)`, 'gy');
  const body = list.slice(1, -1);
  let consumed = 0;
  re.lastIndex = 0;
  for (let m = re.exec(body); m !== null; m = re.exec(body)) {
    attrs[m[1] ?? ''] = unquote(m[2] ?? '');
    consumed = re.lastIndex;
  }
  if (consumed !== body.length) throw new Error(`unreadable attribute list ${list}`);
  return attrs;
}

/** A small reader for the subset of DOT the generator writes; anything else is an error. */
function parseDot(text: string): DotGraph {
  expect(balanced(text)).toBe(true);
  const lines = text.trimEnd().split('\n');
  const head = new RegExp(String.raw`^digraph (${DOT_ID}) \{$`).exec(lines[0] ?? '');
  if (head === null) throw new Error(`not a digraph header: ${lines[0]}`);
  expect(lines.at(-1)).toBe('}');
  const graph: DotGraph = { name: unquote(head[1] ?? ''), nodes: new Set(), edges: [] };
  const node = new RegExp(String.raw`^ {2}(${DOT_ID})(?: (\[.*\]))?;$`);
  const edge = new RegExp(String.raw`^ {2}(${DOT_ID}) -> (${DOT_ID})(?: (\[.*\]))?;$`);
  const attr = /^ {2}(?:(?:graph|node|edge) \[.*\]|\w+=\w+);$/;
  for (const line of lines.slice(1, -1)) {
    if (attr.test(line)) continue;
    const e = edge.exec(line);
    if (e !== null) {
      graph.edges.push({
        from: unquote(e[1] ?? ''),
        to: unquote(e[2] ?? ''),
        attrs: attrsOf(e[3]),
      });
      continue;
    }
    const n = node.exec(line);
    if (n === null) throw new Error(`unreadable DOT line: ${line}`);
    graph.nodes.add(unquote(n[1] ?? ''));
    attrsOf(n[2]);
  }
  return graph;
}

describe('diagram --format dot', () => {
  for (const m of MACHINE_NAMES) {
    for (const all of [false, true]) {
      test(`${m}${all ? ' --all' : ''}: a digraph whose edges join declared nodes, one node per state`, () => {
        const g = parseDot(out(m, 'dot', all));
        expect(g.name).toBe(m);
        expect([...g.nodes].filter((n) => n !== '__initial').sort()).toEqual(
          [...SPEC[m].states].sort(),
        );
        for (const e of g.edges) {
          expect(g.nodes.has(e.from), `${e.from} declared`).toBe(true);
          expect(g.nodes.has(e.to), `${e.to} declared`).toBe(true);
        }
        expect(g.edges.filter((e) => e.from === '__initial').map((e) => e.to)).toEqual([
          SPEC[m].initial,
        ]);
      });

      test(`${m}${all ? ' --all' : ''}: the same edges and labels as the Mermaid diagram`, () => {
        const dot = parseDot(out(m, 'dot', all))
          .edges.filter((e) => e.from !== '__initial')
          .map((e) => `${e.from} -> ${e.to} : ${e.attrs.label}`);
        const mermaid = mermaidEdges(out(m, 'mermaid', all))
          .filter((e) => e.from !== '[*]')
          .map((e) => `${e.from} -> ${e.to} : ${unMermaid(e.label)}`);
        // Mermaid draws a state's self-loops as one edge, so the order differs.
        expect([...dot].sort()).toEqual([...mermaid].sort());
      });
    }
  }

  test('refusals are dashed and no-ops dotted, only with --all', () => {
    const styles = (m: MachineName, all: boolean) =>
      new Set(parseDot(out(m, 'dot', all)).edges.map((e) => e.attrs.style));
    expect(styles('rollout', false)).toEqual(new Set([undefined]));
    expect(styles('host', false)).toEqual(new Set([undefined]));
    expect(styles('rollout', true)).toEqual(new Set([undefined, 'dotted', 'dashed']));
    expect(styles('host', true)).toEqual(new Set([undefined, 'dashed']));
  });
});

// ---------------------------------------------------------------------------------------
// SCXML

interface ScxmlTransition {
  readonly event: string;
  readonly cond?: string;
  readonly target?: string;
}

interface ScxmlState {
  readonly id: string;
  readonly transition?: ScxmlTransition[];
}

function parseScxml(text: string): {
  name: string;
  initial: string;
  xmlns: string;
  states: ScxmlState[];
} {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(`not well-formed XML: ${JSON.stringify(valid.err)}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => name === 'state' || name === 'transition',
  });
  const doc = parser.parse(text) as {
    scxml: { name: string; initial: string; xmlns: string; state: ScxmlState[] };
  };
  return { ...doc.scxml, states: doc.scxml.state };
}

/** Which transition SCXML takes for `event` in a state: the first in document order that matches. */
function matching(state: ScxmlState, event: string): ScxmlTransition[] {
  return (state.transition ?? []).filter((t) =>
    t.event.split(' ').some((d) => d === '*' || d === event),
  );
}

/** The machine's candidate list for (state, event): the exact descriptor, else `*`. */
function candidates(machine: AnyStateMachine, state: string, event: string) {
  const node = machine.root.states[state];
  if (node === undefined) throw new Error(`no state ${state}`);
  return node.transitions.get(event) ?? node.transitions.get('*') ?? [];
}

/**
 * Per (state, event): the SCXML transitions in document order, as `target|cond?`, against
 * the machine's candidates in order. SCXML takes the first enabled match, so the two
 * sequences must agree for the document to mean the machine.
 */
function scxmlOrderMismatches(m: MachineName): string[] {
  const doc = parseScxml(out(m, 'scxml', true));
  const machine = MACHINES[m].machine;
  const mismatches: string[] = [];
  for (const s of doc.states) {
    for (const ev of SPEC[m].events) {
      const got = matching(s, ev).map(
        (t) => `${t.target ?? '(stay)'}${t.cond === undefined ? '' : '?'}`,
      );
      const want = candidates(machine, s.id, ev).map(
        (t) => `${t.target?.[0]?.key ?? '(stay)'}${t.guard === undefined ? '' : '?'}`,
      );
      if (got.join(' ') !== want.join(' '))
        mismatches.push(`${s.id} × ${ev}: scxml [${got}] machine [${want}]`);
    }
  }
  return mismatches;
}

describe('diagram --format scxml', () => {
  for (const m of MACHINE_NAMES) {
    for (const all of [false, true]) {
      test(`${m}${all ? ' --all' : ''}: well-formed W3C SCXML, one <state> per state, targets exist`, () => {
        const text = out(m, 'scxml', all);
        expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
        const doc = parseScxml(text);
        expect(doc.xmlns).toBe('http://www.w3.org/2005/07/scxml');
        expect(doc.name).toBe(m);
        expect(doc.initial).toBe(SPEC[m].initial);
        expect(doc.states.map((s) => s.id).sort()).toEqual([...SPEC[m].states].sort());
        for (const s of doc.states) {
          for (const t of s.transition ?? []) {
            if (t.target !== undefined) expect(SPEC[m].states).toContain(t.target);
            for (const e of t.event.split(' ')) expect(['*', ...SPEC[m].events]).toContain(e);
          }
        }
      });

      test(`${m}${all ? ' --all' : ''}: an unconditional wildcard comes after every explicit event`, () => {
        for (const s of parseScxml(out(m, 'scxml', all)).states) {
          const ts = s.transition ?? [];
          ts.forEach((t, i) => {
            if (t.event.split(' ').includes('*') && t.cond === undefined)
              expect(i).toBe(ts.length - 1);
          });
        }
      });
    }
  }

  test('host --all: the SeqRegression wildcard comes first in every state, as the pre-check does', () => {
    for (const s of parseScxml(out('host', 'scxml', true)).states) {
      expect(s.transition?.[0]).toEqual({ event: '*', cond: 'seq <= last_event_seq' });
    }
  });

  test('without --all: the (state, event, target) triples are the machine state changes and self edges', () => {
    for (const m of MACHINE_NAMES) {
      const got = new Set<string>();
      for (const s of parseScxml(out(m, 'scxml')).states) {
        for (const t of s.transition ?? [])
          for (const e of t.event.split(' ')) got.add(`${s.id} ${e} ${t.target ?? s.id}`);
      }
      const want = new Set<string>();
      for (const s of SPEC[m].states) {
        for (const e of SPEC[m].events) {
          for (const t of candidates(MACHINES[m].machine, s, e)) {
            const { kind } = classify(t);
            if (kind === 'transition' || kind === 'self')
              want.add(`${s} ${e} ${t.target?.[0]?.key ?? s}`);
          }
        }
      }
      expect(got).toEqual(want);
    }
  });

  test('host --all: document order selects what the machine selects, for every (state, event)', () => {
    expect(scxmlOrderMismatches('host')).toEqual([]);
  });

  // KNOWN BUG (reported, not fixed here): src/diagram/model.ts merges edges of the same
  // shape across events, so in Converging the unconditional `HostStateChanged, WaveAdvanced`
  // no-op transition is written before `WaveAdvanced [to_wave > from_wave] → Active`.
  // SCXML takes the first enabled match in document order, so that transition can never
  // fire. This pins the one wrong cell; once the generator keeps each event's candidate
  // order the list is empty and this expectation must become `[]`.
  test('rollout --all: document order selects what the machine selects', () => {
    expect(scxmlOrderMismatches('rollout')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------
// XState JSON

interface JsonTransition {
  readonly target?: string;
  readonly guard?: unknown;
  readonly actions?: readonly unknown[];
}

describe('diagram --format json', () => {
  for (const m of MACHINE_NAMES) {
    for (const all of [false, true]) {
      test(`${m}${all ? ' --all' : ''}: createMachine builds the same states and transitions`, () => {
        const config = JSON.parse(out(m, 'json', all)) as {
          id: string;
          initial: string;
          states: Record<string, { on?: Record<string, JsonTransition[]> }>;
        };
        expect(config.id).toBe(m);
        expect(config.initial).toBe(SPEC[m].initial);
        const built = createMachine(config as never) as AnyStateMachine;
        const real = MACHINES[m].machine;
        expect(Object.keys(built.root.states).sort()).toEqual(Object.keys(real.root.states).sort());
        expect(built.root.initial?.target.map((n) => n.key)).toEqual([SPEC[m].initial]);

        for (const [s, node] of Object.entries(real.root.states)) {
          const builtNode = built.root.states[s];
          if (builtNode === undefined) throw new Error(`built machine lacks ${s}`);
          const shape = (
            ts: readonly { target?: readonly { key: string }[] | undefined; guard?: unknown }[],
          ) => ts.map((t) => ({ target: t.target?.[0]?.key ?? null, guard: t.guard ?? null }));
          const want: Record<string, unknown> = {};
          for (const [descriptor, ts] of node.transitions) {
            const kept = all
              ? ts
              : ts.filter((t) => ['transition', 'self'].includes(classify(t).kind));
            if (kept.length > 0) want[descriptor] = shape(kept);
          }
          const got: Record<string, unknown> = {};
          for (const [descriptor, ts] of builtNode.transitions) got[descriptor] = shape(ts);
          expect(got, `${m} ${s}`).toEqual(want);
        }
      });
    }
  }

  test('--all keeps every action of every candidate, in order', () => {
    for (const m of MACHINE_NAMES) {
      const config = JSON.parse(out(m, 'json', true)) as {
        states: Record<string, { on?: Record<string, JsonTransition[]> }>;
      };
      for (const [s, node] of Object.entries(MACHINES[m].machine.root.states)) {
        for (const [descriptor, ts] of node.transitions) {
          const got = (config.states[s]?.on?.[descriptor] ?? []).map((t) => t.actions ?? []);
          expect(got, `${m} ${s} ${descriptor}`).toEqual(
            ts.map((t) => JSON.parse(JSON.stringify(t.actions))),
          );
        }
      }
    }
  });
});
