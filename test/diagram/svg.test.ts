import { XMLParser } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';
import { MACHINES } from '../../machines/catalog.ts';
import { toLayoutDot, wrap } from '../../src/diagram/layout-dot.ts';
import { diagramModel } from '../../src/diagram/model.ts';
import { dotToSvg } from '../../src/diagram/svg.ts';

/*
 * `diagram --format svg`: Graphviz (WebAssembly) draws the layout DOT; the picture has a
 * node per state, every label line, and the cell kinds styled apart.
 */

const texts = (svg: string): string[] => {
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (n === null || typeof n !== 'object') return;
    for (const [k, v] of Object.entries(n as Record<string, unknown>)) {
      if (k === 'text')
        for (const t of [v].flat()) out.push(String((t as Record<string, unknown>)['#text'] ?? t));
      else walk(v);
    }
  };
  walk(new XMLParser({ ignoreAttributes: false }).parse(svg));
  return out;
};

describe('diagram --format svg', () => {
  for (const m of ['rollout', 'host'] as const) {
    test(`${m}: every state is drawn, and the same input draws the same bytes`, async () => {
      const dot = toLayoutDot(diagramModel(MACHINES[m], { all: false }));
      const svg = await dotToSvg(dot);
      expect(svg.startsWith('<?xml')).toBe(true);
      for (const s of MACHINES[m].states) expect(texts(svg)).toContain(s);
      expect(await dotToSvg(dot)).toBe(svg);
    });
  }

  test('self-loops of a state are one loop, one line per cell', () => {
    const dot = toLayoutDot(diagramModel(MACHINES.host, { all: false }));
    const soakingLoops = dot.split('\n').filter((l) => /"Soaking":n -> "Soaking":n/.test(l));
    expect(soakingLoops).toHaveLength(1);
    expect(soakingLoops[0]).toContain('LocalProbeResult');
  });

  test('--all styles no-ops dotted and refusals dashed, and names the catch-all once', () => {
    const dot = toLayoutDot(diagramModel(MACHINES.rollout, { all: true }));
    expect(dot).toMatch(/style=dotted/);
    expect(dot).toMatch(/style=dashed/);
    expect(dot).toContain('any other event / IllegalForState');
  });

  test('long labels wrap', () => {
    const lines = wrap('LocalProbeTopologyDeclared, RemoteProbeTopologyDeclared, LocalProbeResult');
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(40);
  });

  test('highlight marks reached states and cells', () => {
    const dot = toLayoutDot(diagramModel(MACHINES.rollout, { all: false }), {
      states: new Set(['Opening', 'Active']),
      cells: new Set(['Opening|HostJoined|Active']),
    });
    expect(dot).toMatch(/"Active" \[label="Active", fillcolor="#fde68a"/);
    expect(dot).toMatch(/"Opening" -> "Active" \[.*penwidth=3/);
    expect(dot).not.toMatch(/"Terminal" \[label="Terminal", fillcolor/);
  });
});
