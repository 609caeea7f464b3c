import type { MachineEntry } from '../../machines/catalog.ts';
import { toDot } from './dot.ts';
import type { DiagramFormat } from './formats.ts';
import { toXStateJson } from './json.ts';
import { toMermaid } from './mermaid.ts';
import { diagramModel } from './model.ts';
import { toScxml } from './scxml.ts';

export { DIAGRAM_FORMATS, type DiagramFormat } from './formats.ts';

/** The machine drawn in `format`, generated from its definition. */
export function diagram(
  entry: MachineEntry,
  format: DiagramFormat,
  options: { all: boolean },
): string {
  if (format === 'json') return toXStateJson(entry, options);
  if (format === 'scxml') return toScxml(diagramModel(entry, { ...options, merge: false }));
  const model = diagramModel(entry, options);
  return format === 'mermaid' ? toMermaid(model) : toDot(model);
}
