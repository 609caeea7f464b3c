import { describe, expect, it } from 'vitest';
import { boxProblems, detailProblems, isDetailLine, titleProblems } from './screen-checks.ts';

/*
 * The tmux tests judge screens with these checks; here they meet the broken screens
 * users reported at 80 × 24 (before the fixes), so a check that passes everything
 * would fail here.
 */

describe('screen checks', () => {
  it('a detail line drawn over another is caught, a line cut at the edge is not', () => {
    for (const bad of [
      'cp Pending · agent nonee 0',
      'failed —  reverted — converge…',
      'faults 0ing',
      'running v1-web-01 0',
    ])
      expect(isDetailLine(bad), bad).toBe(false);
    for (const good of [
      'cp Soaking · agent Soaking',
      'cp Activating · agent Activat…',
      'dispatched +00:00.000 · chang…',
      'dispatched +00:00.000  acked …',
      'failed —  reverted —',
      'soak due +05:19.746  converge…',
      'faults 0',
      '+00:19.768 stable@v1 HostStat…',
      'Soaking     ▅███████',
    ])
      expect(isDetailLine(good), good).toBe(true);
  });

  it('finds the pane in a capture and names the broken line', () => {
    const capture = [
      '◆ Hosts of stable@v1: waves × hosts, control-pla… ─ Host cache-01 ──────────────',
      '▸w0  S cache-01 A web-01   S web-02               cache-01 · stable · wave 0 · …',
      ' w1  P cache-02 P db-01    P web-03   P web-04    failed —  reverted — converge…',
      '─ Event log (newest at the bottom) ─────────────────────────────────────────────',
    ].join('\n');
    expect(detailProblems(capture)).toEqual(['detail line: "failed —  reverted — converge…"']);
  });

  it('the old explorer help, rows written over each other, is caught by its keys and box', () => {
    // Titles: one whose dashes were overwritten; one whose words fill the width is fine.
    expect(titleProblems('─ Record (wire form) ────xyz\n', 80)).toHaveLength(1);
    expect(
      titleProblems(
        '─ The rollout machine, from its definition ([current] · ✓ reached this session)\n',
        80,
      ),
    ).toEqual([]);
    expect(boxProblems('╭──╮\n│ u undo │\n│ ? this helpine\n╰──╯\n')).toEqual([
      'box row: "│ ? this helpine"',
    ]);
  });
});
