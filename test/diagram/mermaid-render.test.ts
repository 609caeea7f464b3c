// @vitest-environment jsdom
import mermaid from 'mermaid';
import { beforeAll, describe, expect, test } from 'vitest';
import { MACHINES } from '../../machines/catalog.ts';
import { diagram } from '../../src/diagram/index.ts';

/*
 * The Mermaid output read by Mermaid itself (the `mermaid` package, under jsdom): it must
 * parse as a state diagram, and what Mermaid's state database holds after parsing must be
 * exactly our states and edges, with labels that decode to our text (entity codes for
 * `<`, `>` and `;`). Parsing is offline and needs no browser; layout and drawing are not
 * run here (jsdom has no SVG geometry).
 */

const MACHINE_NAMES = ['rollout', 'host'] as const;

interface StateDb {
  getStates(): Map<string, unknown>;
  getRelations(): { id1: string; id2: string; relationTitle?: string }[];
}

async function parsed(text: string): Promise<StateDb> {
  const d = await mermaid.mermaidAPI.getDiagramFromText(text);
  expect(d.type).toBe('stateDiagram');
  return d.db as unknown as StateDb;
}

/** What Mermaid shows for an entity code (it encodes `#name;` before parsing, decodes after drawing). */
function shown(title: string): string {
  return title
    .replace(/ﬂ°°(\w+)¶ß/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(
      /ﬂ°(\w+)¶ß/g,
      (_, name: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"' })[name] ?? `&${name};`,
    );
}

/** Our own edges, read from the text we wrote (`A --> B : label`). */
function ourEdges(text: string): { from: string; to: string; label: string }[] {
  return text
    .split('\n')
    .map((line) => /^ {2}(\[\*\]|\w+) --> (\w+)(?: : (.*))?$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({
      from: m[1] ?? '',
      to: m[2] ?? '',
      label: (m[3] ?? '').replace(/#lt;/g, '<').replace(/#gt;/g, '>').replace(/#59;/g, ';'),
    }));
}

beforeAll(() => {
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
});

describe('mermaid parses our stateDiagram-v2 output', () => {
  test('a broken diagram is rejected (the check can fail)', async () => {
    await expect(mermaid.parse('stateDiagram-v2\n  Opening --> \n')).rejects.toThrow(/Parse error/);
  });

  for (const m of MACHINE_NAMES) {
    for (const all of [false, true]) {
      const name = `${m}${all ? ' --all' : ''}`;

      test(`${name}: mermaid.parse accepts it as a state diagram`, async () => {
        const text = diagram(MACHINES[m], 'mermaid', { all });
        await expect(mermaid.parse(text)).resolves.toMatchObject({ diagramType: 'stateDiagram' });
      });

      test(`${name}: Mermaid's state database holds exactly our states and edges`, async () => {
        const text = diagram(MACHINES[m], 'mermaid', { all });
        const db = await parsed(text);
        const states = [...db.getStates().keys()].filter((s) => s !== 'root_start');
        expect(states.sort()).toEqual([...MACHINES[m].states].sort());
        const relations = db.getRelations().map((r) => ({
          from: r.id1 === 'root_start' ? '[*]' : r.id1,
          to: r.id2,
          label: shown(r.relationTitle ?? ''),
        }));
        expect(relations).toEqual(ourEdges(text));
      });
    }
  }

  test('escapes come out as the characters they stand for', async () => {
    const db = await parsed(diagram(MACHINES.host, 'mermaid', { all: true }));
    // A state's self-loops share one edge, a label line (`<br>`) each.
    const titles = db.getRelations().flatMap((r) => shown(r.relationTitle ?? '').split('<br>'));
    expect(titles).toContain('* [seq <= last_event_seq] / SeqRegression');
    expect(titles).toContain(
      'LocalConvergedReached, RemoteConverged [converged_at < soak_due_at] / Invariant',
    );
    expect(titles).toContain(
      'LocalActivationFailed [policy == rollback-and-halt && prior closure known]',
    );
    const rollout = await parsed(diagram(MACHINES.rollout, 'mermaid', { all: false }));
    expect(rollout.getRelations().map((r) => shown(r.relationTitle ?? ''))).toContain(
      'WaveAdvanced [to_wave > from_wave]',
    );
  });
});

/*
 * Mermaid's dagre layout draws a self-loop through two helper nodes named after the state
 * (`S---S---1`, `S---S---2`), so a second self-loop on the same state would replace the
 * first: only the last `S --> S` line of each state is drawn (seen in headless Chromium
 * with mermaid 11.17.2). So our output must have at most one self-loop per state.
 */
describe('every edge is drawn: at most one self-loop per state', () => {
  const selfLoops = (m: (typeof MACHINE_NAMES)[number], all: boolean) => {
    const counts = new Map<string, number>();
    for (const e of ourEdges(diagram(MACHINES[m], 'mermaid', { all }))) {
      if (e.from === e.to) counts.set(e.from, (counts.get(e.from) ?? 0) + 1);
    }
    return [...counts].filter(([, n]) => n > 1).map(([s, n]) => `${s}: ${n}`);
  };

  for (const m of MACHINE_NAMES) {
    test(`${m}: without --all`, () => {
      expect(selfLoops(m, false)).toEqual([]);
    });

    test(`${m} --all`, () => {
      expect(selfLoops(m, true)).toEqual([]);
    });
  }
});
