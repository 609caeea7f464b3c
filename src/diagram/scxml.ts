import type { DiagramModel } from './model.ts';

const xml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * W3C SCXML. Guards become `cond` (as their readable label, not executable script);
 * self, no-op and error edges are targetless transitions, which SCXML treats as
 * internal: the state is not exited.
 */
export function toScxml(model: DiagramModel): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<scxml xmlns="http://www.w3.org/2005/07/scxml" version="1.0" name="${xml(model.name)}" initial="${xml(model.initial)}">`,
  ];
  for (const state of model.states) {
    const edges = model.edges.filter((e) => e.from === state);
    if (edges.length === 0) {
      lines.push(`  <state id="${xml(state)}"/>`);
      continue;
    }
    lines.push(`  <state id="${xml(state)}">`);
    for (const e of edges) {
      const attrs = [`event="${xml(e.events.join(' '))}"`];
      // A fallback is expressed by document order, not by a condition.
      if (e.condition !== null && e.condition !== 'else') attrs.push(`cond="${xml(e.condition)}"`);
      if (e.kind === 'transition') attrs.push(`target="${xml(e.to)}"`);
      const note =
        e.kind === 'error'
          ? ` <!-- ${xml(e.outcome ?? '')} -->`
          : e.kind === 'noop'
            ? ' <!-- no-op -->'
            : '';
      lines.push(`    <transition ${attrs.join(' ')}/>${note}`);
    }
    lines.push('  </state>');
  }
  lines.push('</scxml>');
  return `${lines.join('\n')}\n`;
}
